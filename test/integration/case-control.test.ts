/**
 * 挂起 / 激活 / 终止 of a whole case on the real engine: only a leader of a unit handling the case
 * may, everyone else gets 403/404 with nothing changed; a suspended case refuses every task command
 * with 409 and its reason; a plain suspension leaves the legal clock running while a special
 * procedure pauses it (行政许可法 art. 45); termination concludes with the right result and keeps
 * the reason for the applicant's notice; afterwards the task table equals the engine's open tasks,
 * and the timeline and audit show each operation once.
 *
 * The back office's clock is the real time at the start and then travels forward by days; the
 * engine keeps real time.
 */
import { randomUUID } from 'node:crypto';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { login, type Client } from '../support/api.ts';
import { drained } from '../support/sockets.ts';
import { ManualClock, startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { calendarFor } from '../../backend/modules/calendar/index.ts';
import { COUNTY, concluded, decide, submit, taskAt, WATER, type CaseJson, type TaskJson } from '../support/licensing.ts';

interface ClockJson {
  kind: string;
  dueOn: string;
  state: string;
  pausedDays: number;
}
type CaseView = CaseJson & { suspension: { reason: string; by: string; procedure: string | null; clockPaused: boolean } | null; termination: { kind: string; reason: string; by: string } | null };

describe('case suspension, resumption and termination', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.now());
  const u = {} as Record<'window' | 'reviewer' | 'head' | 'leader' | 'countySup' | 'siblingLeader' | 'cityLeader' | 'siblingReviewer', Client>;
  let a: CaseJson; // plain suspension, then terminated by law
  let b: CaseJson; // suspended for an expert review, then withdrawn while suspended
  let reviewA: TaskJson;

  const view = async (c: CaseJson) => (await u.window.get<CaseView>(`/api/cases/${c.id}`)).body;
  const decisionClock = async (c: CaseJson) => (await u.window.get<{ clocks: ClockJson[] }>(`/api/cases/${c.id}/clock`)).body.clocks.find((k) => k.kind === 'decision') as ClockJson;
  const count = async (c: CaseJson, type: string) => (await view(c)).timeline.filter((e) => e.type === type).length;
  const audits = async (c: CaseJson, action: string) => Number((await t.office.ctx.db('audit_log').where({ action, subject_id: c.id }).count({ n: '*' }))[0]?.n);
  /** the task table's open tasks of the case equal the engine's */
  const tasksMatchEngine = async (c: CaseJson) => {
    const instance = (await view(c)).processInstanceKey as string;
    const ours = (await t.office.ctx.db('tasks').where({ case_id: c.id, state: 'open' }).pluck('user_task_key')).map(String).sort();
    const engine = (await t.office.ctx.engine.openTasks({ instanceId: instance })).map((x) => x.taskId).sort();
    assert.deepStrictEqual(ours, engine, 'the task table equals the engine’s open tasks');
    return ours;
  };
  const refusedBy = async (path: string, body: unknown, expect: Record<string, number>) => {
    for (const [name, status] of Object.entries(expect)) {
      const res = await u[name as keyof typeof u].post(path, body);
      assert.strictEqual(res.status, status, `${name} → ${path}: ${JSON.stringify(res.body)}`);
    }
  };
  const at = (iso: string) => clock.set(iso);

  before(async () => {
    t = await startOffice({ clock, env: { DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    u.head = await login(t.url, 'jn-01-01.wr.head');
    u.leader = await login(t.url, 'jn-01-01.wr.leader');
    u.countySup = await login(t.url, 'jn-01-01.sup.supervisor');
    u.siblingLeader = await login(t.url, 'jn-01-02.wr.leader');
    u.cityLeader = await login(t.url, 'jn-01.wr.leader');
    u.siblingReviewer = await login(t.url, 'jn-01-02.wr.reviewer');
    a = await submit(u.window, WATER.item, COUNTY);
    b = await submit(u.window, WATER.item, COUNTY);
    await decide(u.window, a.id, WATER.window, 'accept', '材料齐全，予以受理');
    await decide(u.window, b.id, WATER.window, 'accept', '材料齐全，予以受理');
    reviewA = await taskAt(u.reviewer, a.id, WATER.county);
    assert.strictEqual((await u.reviewer.post(`/api/tasks/${reviewA.userTaskKey}/claim`)).status, 200);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('lets only a leader of a handling unit suspend; everyone else changes nothing', async () => {
    const body = { reason: '申请人涉嫌提供虚假材料，待核查' };
    // may read the case but not suspend it: 403; outside the remit: 404
    await refusedBy(`/api/cases/${a.id}/suspend`, body, { reviewer: 403, head: 403, window: 403, countySup: 403, siblingLeader: 404, cityLeader: 404, siblingReviewer: 404 });
    const v = await view(a);
    assert.strictEqual(v.suspension, null);
    assert.strictEqual(await count(a, 'case.suspended'), 0);
    assert.strictEqual(await audits(a, 'case.suspend'), 0);
  });

  it('suspends: every task command answers 409 with the reason, heard live by the holder only; the legal clock runs on', async () => {
    const due0 = (await decisionClock(a)).dueOn;
    const heard: Record<string, string[]> = { reviewer: [], siblingReviewer: [] };
    const sockets: Socket[] = [];
    for (const name of Object.keys(heard)) {
      const s: Socket = io(t.url, { auth: { token: u[name as 'reviewer'].token }, transports: ['websocket'] });
      for (const type of ['case.suspended', 'case.resumed']) s.on(type, (e: { caseId: string; reason: string }) => heard[name]?.push(`${type}:${e.caseId}:${e.reason}`));
      sockets.push(s);
    }
    await waitFor('sockets connected', async () => sockets.every((s) => s.connected));

    at('2026-12-07T09:00:00+08:00'); // Monday
    const res = await u.leader.post<CaseView>(`/api/cases/${a.id}/suspend`, { reason: '申请人涉嫌提供虚假材料，待核查' });
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    assert.deepInclude(res.body.suspension, { reason: '申请人涉嫌提供虚假材料，待核查', by: 'jn-01-01.wr.leader', procedure: null, clockPaused: false });
    await waitFor('the holder hears it live', async () => heard.reviewer?.includes(`case.suspended:${a.id}:申请人涉嫌提供虚假材料，待核查`));

    for (const action of ['complete', 'unclaim', 'claim'] as const) {
      const r = await u.reviewer.post<{ error: { message: string } }>(`/api/tasks/${reviewA.userTaskKey}/${action}`, action === 'complete' ? { decision: 'approve', opinion: '同意' } : undefined);
      assert.strictEqual(r.status, 409, `${action}: ${JSON.stringify(r.body)}`);
      assert.include(r.body.error.message, '申请人涉嫌提供虚假材料，待核查', 'the refusal gives the reason');
    }
    const still = (await u.reviewer.get<TaskJson>(`/api/tasks/${reviewA.userTaskKey}`)).body;
    assert.deepInclude(still, { state: 'open', assignee: 'jn-01-01.wr.reviewer' }, 'the refused commands changed nothing');
    assert.strictEqual((await u.leader.post(`/api/cases/${a.id}/suspend`, { reason: '另一个原因' })).status, 409, 'already suspended');
    assert.strictEqual((await u.leader.post(`/api/cases/${a.id}/suspend`, { reason: '申请人涉嫌提供虚假材料，待核查' })).status, 200, 'a retry is answered as before');
    assert.strictEqual(await count(a, 'case.suspended'), 1, 'once on the timeline');
    assert.strictEqual(await audits(a, 'case.suspend'), 1, 'once in the audit');
    await tasksMatchEngine(a);

    at('2026-12-11T17:00:00+08:00'); // Friday: four working days later
    await refusedBy(`/api/cases/${a.id}/resume`, { reason: '核查完毕' }, { reviewer: 403, countySup: 403, siblingLeader: 404 });
    assert.ok((await view(a)).suspension, 'still suspended after the refusals');
    const resumed = await u.leader.post<CaseView>(`/api/cases/${a.id}/resume`, { reason: '核查完毕，材料属实' });
    assert.strictEqual(resumed.status, 200, JSON.stringify(resumed.body));
    assert.strictEqual(resumed.body.suspension, null);
    const k = await decisionClock(a);
    assert.deepStrictEqual({ dueOn: k.dueOn, state: k.state, pausedDays: k.pausedDays }, { dueOn: due0, state: 'running', pausedDays: 0 }, 'a suspension is not a special procedure: the legal clock did not stop');
    await waitFor('resumption heard live', async () => heard.reviewer?.some((h) => h.startsWith(`case.resumed:${a.id}`)));
    await drained(...sockets);
    assert.deepStrictEqual(heard.siblingReviewer, [], 'a clerk of another county hears nothing');
    for (const s of sockets) s.close();
    assert.strictEqual((await u.leader.post(`/api/cases/${a.id}/resume`, { reason: '再次' })).status, 409, 'not suspended');
    assert.strictEqual(await count(a, 'case.resumed'), 1);
    assert.strictEqual(await audits(a, 'case.resume'), 1);

    const done = await u.reviewer.post<TaskJson>(`/api/tasks/${reviewA.userTaskKey}/complete`, { decision: 'approve', opinion: '同意' });
    assert.strictEqual(done.status, 200, 'decisions are accepted again');
    await waitFor('the next step', async () => (await view(a)).currentSteps.some((s) => s.elementId === WATER.city));
    await tasksMatchEngine(a);
  });

  it('suspends for a special procedure: the decision clock pauses and moves by exactly the working days paused', async () => {
    const due0 = (await decisionClock(b)).dueOn;
    at('2026-12-14T09:00:00+08:00'); // Monday
    assert.strictEqual((await u.leader.post(`/api/cases/${b.id}/suspend`, { reason: '组织专家评审', procedure: 'expert_review' })).status, 400, 'a special procedure says how long it takes');
    assert.strictEqual((await u.leader.post(`/api/cases/${b.id}/suspend`, { reason: '组织专家评审', procedure: 'picnic', expectedDays: 5 })).status, 400, 'only the procedures of art. 45');
    assert.strictEqual((await u.leader.post(`/api/cases/${b.id}/suspend`, { reason: '' })).status, 400, 'a reason is required');
    assert.strictEqual((await u.leader.post(`/api/cases/${randomUUID()}/suspend`, { reason: '组织专家评审' })).status, 404, 'an unknown case');
    assert.strictEqual((await u.leader.post('/api/cases/not-a-case/suspend', { reason: '组织专家评审' })).status, 400, 'not a case id');
    const res = await u.leader.post<CaseView>(`/api/cases/${b.id}/suspend`, { reason: '组织专家评审水资源论证报告', procedure: 'expert_review', expectedDays: 5 });
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    assert.deepInclude(res.body.suspension, { procedure: 'expert_review', clockPaused: true });
    assert.strictEqual((await decisionClock(b)).state, 'paused');
    assert.strictEqual((await u.head.post(`/api/cases/${b.id}/clock/resume`)).status, 409, 'the clock stays paused while the case is suspended for the procedure');
    const review = await taskAt(u.reviewer, b.id, WATER.county);
    assert.strictEqual((await u.reviewer.post(`/api/tasks/${review.userTaskKey}/claim`)).status, 409);

    at('2026-12-18T17:00:00+08:00'); // Friday: 15th–18th = 4 working days paused
    const resumed = await u.leader.post(`/api/cases/${b.id}/resume`, { reason: '专家评审结束' });
    assert.strictEqual(resumed.status, 200, JSON.stringify(resumed.body));
    const k = await decisionClock(b);
    const cal = await calendarFor(t.office.ctx.db, COUNTY);
    assert.strictEqual(cal.workingDaysBetween('2026-12-14', '2026-12-18'), 4);
    assert.deepStrictEqual({ state: k.state, pausedDays: k.pausedDays, dueOn: k.dueOn }, { state: 'running', pausedDays: 4, dueOn: cal.addWorkingDays(due0, 4) });
    const timeline = (await view(b)).timeline.map((e) => e.type);
    assert.deepStrictEqual(timeline.filter((x) => ['case.suspended', 'clock.paused', 'clock.resumed', 'case.resumed'].includes(x)), ['clock.paused', 'case.suspended', 'clock.resumed', 'case.resumed']);
  });

  it('terminates a case withdrawn by the applicant, also while suspended: concluded as withdrawn by the applicant with the reason kept', async () => {
    assert.strictEqual((await u.leader.post(`/api/cases/${b.id}/suspend`, { reason: '申请人口头表示撤回，待书面确认' })).status, 200);
    const body = { kind: 'withdrawn', reason: '申请人书面申请撤回取水许可申请' };
    await refusedBy(`/api/cases/${b.id}/terminate`, body, { reviewer: 403, head: 403, window: 403, countySup: 403, siblingLeader: 404, cityLeader: 404 });
    assert.strictEqual((await view(b)).status, 'in_progress', 'nothing changed');
    assert.strictEqual((await u.leader.post(`/api/cases/${b.id}/terminate`, { kind: 'bored', reason: 'x' })).status, 400);
    const res = await u.leader.post<CaseView>(`/api/cases/${b.id}/terminate`, body);
    assert.strictEqual(res.status, 202, JSON.stringify(res.body));
    const c = (await concluded(u.window, b.id)) as CaseView;
    assert.strictEqual(c.result, 'applicant_withdrew');
    assert.deepInclude(c.termination, { kind: 'withdrawn', reason: '申请人书面申请撤回取水许可申请', by: 'jn-01-01.wr.leader' });
    assert.strictEqual(c.suspension, null, 'a concluded case is no longer suspended');
    assert.deepStrictEqual(await tasksMatchEngine(b), [], 'no open task is left');
    assert.strictEqual((await decisionClock(b)).state, 'stopped');
    assert.strictEqual(await count(b, 'case.terminated'), 1);
    assert.strictEqual(await count(b, 'case.concluded'), 1);
    assert.strictEqual(await audits(b, 'case.terminate'), 1);
    assert.strictEqual((await u.leader.post(`/api/cases/${b.id}/terminate`, { kind: 'statutory', reason: '再次终止' })).status, 409, 'already concluded');
  });

  it('terminates a case the law ends, from a later step: concluded as terminated', async () => {
    const res = await u.leader.post(`/api/cases/${a.id}/terminate`, { kind: 'statutory', reason: '申请人死亡，依法终止' });
    assert.strictEqual(res.status, 202, JSON.stringify(res.body));
    const c = (await concluded(u.window, a.id)) as CaseView;
    assert.strictEqual(c.result, 'terminated');
    assert.strictEqual(c.termination?.reason, '申请人死亡，依法终止');
    assert.deepStrictEqual(await tasksMatchEngine(a), []);
    const city = (await t.office.ctx.db('tasks').where({ case_id: a.id, element_id: WATER.city }).first('state')) as { state: string };
    assert.strictEqual(city.state, 'canceled', 'the open step was cancelled, not completed');
    assert.strictEqual(await audits(a, 'case.terminate'), 1);
  });
});
