/**
 * The authorization matrix: every role × action × scope (own unit, a unit below, a sibling, a unit
 * above), over HTTP and socket rooms. Expectations are written out by hand from the rules of the
 * domain — not derived from the policies — so loosening any single rule turns a row red.
 *   404 = may not even know it exists · 403 = may see it, may not do it · 2xx = allowed
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { login, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { drained } from '../support/sockets.ts';
import { stopFeed, startOffice, TEST_KEYS, waitFor, type TestOffice } from '../support/harness.ts';
import { keyIdOf, keyRing, open, reencryptApplicants } from '../../backend/modules/cases/personal-data.ts';
import { applicant, CITY, COUNTY, decide, JOINT, submit, taskAt, WATER, type CaseJson, type TaskJson } from '../support/licensing.ts';

const W = 'jn-01-01.asc.window'; // window clerk of the county where the cases are filed
const ACTORS = [
  W,
  'jn-01-01.asc.leader',
  'jn-01-01.wr.reviewer',
  'jn-01-01.wr.head',
  'jn-01-01.wr.leader',
  'jn-01-01.sup.supervisor',
  'jn-01-02.asc.window',
  'jn-01-02.wr.reviewer',
  'jn-01-02.sup.supervisor',
  'jn-01.asc.window',
  'jn-01.wr.reviewer',
  'jn-01.sup.supervisor',
  'jn-02.asc.window',
  'jn-02.sup.supervisor',
  'jn.asc.window',
  'jn.sup.supervisor',
  'jn.wr.designer',
  'jn.asc.designer',
  'jn.asc.admin',
] as const;
type Actor = (typeof ACTORS)[number];

describe('authorization matrix', () => {
  let t: TestOffice;
  const as = {} as Record<Actor, Client>;
  let c1: CaseJson; // water case filed at county JN-01-01, waiting at its window (T1)
  let c2: CaseJson; // water case at JN-01-01, accepted, waiting at county review (T2)
  let c3: CaseJson; // joint case filed at city JN-01, waiting at the city window (T3)
  let t1: TaskJson;
  let t2: TaskJson;
  let t3: TaskJson;

  before(async () => {
    t = await startOffice();
    for (const a of ACTORS) as[a] = await login(t.url, a);
    c1 = await submit(as[W], WATER.item, COUNTY);
    c2 = await submit(as[W], WATER.item, COUNTY);
    c3 = await submit(as['jn-01.asc.window'], JOINT.item, CITY);
    t1 = await taskAt(as[W], c1.id, WATER.window);
    await decide(as[W], c2.id, WATER.window, 'accept', '受理');
    t2 = await taskAt(as['jn-01-01.wr.reviewer'], c2.id, WATER.county);
    t3 = await taskAt(as['jn-01.asc.window'], c3.id, JOINT.window);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  /** Who may read each task (everyone else gets 404); the claimants are the first of each list. */
  const taskReaders = (): Record<string, Actor[]> => ({
    // leaders read (and may urge) their own unit's steps, but claim and decide none of them
    [t1.userTaskKey]: [W, 'jn-01-01.asc.leader', 'jn-01-01.sup.supervisor', 'jn-01.sup.supervisor', 'jn.sup.supervisor'],
    // W completed nothing here yet (T2 is the county reviewer's); W decided on c2's window task, not T2
    [t2.userTaskKey]: ['jn-01-01.wr.reviewer', 'jn-01-01.wr.leader', 'jn-01-01.sup.supervisor', 'jn-01.sup.supervisor', 'jn.sup.supervisor'],
    [t3.userTaskKey]: ['jn-01.asc.window', 'jn-01.sup.supervisor', 'jn.sup.supervisor'],
  });
  const claimants: Record<string, Actor> = {};

  it('tasks: read is 200 in remit and 404 outside it (own unit, below, sibling, above, other roles)', async () => {
    claimants[t1.userTaskKey] = W;
    claimants[t2.userTaskKey] = 'jn-01-01.wr.reviewer';
    claimants[t3.userTaskKey] = 'jn-01.asc.window';
    for (const [key, readers] of Object.entries(taskReaders())) {
      for (const a of ACTORS) {
        const r = await as[a].get(`/api/tasks/${key}`);
        assert.strictEqual(r.status, readers.includes(a) ? 200 : 404, `${a} reading task ${key}`);
      }
    }
  });

  it('tasks: queues list exactly what each may read, filtered in SQL', async () => {
    const keys = [t1.userTaskKey, t2.userTaskKey, t3.userTaskKey];
    for (const a of ACTORS) {
      const r = await as[a].get<{ items: TaskJson[] }>('/api/tasks?limit=100');
      assert.strictEqual(r.status, 200);
      const seen = r.body.items.map((i) => i.userTaskKey).filter((k) => keys.includes(k)).sort();
      const expected = keys.filter((k) => (taskReaders()[k] ?? []).includes(a)).sort();
      assert.deepStrictEqual(seen, expected, `${a}'s queue`);
    }
  });

  it('tasks: only a candidate claims; supervisors and others who can see get 403, the rest 404', async () => {
    for (const [key, readers] of Object.entries(taskReaders())) {
      for (const a of ACTORS) {
        if (a === claimants[key]) continue;
        const r = await as[a].post(`/api/tasks/${key}/claim`);
        assert.strictEqual(r.status, readers.includes(a) ? 403 : 404, `${a} claiming task ${key}`);
      }
      const own = await as[claimants[key] as Actor].post(`/api/tasks/${key}/claim`);
      assert.strictEqual(own.status, 200, `${claimants[key]} claiming own task ${key}`);
    }
  });

  it('tasks: only the assignee completes; a supervisor who sees the claimed task gets 403', async () => {
    const sup = await as['jn-01.sup.supervisor'].post(`/api/tasks/${t2.userTaskKey}/complete`, { decision: 'approve', opinion: '越权' });
    assert.strictEqual(sup.status, 403);
    const sibling = await as['jn-01-02.wr.reviewer'].post(`/api/tasks/${t2.userTaskKey}/complete`, { decision: 'approve', opinion: '越权' });
    assert.strictEqual(sibling.status, 404);
    const above = await as['jn-01.wr.reviewer'].post(`/api/tasks/${t2.userTaskKey}/complete`, { decision: 'approve', opinion: '越权' });
    assert.strictEqual(above.status, 404);
    const leader = await as['jn-01-01.wr.leader'].post(`/api/tasks/${t2.userTaskKey}/complete`, { decision: 'approve', opinion: '越权' });
    assert.strictEqual(leader.status, 403, 'a leader of the same unit sees the reviewer step but does not decide it');
    const unclaim = await as['jn-01-01.sup.supervisor'].post(`/api/tasks/${t2.userTaskKey}/unclaim`);
    assert.strictEqual(unclaim.status, 403);
    // a colleague of the same group sees the claimed task but may neither release nor decide it
    await addUser(t.office.ctx.db, 'jn-01-01.wr.reviewer2', 'JN-01-01.WR', ['reviewer']);
    const colleague = await login(t.url, 'jn-01-01.wr.reviewer2');
    assert.strictEqual((await colleague.post(`/api/tasks/${t2.userTaskKey}/unclaim`)).status, 403);
    assert.strictEqual((await colleague.post(`/api/tasks/${t2.userTaskKey}/complete`, { decision: 'approve', opinion: '代签' })).status, 403);
    assert.strictEqual((await colleague.post(`/api/tasks/${t2.userTaskKey}/claim`)).status, 409, 'claimable group, but already claimed');
  });

  const caseReaders = (): Record<string, Actor[]> => ({
    // heads and leaders also read what their unit works on (masked: not their step, no clear data)
    [c1.id]: [W, 'jn-01-01.asc.leader', 'jn-01-01.sup.supervisor', 'jn-01.sup.supervisor', 'jn.sup.supervisor'],
    [c2.id]: [W, 'jn-01-01.asc.leader', 'jn-01-01.wr.reviewer', 'jn-01-01.wr.head', 'jn-01-01.wr.leader', 'jn-01-01.sup.supervisor', 'jn-01.sup.supervisor', 'jn.sup.supervisor'],
    [c3.id]: ['jn-01.asc.window', 'jn-01.sup.supervisor', 'jn.sup.supervisor'],
  });

  it('cases: read is 200 in remit, 404 outside; lists match exactly', async () => {
    for (const [id, readers] of Object.entries(caseReaders())) {
      for (const a of ACTORS) {
        const r = await as[a].get(`/api/cases/${id}`);
        assert.strictEqual(r.status, readers.includes(a) ? 200 : 404, `${a} reading case ${id}`);
      }
    }
    for (const a of ACTORS) {
      const r = await as[a].get<{ items: CaseJson[] }>('/api/cases?limit=100');
      const seen = r.body.items.map((c) => c.id).sort();
      const expected = [c1.id, c2.id, c3.id].filter((id) => (caseReaders()[id] ?? []).includes(a)).sort();
      assert.deepStrictEqual(seen, expected, `${a}'s case list`);
    }
  });

  it('personal data: clear for those handling the case, 403 for supervisors, 404 outside; every read audited', async () => {
    const handlers: Record<string, Actor[]> = { [c1.id]: [W], [c2.id]: [W, 'jn-01-01.wr.reviewer'], [c3.id]: ['jn-01.asc.window'] };
    for (const [id, readers] of Object.entries(caseReaders())) {
      for (const a of ACTORS) {
        const r = await as[a].get<{ applicant: { idNumber: string } }>(`/api/cases/${id}/applicant?reason=${encodeURIComponent('核验申请人身份')}`);
        const expected = handlers[id]?.includes(a) ? 200 : readers.includes(a) ? 403 : 404;
        assert.strictEqual(r.status, expected, `${a} reading personal data of ${id}`);
        if (r.status === 200) assert.strictEqual(r.body.applicant.idNumber, applicant.idNumber);
      }
    }
    const masked = await as['jn.sup.supervisor'].get<{ applicant: { idNumber: string } }>(`/api/cases/${c1.id}`);
    assert.strictEqual(masked.body.applicant.idNumber, '1101**********002X');
    const noReason = await as[W].get(`/api/cases/${c1.id}/applicant`);
    assert.strictEqual(noReason.status, 400);
    const reads = await t.office.ctx.db('audit_log').where({ action: 'personal-data.read' });
    assert.strictEqual(reads.length, 4, 'one audit row per clear read, with who and why');
    assert.ok(reads.every((r) => r.reason === '核验申请人身份' && r.actor && r.case_id));
  });

  it('cases: only a region’s window files and supplements there', async () => {
    const body = (regionCode: string) => ({ itemCode: WATER.item, regionCode, applicant });
    const expectCreate: Array<[Actor, string, number]> = [
      [W, COUNTY, 201],
      ['jn-01-02.asc.window', COUNTY, 403], // sibling
      ['jn-01.asc.window', COUNTY, 403], // above
      ['jn-01-01.wr.reviewer', COUNTY, 403], // not a window
      ['jn-01-01.sup.supervisor', COUNTY, 403],
      ['jn.asc.admin', COUNTY, 403],
      ['jn.wr.designer', COUNTY, 403],
    ];
    for (const [a, region, status] of expectCreate) {
      const r = await as[a].post('/api/cases', body(region));
      assert.strictEqual(r.status, status, `${a} filing at ${region}`);
    }
    const joint = await as[W].post('/api/cases', { itemCode: JOINT.item, regionCode: CITY, applicant });
    assert.strictEqual(joint.status, 403, 'a county window does not file at the city (a unit above)');
    const supplement = await as['jn-01-01.sup.supervisor'].post(`/api/cases/${c1.id}/supplements`, { materials: [{ name: 'x' }] });
    assert.strictEqual(supplement.status, 403);
  });

  it('processes: designers deploy only their own department’s processes', async () => {
    const water = (await t.office.ctx.db('process_definitions').where({ bpmn_process_id: WATER.process }).orderBy('version', 'desc').first()) as { xml: string };
    const joint = (await t.office.ctx.db('process_definitions').where({ bpmn_process_id: JOINT.process }).orderBy('version', 'desc').first()) as { xml: string };
    const deploy = (a: Actor, xml: string) => as[a].post('/api/processes', { name: 'p.bpmn', xml });
    assert.strictEqual((await deploy('jn.wr.designer', water.xml)).status, 202, 'the owner may: a live item’s process, so it waits for a second person');
    assert.strictEqual((await deploy('jn.asc.designer', water.xml)).status, 403, 'water permits belong to WR');
    assert.strictEqual((await deploy('jn.wr.designer', joint.xml)).status, 403, 'the joint approval belongs to ASC');
    assert.strictEqual((await deploy('jn.asc.designer', joint.xml)).status, 202, 'the owner may: waiting for a second person');
    for (const a of ['jn-01-01.wr.reviewer', 'jn.asc.admin', 'jn-01.sup.supervisor', W] as const) {
      assert.strictEqual((await deploy(a, water.xml)).status, 403, `${a} deploying`);
    }
    const copied = water.xml.replaceAll('water_abstraction_permit', 'asc_new_process');
    assert.strictEqual((await deploy('jn.asc.designer', copied)).status, 400, 'an ASC process may not route work to WR groups');
    const fresh = copied.replaceAll('.WR:', '.ASC:');
    assert.strictEqual((await deploy('jn.asc.designer', fresh)).status, 201, 'a new process belongs to its first designer’s department');
    assert.strictEqual((await deploy('jn.wr.designer', fresh)).status, 403);
  });

  it('users: administrators list the users of their region and below; others see only themselves', async () => {
    const total = Number((await t.office.ctx.db('users').count({ n: '*' }))[0]?.n);
    const admin = await as['jn.asc.admin'].get<{ items: Array<{ username: string }> }>('/api/users');
    assert.strictEqual(admin.body.items.length, total);
    const clerk = await as['jn-01-01.wr.reviewer'].get<{ items: Array<{ username: string }> }>('/api/users');
    assert.deepStrictEqual(clerk.body.items.map((u) => u.username), ['jn-01-01.wr.reviewer']);
    const subtree = await as['jn-01-01.wr.reviewer'].get<{ items: Array<{ code: string }> }>('/api/org/units/JN-01/subtree');
    assert.strictEqual(subtree.body.items.length, 16, 'the city, its 5 departments, 2 counties with 4 departments each');
    assert.ok(subtree.body.items.every((u) => u.code.startsWith('JN-01')));
  });

  it('sockets: a new task is heard by its group and the supervisors above it, by nobody else', async () => {
    const heard = new Map<Actor, string[]>();
    const sockets: Socket[] = [];
    for (const a of ACTORS) {
      const s: Socket = io(t.url, { auth: { token: as[a].token }, transports: ['websocket'] });
      heard.set(a, []);
      s.on('task.created', (e: { task: { caseId: string } }) => heard.get(a)?.push(e.task.caseId));
      sockets.push(s);
    }
    await waitFor('all sockets connected', async () => sockets.every((s) => s.connected));
    const c = await submit(as[W], WATER.item, COUNTY);
    const hearers: Actor[] = [W, 'jn-01-01.sup.supervisor', 'jn-01.sup.supervisor', 'jn.sup.supervisor'];
    await waitFor('the task event to reach its hearers', async () => hearers.every((a) => heard.get(a)?.includes(c.id)));
    await drained(...sockets); // everything sent to every socket so far has arrived
    for (const a of ACTORS) assert.strictEqual(heard.get(a)?.includes(c.id), hearers.includes(a), `${a} hearing the new task`);

    // following a case joins its room only within remit
    const watch = (a: Actor, id: string) => new Promise<boolean>((resolve) => sockets[ACTORS.indexOf(a)]?.emit('case.watch', id, (r: { ok: boolean }) => resolve(r.ok)));
    assert.strictEqual(await watch(W, c1.id), true);
    assert.strictEqual(await watch('jn-01-02.asc.window', c1.id), false);
    assert.strictEqual(await watch('jn-02.sup.supervisor', c1.id), false);
    assert.strictEqual(await watch('jn-01.sup.supervisor', c1.id), true);
    for (const s of sockets) s.close();
  });

  // last: after it the office's own ring (k1 only) can no longer open these rows
  it('personal data: rotating the key re-seals every applicant, readable with the new ring only', async () => {
    const db = t.office.ctx.db;
    const k2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;
    const rotated = keyRing(`${k2},${TEST_KEYS}`);
    const changed = await reencryptApplicants(db, rotated);
    const rows = await db('cases').select('applicant');
    assert.strictEqual(changed, rows.length);
    for (const r of rows) {
      assert.strictEqual(keyIdOf(String(r.applicant)), 'k2');
      assert.strictEqual(open<{ idNumber: string }>(keyRing(k2), String(r.applicant)).idNumber, applicant.idNumber);
    }
    assert.strictEqual(await reencryptApplicants(db, rotated), 0, 'a second run has nothing left to do');
  });

});
