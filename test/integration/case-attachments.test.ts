/**
 * Attachments on a case and its steps: added by those who work it, checked by size and by content
 * (not only the name), stored once per content hash, listed to its readers, and every download
 * authorized and audited. Refusals store nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, request, type Client } from '../support/api.ts';
import { io, type Socket } from 'socket.io-client';
import { startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson, type TaskJson } from '../support/licensing.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0)]);

describe('attachments on a case', () => {
  let t: TestOffice;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-attachments-'));
  const u = {} as Record<'window' | 'reviewer' | 'countySup' | 'siblingReviewer' | 'siblingSup', Client>;
  let c: CaseJson;
  let review: TaskJson;
  const upload = async (who: Client, caseId: string, name: string, bytes: Buffer, extra = '') => {
    const res = await fetch(`${t.url}/api/cases/${caseId}/attachments?name=${encodeURIComponent(name)}${extra}`, { method: 'POST', headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
    return { status: res.status, body: (await res.json()) as { id: number; sha256: string; mediaType: string; error?: { message: string } } };
  };
  const rows = async () => Number((await t.office.ctx.db('attachments').count({ n: '*' }))[0]?.n);

  before(async () => {
    t = await startOffice({ env: { ATTACHMENTS_DIR: dir, ATTACHMENT_MAX_BYTES: '4096' } });
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    u.countySup = await login(t.url, 'jn-01-01.sup.supervisor');
    u.siblingReviewer = await login(t.url, 'jn-01-02.wr.reviewer');
    u.siblingSup = await login(t.url, 'jn-01-02.sup.supervisor');
    c = await submit(u.window, WATER.item, COUNTY);
    await decide(u.window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    review = await taskAt(u.reviewer, c.id, WATER.county);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses strangers, forbidden types, names that lie, empty and too large files, storing nothing', async () => {
    assert.strictEqual((await upload(u.countySup, c.id, '意见.pdf', PDF)).status, 403, 'a supervisor reads, does not add');
    assert.strictEqual((await upload(u.siblingReviewer, c.id, '意见.pdf', PDF)).status, 404);
    assert.strictEqual((await upload(u.reviewer, randomUUID(), '意见.pdf', PDF)).status, 404, 'unknown case');
    const exe = await upload(u.reviewer, c.id, '审查意见.pdf', EXE);
    assert.strictEqual(exe.status, 400, 'an executable renamed .pdf');
    assert.include(exe.body.error?.message, 'not one of the accepted types');
    const lying = await upload(u.reviewer, c.id, '审查意见.pdf', PNG);
    assert.strictEqual(lying.status, 400, 'a PNG named .pdf');
    assert.include(lying.body.error?.message, 'image/png');
    assert.strictEqual((await upload(u.reviewer, c.id, '空.pdf', Buffer.alloc(0))).status, 400, 'empty');
    assert.strictEqual((await upload(u.reviewer, c.id, '大.pdf', Buffer.concat([PDF, Buffer.alloc(5000, 32)]))).status, 413, 'over ATTACHMENT_MAX_BYTES');
    assert.strictEqual((await upload(u.reviewer, c.id, '../etc/passwd', PDF)).status, 400, 'a path is no file name');
    assert.strictEqual((await upload(u.reviewer, c.id, '意见.pdf', PDF, '&userTaskKey=not-a-step-of-it')).status, 400, 'not a step of this case');
    assert.strictEqual(await rows(), 0);
    assert.deepStrictEqual(fs.readdirSync(dir), [], 'no blob written');
  });

  it('stores by content hash, lists to readers, audits every download', async () => {
    const a = await upload(u.reviewer, c.id, '现场核查记录.pdf', PDF, `&userTaskKey=${review.userTaskKey}`);
    assert.strictEqual(a.status, 201, JSON.stringify(a.body));
    const sha = createHash('sha256').update(PDF).digest('hex');
    assert.deepInclude(a.body, { sha256: sha, mediaType: 'application/pdf' });
    assert.strictEqual((await upload(u.window, c.id, '现场照片.png', PNG)).status, 201, 'the window adds to its cases too');
    assert.strictEqual((await upload(u.window, c.id, '核查记录副本.pdf', PDF)).status, 201);
    assert.ok(fs.existsSync(path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha)));
    assert.strictEqual(fs.readdirSync(path.join(dir, sha.slice(0, 2), sha.slice(2, 4))).filter((f) => f.startsWith(sha)).length, 1, 'the same content is stored once');

    const listed = await u.countySup.get<{ items: Array<{ name: string; userTaskKey: string | null }> }>(`/api/cases/${c.id}/attachments`);
    assert.deepStrictEqual(listed.body.items.map((i) => [i.name, i.userTaskKey]), [['现场核查记录.pdf', review.userTaskKey], ['现场照片.png', null], ['核查记录副本.pdf', null]]);
    assert.strictEqual((await u.siblingSup.get(`/api/cases/${c.id}/attachments`)).status, 404);

    assert.strictEqual((await request(t.url, 'GET', `/api/attachments/${a.body.id}`, undefined, { authorization: `Bearer ${u.siblingSup.token}` })).status, 404, 'outside the remit');
    const res = await fetch(`${t.url}/api/attachments/${a.body.id}`, { headers: { authorization: `Bearer ${u.countySup.token}` } });
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.headers.get('content-type'), 'application/pdf');
    assert.deepStrictEqual(Buffer.from(await res.arrayBuffer()), PDF);
    const audits = await t.office.ctx.db('audit_log').where({ action: 'attachment.download' }).select('actor', 'subject_id');
    assert.deepStrictEqual(audits.map((x) => [x.actor, String(x.subject_id)]), [['jn-01-01.sup.supervisor', String(a.body.id)]], 'the refused download is not a download; the allowed one is audited once');
    const timeline = (await u.window.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline.filter((e) => e.type === 'attachment.added');
    assert.strictEqual(timeline.length, 3);
  });

  it('tells the holders of the case’s open steps and its supervisors live, nobody outside the case', async () => {
    const sockets: Socket[] = [];
    const heard: Record<string, Array<{ caseId: string; name: string; by: string }>> = {};
    const listen = async (name: string, who: Client) => {
      const s: Socket = io(t.url, { auth: { token: who.token }, transports: ['websocket'] });
      sockets.push(s);
      heard[name] = [];
      s.on('attachment.added', (e: { caseId: string; name: string; by: string }) => heard[name]!.push(e));
      await waitFor(`${name}'s socket`, async () => s.connected);
    };
    try {
      const siblingWindow = await login(t.url, 'jn-01-02.asc.window');
      const other = await submit(siblingWindow, WATER.item, 'JN-01-02');
      await decide(siblingWindow, other.id, WATER.window, 'accept', '受理');
      await taskAt(u.siblingReviewer, other.id, WATER.county);
      await listen('reviewer', u.reviewer);
      await listen('countySup', u.countySup);
      await listen('siblingReviewer', u.siblingReviewer);
      assert.strictEqual((await upload(u.window, c.id, '补充说明.pdf', PDF)).status, 201);
      await waitFor('the holder and the supervisor told', async () => heard.reviewer!.some((e) => e.name === '补充说明.pdf') && heard.countySup!.some((e) => e.name === '补充说明.pdf'));
      assert.deepInclude(heard.reviewer!.find((e) => e.name === '补充说明.pdf'), { caseId: c.id, by: 'jn-01-01.asc.window' });
      // a marker the sibling county's reviewer does hear, sent after: the first never reached it
      assert.strictEqual((await upload(siblingWindow, other.id, '标记.pdf', PDF)).status, 201);
      await waitFor('the marker heard', async () => heard.siblingReviewer!.some((e) => e.name === '标记.pdf'));
      assert.deepStrictEqual(heard.siblingReviewer!.map((e) => e.name), ['标记.pdf']);
      assert.isFalse(heard.reviewer!.some((e) => e.name === '标记.pdf'), 'nor the other way round');
    } finally {
      for (const s of sockets) s.close();
    }
  });
});
