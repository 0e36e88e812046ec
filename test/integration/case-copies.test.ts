/**
 * 抄送 carbon copies: those who work a case copy it to people and to departments; the recipients are
 * told live, may open the case read-only (masked, no personal data, every command refused), find it
 * in "抄送我的", and their first opening is the read receipt. Copying again sends nothing twice.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { login, type Client } from '../support/api.ts';
import { drained } from '../support/sockets.ts';
import { startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson, type TaskJson } from '../support/licensing.ts';

interface Receipt { userId: string; viaUnit: string | null; readAt: string | null }

describe('carbon copies of a case', () => {
  let t: TestOffice;
  const u = {} as Record<'window' | 'reviewer' | 'head' | 'countySup' | 'nr' | 'siblingReviewer' | 'cityEe', Client>;
  let c: CaseJson;
  let review: TaskJson;
  const timelineCount = async (type: string) => (await u.window.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline.filter((e) => e.type === type).length;

  before(async () => {
    t = await startOffice();
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    u.head = await login(t.url, 'jn-01-01.wr.head');
    u.countySup = await login(t.url, 'jn-01-01.sup.supervisor');
    u.nr = await login(t.url, 'jn-01.nr.reviewer');
    u.siblingReviewer = await login(t.url, 'jn-01-02.wr.reviewer');
    u.cityEe = await login(t.url, 'jn-01.ee.reviewer');
    c = await submit(u.window, WATER.item, COUNTY);
    await decide(u.window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    review = await taskAt(u.reviewer, c.id, WATER.county);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('only those working the case copy it; bad recipients are refused with nothing sent', async () => {
    const body = { users: ['jn-01.nr.reviewer'], units: ['JN-01-02.WR'], note: '涉及自然资源用地，请知悉' };
    assert.strictEqual((await u.nr.get(`/api/cases/${c.id}`)).status, 404, 'not visible before the copy');
    assert.strictEqual((await u.countySup.post(`/api/cases/${c.id}/copies`, body)).status, 403, 'a supervisor watches, does not copy');
    assert.strictEqual((await u.head.post(`/api/cases/${c.id}/copies`, body)).status, 403, 'a head who has not worked it');
    assert.strictEqual((await u.siblingReviewer.post(`/api/cases/${c.id}/copies`, body)).status, 404);
    for (const bad of [{ users: ['nobody.at.all'] }, { units: ['JN-01-01'] }, { units: ['JN-09.WR'] }, {}, { users: ['jn-01.nr.reviewer'], extra: 1 }]) {
      const r = await u.reviewer.post(`/api/cases/${c.id}/copies`, bad);
      assert.strictEqual(r.status, 400, `${JSON.stringify(bad)} → ${JSON.stringify(r.body)}`);
    }
    assert.strictEqual(Number((await t.office.ctx.db('case_copies').count({ n: '*' }))[0]?.n), 0, 'nothing half-written');
    assert.strictEqual(await timelineCount('case.copied'), 0);
  });

  it('copies to a person and a unit: told live, read-only, receipts once', async () => {
    const heard: Record<string, string[]> = { nr: [], siblingReviewer: [], cityEe: [] };
    const sockets: Socket[] = [];
    for (const name of Object.keys(heard)) {
      const s: Socket = io(t.url, { auth: { token: u[name as 'nr'].token }, transports: ['websocket'] });
      s.on('notification.new', (e: { kind: string; caseId: string }) => heard[name]?.push(`${e.kind}:${e.caseId}`));
      sockets.push(s);
    }
    await waitFor('sockets connected', async () => sockets.every((s) => s.connected));
    const sent = await u.reviewer.post<{ added: string[]; receipts: Receipt[] }>(`/api/cases/${c.id}/copies`, { users: ['jn-01.nr.reviewer'], units: ['JN-01-02.WR'], note: '涉及自然资源用地，请知悉' });
    assert.strictEqual(sent.status, 201, JSON.stringify(sent.body));
    assert.sameMembers(sent.body.added, ['jn-01.nr.reviewer', 'jn-01-02.wr.reviewer', 'jn-01-02.wr.head', 'jn-01-02.wr.leader']);
    await waitFor('the person hears it', async () => heard.nr?.includes(`case.copied:${c.id}`));
    await waitFor('the unit hears it', async () => heard.siblingReviewer?.includes(`case.copied:${c.id}`));
    await drained(...sockets);
    assert.deepStrictEqual(heard.cityEe, [], 'nobody else');
    for (const s of sockets) s.close();

    // read-only: the page reads, masked; every command is refused
    const page = await u.nr.get<CaseJson & { applicant: Record<string, unknown>; mayReadPersonalData: boolean; actions: string[] }>(`/api/cases/${c.id}`);
    assert.strictEqual(page.status, 200);
    assert.strictEqual(page.body.applicant.masked, true);
    assert.deepStrictEqual({ personal: page.body.mayReadPersonalData, actions: page.body.actions }, { personal: false, actions: [] });
    assert.strictEqual((await u.nr.get(`/api/cases/${c.id}/applicant?reason=想看看`)).status, 403);
    for (const [path, body] of [
      [`/api/cases/${c.id}/suspend`, { reason: '抄送人挂起' }],
      [`/api/cases/${c.id}/terminate`, { kind: 'statutory', reason: '抄送人终止' }],
      [`/api/cases/${c.id}/clock/pause`, { reason: '抄送人暂停', expectedDays: 2 }],
      [`/api/cases/${c.id}/copies`, { users: ['jn-01.ee.reviewer'] }],
      [`/api/cases/${c.id}/supplements`, { materials: [{ name: '补充材料' }] }],
      [`/api/cases/${c.id}/supervision-orders`, { unitCode: 'JN-01-01.WR', instructions: '抄送人督办', replyBy: '2099-01-01' }],
    ] as const) {
      const r = await u.nr.post(path, body);
      assert.strictEqual(r.status, 403, `${path}: ${JSON.stringify(r.body)}`);
    }
    for (const action of ['claim', 'complete']) assert.strictEqual((await u.nr.post(`/api/tasks/${review.userTaskKey}/${action}`, action === 'complete' ? { decision: 'approve', opinion: '同意' } : undefined)).status, 404, `${action}: the step stays out of reach`);
    assert.deepInclude((await u.reviewer.get<TaskJson>(`/api/tasks/${review.userTaskKey}`)).body, { state: 'open', assignee: null });
    assert.strictEqual(await timelineCount('case.suspended'), 0);
    assert.strictEqual((await u.cityEe.get(`/api/cases/${c.id}`)).status, 404, 'not copied: still not visible');

    // 抄送我的 and the read receipt
    const mine = await u.nr.get<{ items: Array<{ caseId: string; readAt: string | null; note: string }> }>('/api/copies?unread=true');
    assert.deepStrictEqual(mine.body.items.map((i) => [i.caseId, i.readAt, i.note]), [[c.id, null, '涉及自然资源用地，请知悉']]);
    assert.deepStrictEqual((await u.nr.post(`/api/cases/${c.id}/copies/read`)).body, { read: true });
    assert.deepStrictEqual((await u.nr.post(`/api/cases/${c.id}/copies/read`)).body, { read: false }, 'the receipt is given once');
    assert.deepStrictEqual((await u.nr.get<{ items: unknown[] }>('/api/copies?unread=true')).body.items, []);
    const receipts = (await u.reviewer.get<{ items: Receipt[] }>(`/api/cases/${c.id}/copies`)).body.items;
    assert.ok(receipts.find((r) => r.userId === 'jn-01.nr.reviewer')?.readAt, 'read');
    assert.strictEqual(receipts.find((r) => r.userId === 'jn-01-02.wr.head')?.readAt, null, 'not read yet');
    assert.strictEqual(receipts.find((r) => r.userId === 'jn-01-02.wr.head')?.viaUnit, 'JN-01-02.WR');

    // copying again sends nothing twice
    const again = await u.reviewer.post<{ added: string[] }>(`/api/cases/${c.id}/copies`, { users: ['jn-01.nr.reviewer'] });
    assert.deepStrictEqual(again.body.added, []);
    assert.strictEqual(await timelineCount('case.copied'), 1);
    assert.strictEqual(await timelineCount('case.copy_read'), 1);
    assert.strictEqual(Number((await t.office.ctx.db('audit_log').where({ action: 'case.copy', subject_id: c.id }).count({ n: '*' }))[0]?.n), 1);
    assert.strictEqual(Number((await t.office.ctx.db('notifications').where({ user_id: 'jn-01.nr.reviewer', type: 'case.copied' }).count({ n: '*' }))[0]?.n), 1);
  });
});
