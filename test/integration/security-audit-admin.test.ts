/**
 * 三员分立 and the audit viewer's API (issues 16 and 15): the audit administrator reads, searches,
 * verifies and exports the trail of its remit and nothing else; administrators and everyone else
 * cannot read it. What was missing from the trail is now on it: task decisions, refused reads of
 * personal data; deploys and bindings were and stay on it.
 */
import ExcelJS from 'exceljs';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { startOffice, stopFeed, type TestOffice } from '../support/harness.ts';
import { applicant, COUNTY, decide, submit, WATER, type CaseJson } from '../support/licensing.ts';

interface Row {
  id: number;
  at: string;
  actor: string | null;
  actorName: string | null;
  action: string;
  caseId: string | null;
  caseNo: string | null;
  reason: string | null;
}
interface Page {
  items: Row[];
  next: number | null;
}

describe('security: the audit administrator and the audit viewer API', () => {
  let t: TestOffice;
  let auditor: Client; // jn.asc.audit: province level, the seeded one
  let cityAuditor: Client; // an audit administrator of city JN-02 (added for the remit)
  let admin: Client;
  let window: Client;
  let supervisor: Client;
  let foreignWindow: Client;
  let c: CaseJson;
  const search = (who: Client, q: string) => who.get<Page>(`/api/audit?${q}`);

  before(async () => {
    t = await startOffice();
    await addUser(t.office.ctx.db, 'jn-02.asc.audit2', 'JN-02.ASC', ['audit_admin']);
    auditor = await login(t.url, 'jn.asc.audit');
    cityAuditor = await login(t.url, 'jn-02.asc.audit2');
    admin = await login(t.url, 'jn.asc.admin');
    window = await login(t.url, 'jn-01-01.asc.window');
    supervisor = await login(t.url, 'jn-01-01.sup.supervisor');
    foreignWindow = await login(t.url, 'jn-02.asc.window');
    c = await submit(window, WATER.item, COUNTY);
    await decide(window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('lets only the audit administrator read, verify and export the trail', async () => {
    for (const who of [admin, window, supervisor, foreignWindow]) {
      assert.strictEqual((await who.get('/api/audit')).status, 403, `${who.username} may not read the audit`);
      assert.strictEqual((await who.post('/api/audit/verify', {})).status, 403, `${who.username} may not verify it`);
      assert.strictEqual((await who.get('/api/audit/export')).status, 403, `${who.username} may not export it`);
    }
    const page = await search(auditor, 'limit=200');
    assert.strictEqual(page.status, 200);
    assert.ok(page.body.items.some((r) => r.action === 'login' && r.actorName === 'jn.asc.admin'), 'the administrator’s own login is on the trail it cannot read');
  });

  it('gives the audit administrator nothing but the audit', async () => {
    const me = await auditor.get<{ user: { roles: string[] } }>('/api/auth/me');
    assert.deepStrictEqual(me.body.user.roles, ['audit_admin']);
    for (const path of ['/api/org/units', '/api/items', '/api/processes', `/api/calendar/2026`, '/api/supervision/stats']) {
      assert.strictEqual((await auditor.get(path)).status, 403, `${path} is not the audit administrator’s`);
    }
    assert.strictEqual((await auditor.get(`/api/cases/${c.id}`)).status, 404, 'a case is not even known to it');
    const usersOf = async (who: Client) => (await who.get<{ items: { username: string }[] }>('/api/users')).body.items?.map((u) => u.username) ?? [];
    assert.deepStrictEqual(await usersOf(auditor), ['jn.asc.audit'], 'of the users, only its own account');
    const cases = await auditor.get<{ items: unknown[] }>('/api/cases');
    assert.ok(cases.status === 403 || (cases.status === 200 && cases.body.items.length === 0), 'no case list either');
    // and combining the role with another grants nothing more (the two duties stay apart)
    await t.office.ctx.db('user_roles').insert({ user_id: 'jn-02.asc.audit2', role: 'admin' });
    const both = await login(t.url, 'jn-02.asc.audit2');
    assert.deepStrictEqual(await usersOf(both), ['jn-02.asc.audit2'], 'the admin role adds no users to manage');
    assert.isAbove((await usersOf(admin)).length, 1, 'positive control: an administrator does see its region’s users');
    assert.strictEqual((await both.get('/api/audit')).status, 200);
    await t.office.ctx.db('user_roles').where({ user_id: 'jn-02.asc.audit2', role: 'admin' }).delete();
  });

  it('puts task decisions and refused personal-data reads on the trail', async () => {
    const decided = await search(auditor, `action=task.decided&caseId=${c.id}`);
    assert.strictEqual(decided.body.items.length, 1);
    assert.include(decided.body.items[0], { actorName: 'jn-01-01.asc.window', caseNo: c.caseNo });
    assert.match(String(decided.body.items[0]?.reason), /: accept — 材料齐全，予以受理$/);

    assert.strictEqual((await supervisor.get(`/api/cases/${c.id}/applicant?reason=${encodeURIComponent('监察核实')}`)).status, 403);
    assert.strictEqual((await foreignWindow.get(`/api/cases/${c.id}/applicant?reason=${encodeURIComponent('好奇')}`)).status, 404);
    const clear = await window.get<{ applicant: typeof applicant }>(`/api/cases/${c.id}/applicant?reason=${encodeURIComponent('核对身份')}`);
    assert.strictEqual(clear.body.applicant.idNumber, applicant.idNumber);
    const reads = await search(auditor, `action=personal-data.&caseId=${c.id}`);
    const seen = reads.body.items.map((r) => [r.action, r.actorName, /403/.test(String(r.reason)) ? 403 : /404/.test(String(r.reason)) ? 404 : 200]).reverse();
    assert.deepStrictEqual(seen, [
      ['personal-data.refused', 'jn-01-01.sup.supervisor', 403],
      ['personal-data.refused', 'jn-02.asc.window', 404],
      ['personal-data.read', 'jn-01-01.asc.window', 200],
    ]);
    // designers' deploys and bindings were on the trail before (process-design.test.ts); the office's
    // own deploys of processes/ at start are now too, once per new version
    const deploys = (await search(auditor, 'action=process.deployed')).body.items;
    assert.ok(deploys.some((r) => r.actor === null && /^water-abstraction-permit\.bpmn: version \d+, from processes\/ at start$/.test(String(r.reason))), JSON.stringify(deploys.map((r) => r.reason)));
  });

  it('searches by who, what and when, newest first, in keyset pages without gaps or repeats', async () => {
    const all = (await search(auditor, 'actor=jn-01-01.asc.window&limit=200')).body.items;
    assert.isAtLeast(all.length, 3);
    assert.ok(all.every((r) => r.actorName === 'jn-01-01.asc.window'));
    assert.deepStrictEqual(all.map((r) => r.id), [...all.map((r) => r.id)].sort((a, b) => b - a), 'newest first');
    const seen: number[] = [];
    let next: number | null = null;
    do {
      const p: Page = (await search(auditor, `actor=jn-01-01.asc.window&limit=2${next ? `&before=${next}` : ''}`)).body;
      assert.isAtMost(p.items.length, 2);
      seen.push(...p.items.map((r) => r.id));
      next = p.next;
    } while (next);
    assert.deepStrictEqual(seen, all.map((r) => r.id));
    const logins = (await search(auditor, 'action=login.&actor=jn-01-01.asc.window')).body.items;
    assert.ok(logins.length > 0 && logins.every((r) => r.action.startsWith('login')));
    const middle = all[1] as Row;
    const ranged = (await search(auditor, `actor=jn-01-01.asc.window&from=${encodeURIComponent(middle.at)}&to=${Date.parse(middle.at) + 1}`)).body.items;
    assert.ok(ranged.length > 0 && ranged.every((r) => r.at === middle.at));
    assert.strictEqual((await search(auditor, 'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')).status, 400);
    assert.strictEqual((await search(auditor, 'limit=100000')).status, 400);
    assert.strictEqual((await search(auditor, 'caseId=not-a-uuid')).status, 400);
  });

  it('keeps a city’s audit administrator to its city', async () => {
    const mine = (await search(cityAuditor, 'limit=200')).body.items;
    assert.ok(mine.some((r) => r.actorName === 'jn-02.asc.window'), 'its own city’s people');
    assert.ok(!mine.some((r) => r.actorName === 'jn-01-01.asc.window' || r.actorName === 'jn.asc.admin' || (r.caseId === c.id && r.actorName !== 'jn-02.asc.window')), 'nobody of another city, no case of another region');
    assert.ok(!mine.some((r) => r.actor === null && r.caseId === null), 'the system’s own rows are the province’s');
    // the refused read by JN-02's clerk is its city's business, the case's other rows are not
    assert.ok(mine.some((r) => r.action === 'personal-data.refused' && r.actorName === 'jn-02.asc.window'));
  });

  it('exports the search as CSV and XLSX within the remit, and the export is on the trail', async () => {
    const res = await fetch(`${t.url}/api/audit/export?format=csv&caseId=${c.id}`, { headers: { authorization: `Bearer ${auditor.token}` } });
    assert.strictEqual(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /^text\/csv/);
    assert.match(String(res.headers.get('content-disposition')), /attachment; filename="?audit-\d{14}\.csv"?/);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    assert.strictEqual(lines[0], 'id,at,actor,actorName,action,subject,subjectId,caseId,caseNo,reason,ip');
    const expected = (await search(auditor, `caseId=${c.id}&limit=200`)).body.items;
    assert.strictEqual(lines.length - 1, expected.length);
    assert.ok(lines.some((l) => l.includes('task.decided') && l.includes('材料齐全，予以受理')));

    const cityRes = await fetch(`${t.url}/api/audit/export?format=xlsx`, { headers: { authorization: `Bearer ${cityAuditor.token}` } });
    assert.strictEqual(cityRes.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await cityRes.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('audit');
    const names: string[] = [];
    ws?.eachRow((row, n) => {
      if (n > 1) names.push(String(row.getCell(4).value ?? ''));
    });
    assert.isAbove(names.length, 0);
    assert.ok(!names.includes('jn-01-01.asc.window'), 'the city’s export holds only its remit');

    const exports = (await search(auditor, 'action=audit.exported')).body.items;
    assert.deepStrictEqual(exports.map((r) => [r.actorName, /^(csv|xlsx), \d+ rows/.exec(String(r.reason))?.[1]]).reverse(), [
      ['jn.asc.audit', 'csv'],
      ['jn-02.asc.audit2', 'xlsx'],
    ]);
    assert.match(String(exports[1]?.reason), new RegExp(`csv, ${expected.length} rows: caseId=${c.id}`));
  });

  it('verifies the chain from the API and names the row that was tampered with', async () => {
    const ok = await auditor.post<{ intact: boolean; rows: number; broken: unknown; anchor: unknown }>('/api/audit/verify', {});
    assert.strictEqual(ok.status, 200);
    assert.strictEqual(ok.body.intact, true);
    assert.isAbove(ok.body.rows, 10);
    const victim = (await search(auditor, `action=task.decided&caseId=${c.id}`)).body.items[0] as Row;
    await t.office.ctx.db('audit_log').where({ id: victim.id }).update({ reason: 'step: reject' });
    const bad = await auditor.post<{ intact: boolean; broken: { id: number; reason: string } }>('/api/audit/verify', {});
    assert.strictEqual(bad.body.intact, false);
    assert.deepStrictEqual(bad.body.broken, { id: victim.id, reason: 'mac' });
    const verified = (await search(auditor, 'action=audit.verified')).body.items.map((r) => r.reason).reverse();
    assert.match(String(verified[0]), /^intact \(\d+ rows\)$/);
    assert.strictEqual(verified[1], `broken at row ${victim.id} (mac)`);
    assert.strictEqual((await auditor.post('/api/audit/verify', { anchor: { id: 1, hash: 'nope' } })).status, 400);
  });
});
