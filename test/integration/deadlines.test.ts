/**
 * Legal clocks on a controlled back-office clock, across the 2026 National Day holiday and its 10/10
 * make-up working day: the due date, pause/resume arithmetic, an extension, warning and yellow levels
 * firing exactly once (also across a restart), urging that reaches the right clerk live and nobody
 * outside the remit, and the supervisor feed.
 *
 * Only the back office's clock travels back to September; the engine keeps real time (its job
 * executor runs the timers). Step clocks start at the engine's timestamp of the task — never later
 * than the back office's clock — so their expectations are derived from that day with the
 * separately property-tested calendar.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { login, type Client } from '../support/api.ts';
import { drained } from '../support/sockets.ts';
import { stopFeed, ManualClock, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { calendarFor, endOfBeijingDay } from '../../backend/modules/calendar/index.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson, type TaskJson, promiseOutOfTheWay } from '../support/licensing.ts';

interface ClockJson {
  id: string;
  kind: string;
  dueOn: string;
  state: string;
  level: string;
  pausedDays: number;
  extendedDays: number;
  workingDaysLeft: number | null;
}

const ACCEPTED_AT = '2026-09-30T10:00:00+08:00'; // the day before National Day

describe('deadlines in working days', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.parse(ACCEPTED_AT));
  const u = {} as Record<'window' | 'reviewer' | 'head' | 'leader' | 'citySup' | 'countySup' | 'siblingSup' | 'siblingReviewer', Client>;
  let c: CaseJson;
  let review: TaskJson;
  const clocks = async () => (await u.window.get<{ clocks: ClockJson[] }>(`/api/cases/${c.id}/clock`)).body.clocks;
  const decision = async () => (await clocks()).find((k) => k.kind === 'decision') as ClockJson;
  const step = async () => (await clocks()).find((k) => k.kind === 'step' && k.state !== 'stopped') as ClockJson & { startedOn: string };
  const at = (iso: string) => clock.set(iso);
  /** the county review as its holder's queue shows it, with the given query */
  const queued = async (query: string) => (await u.reviewer.get<{ items: Array<TaskJson & { dueOn: string | null; dueAt: string | null; level: string }> }>(`/api/tasks?caseId=${c.id}&${query}`)).body.items.find((i) => i.userTaskKey === review.userTaskKey);
  const afterDay = (day: string, hours = 1) => clock.set(new Date(endOfBeijingDay(day) + hours * 3600_000).toISOString());

  before(async () => {
    // tokens are checked against the controlled clock too: give them a year so the test can travel
    t = await startOffice({ clock, env: { DEADLINE_POLL_MS: '3600000', WARNING_THRESHOLD_DAYS: '2', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    await promiseOutOfTheWay(t.office.ctx.db); // this file counts the statutory and step clocks' levels
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    u.head = await login(t.url, 'jn-01-01.wr.head');
    u.leader = await login(t.url, 'jn-01-01.wr.leader');
    u.citySup = await login(t.url, 'jn-01.sup.supervisor');
    u.countySup = await login(t.url, 'jn-01-01.sup.supervisor');
    u.siblingSup = await login(t.url, 'jn-01-02.sup.supervisor');
    u.siblingReviewer = await login(t.url, 'jn-01-02.wr.reviewer');
    c = await submit(u.window, WATER.item, COUNTY);
    await decide(u.window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    review = await taskAt(u.reviewer, c.id, WATER.county);
    assert.strictEqual((await u.reviewer.post(`/api/tasks/${review.userTaskKey}/claim`)).status, 200);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('counts 20 working days from acceptance across National Day and its make-up Saturday', async () => {
    // 10/1–7 off; day 1 is 10/8, 10/10 (Sat) works: … the 20th working day is 11/3
    const d = await decision();
    assert.strictEqual(d.dueOn, '2026-11-03');
    assert.strictEqual(d.state, 'running');
    const s = await step();
    assert.strictEqual(s.startedOn, '2026-09-30');
    assert.strictEqual(s.dueOn, '2026-11-03', 'the county review has its own 20-day step clock');
    const view = (await u.reviewer.get<TaskJson & { dueOn: string; dueAt: string; level: string }>(`/api/tasks/${review.userTaskKey}`)).body;
    assert.deepStrictEqual({ dueOn: view.dueOn, dueAt: view.dueAt, level: view.level }, { dueOn: '2026-11-03', dueAt: new Date(endOfBeijingDay('2026-11-03')).toISOString(), level: 'none' }, 'the task carries its step’s deadline');
    assert.ok(await queued('dueBefore=2026-11-03'), 'due on that day counts as due by it');
    assert.strictEqual(await queued('dueBefore=2026-11-02'), undefined);
    assert.strictEqual(await queued('level=warning,yellow,red'), undefined);
    const timeline = (await u.window.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline;
    assert.ok(timeline.some((e) => e.type === 'clock.started' && e.data?.dueOn === '2026-11-03'));
  });

  it('pauses for an expert review and moves the due date by exactly the working days paused', async () => {
    clock.set('2026-10-12T09:00:00+08:00'); // Monday
    const paused = await u.head.post('/api/cases/' + c.id + '/clock/pause', { reason: '组织专家评审水资源论证报告', expectedDays: 5 });
    assert.strictEqual(paused.status, 200, JSON.stringify(paused.body));
    assert.strictEqual((await decision()).state, 'paused');
    assert.strictEqual((await u.reviewer.post(`/api/cases/${c.id}/clock/pause`, { reason: '越权暂停', expectedDays: 1 })).status, 403, 'a reviewer does not start special procedures');
    clock.set('2026-10-16T17:00:00+08:00'); // Friday: 13th–16th = 4 working days paused
    assert.strictEqual((await u.head.post(`/api/cases/${c.id}/clock/resume`)).status, 200);
    const d = await decision();
    assert.strictEqual(d.pausedDays, 4);
    assert.strictEqual(d.dueOn, '2026-11-09', '11/3 + 4 working days (11/4, 5, 6, 9)');
    const s = await step();
    assert.strictEqual(s.pausedDays, 0, 'a step clock is not paused by the case clock');
  });

  it('extends once, with a leader’s approval and a reason', async () => {
    assert.strictEqual((await u.head.post(`/api/cases/${c.id}/clock/extend`, { days: 10, reason: '情况复杂' })).status, 403, 'a head may not extend');
    const ext = await u.leader.post(`/api/cases/${c.id}/clock/extend`, { days: 10, reason: '涉及跨区域取水，需补充论证' });
    assert.strictEqual(ext.status, 200, JSON.stringify(ext.body));
    assert.strictEqual((await decision()).dueOn, '2026-11-23');
    assert.strictEqual((await u.leader.post(`/api/cases/${c.id}/clock/extend`, { days: 5, reason: '再延' })).status, 409, 'the law allows one extension');
  });

  it('warns, urges automatically and turns yellow exactly once per level, live to the holder only', async () => {
    const heard = new Map<string, string[]>();
    const sockets: Socket[] = [];
    for (const [name, client] of Object.entries(u)) {
      const s: Socket = io(t.url, { auth: { token: client.token }, transports: ['websocket'] });
      heard.set(name, []);
      for (const type of ['task.urged', 'deadline.level', 'notification.new']) s.on(type, (e: { caseId?: string; level?: string }) => heard.get(name)?.push(`${type}${e.level ? `:${e.level}` : ''}`));
      sockets.push(s);
    }
    await waitFor('sockets connected', async () => sockets.every((s) => s.connected));

    // the county review's step clock: warned once its (20 − 2)th working day is over, then yellow
    const s = await step();
    const cal = await calendarFor(t.office.ctx.db, COUNTY);
    const warnAfter = cal.addWorkingDays(s.startedOn, 18);
    at(`${warnAfter}T12:00:00+08:00`);
    assert.strictEqual(await t.office.deadlines.tick(), 0);
    afterDay(warnAfter);
    assert.strictEqual(await t.office.deadlines.tick(), 1);
    assert.strictEqual(await t.office.deadlines.tick(), 0, 'fires once');
    assert.strictEqual((await step()).level, 'warning');
    await waitFor('the automatic urging to reach the reviewer', async () => heard.get('reviewer')?.includes('task.urged'));
    assert.strictEqual((await queued('level=warning'))?.level, 'warning', 'the level reached is on the task and filters the queue');
    assert.strictEqual(await queued('level=yellow'), undefined);
    afterDay(s.dueOn);
    assert.strictEqual(await t.office.deadlines.tick(), 1);
    assert.strictEqual(await t.office.deadlines.tick(), 0);
    assert.strictEqual((await step()).level, 'yellow');
    assert.strictEqual((await decision()).level, 'none', 'a step can be overdue while its case is not');
    assert.strictEqual((await queued('level=yellow&sort=due'))?.level, 'yellow');
    await waitFor('yellow live to the holder', async () => heard.get('reviewer')?.includes('deadline.level:yellow'));
    // the decision clock (due 11/23 after pause and extension): warned with 2 working days left
    at('2026-11-19T12:00:00+08:00');
    assert.strictEqual(await t.office.deadlines.tick(), 0);
    at('2026-11-20T09:00:00+08:00');
    assert.strictEqual(await t.office.deadlines.tick(), 1);
    assert.strictEqual(await t.office.deadlines.tick(), 0, 'fires once');
    assert.strictEqual((await decision()).level, 'warning');
    at('2026-11-24T09:00:00+08:00');
    assert.strictEqual(await t.office.deadlines.tick(), 1);
    assert.strictEqual((await decision()).level, 'yellow');
    await waitFor('the case turning yellow reaches the supervisors above it', async () => heard.get('citySup')?.includes('deadline.level:yellow') && heard.get('countySup')?.includes('deadline.level:yellow'));

    await drained(...sockets); // everything sent to every socket so far has arrived
    assert.deepStrictEqual(heard.get('siblingSup'), [], 'a sibling county’s supervisor hears nothing');
    assert.deepStrictEqual(heard.get('siblingReviewer'), [], 'nor does a clerk of another county');
    assert.ok(heard.get('countySup')?.includes('deadline.level:warning'));
    for (const s of sockets) s.close();
    const levels = await t.office.ctx.db('clock_events').where({ type: 'level' }).orderBy('id').select('clock_id', 'level');
    assert.deepStrictEqual(levels.map((l) => `${String(l.clock_id).split(':')[0]}:${l.level}`), ['task:warning', 'task:yellow', 'case:warning', 'case:yellow']);
  });

  it('lets a supervisor urge; the clerk is told live, acknowledges, and it is on the timeline', async () => {
    const s: Socket = io(t.url, { auth: { token: u.reviewer.token }, transports: ['websocket'] });
    const other: Socket = io(t.url, { auth: { token: u.siblingReviewer.token }, transports: ['websocket'] });
    const got: Array<{ urgingId: number; message: string }> = [];
    const otherGot: unknown[] = [];
    s.on('task.urged', (e: { urgingId: number; message: string }) => got.push(e));
    other.on('task.urged', (e: unknown) => otherGot.push(e));
    await waitFor('connected', async () => s.connected && other.connected);
    assert.strictEqual((await u.siblingSup.post(`/api/tasks/${review.userTaskKey}/urge`, { message: '请加快' })).status, 404, 'outside the remit');
    assert.strictEqual((await u.window.post(`/api/tasks/${review.userTaskKey}/urge`, { message: '请加快' })).status, 404, 'not a step the window clerk can see');
    assert.strictEqual((await u.reviewer.post(`/api/tasks/${review.userTaskKey}/urge`, { message: '请加快' })).status, 403, 'the holder sees the step but does not urge');
    const urged = await u.citySup.post<{ urgingId: number; recipients: string[] }>(`/api/tasks/${review.userTaskKey}/urge`, { message: '该件已超期，请今日办结' });
    assert.strictEqual(urged.status, 201, JSON.stringify(urged.body));
    assert.deepStrictEqual(urged.body.recipients, ['jn-01-01.wr.reviewer']);
    const live = await waitFor('urging live', async () => got.find((g) => g.urgingId === urged.body.urgingId));
    assert.strictEqual(live.message, '该件已超期，请今日办结');
    const inbox = await u.reviewer.get<{ unread: number; items: Array<{ kind: string }> }>('/api/notifications?unread=true');
    assert.ok(inbox.body.items.filter((n) => n.kind === 'urge').length >= 2, 'the automatic and the supervisor’s urging are both stored');
    assert.strictEqual((await u.siblingReviewer.post(`/api/urgings/${urged.body.urgingId}/acknowledge`)).status, 404);
    assert.strictEqual((await u.reviewer.post(`/api/urgings/${urged.body.urgingId}/acknowledge`)).status, 200);
    const row = await t.office.ctx.db('urgings').where({ id: urged.body.urgingId }).first();
    assert.strictEqual(row.acknowledged_by, 'jn-01-01.wr.reviewer');
    const timeline = (await u.window.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline.map((e) => e.type);
    assert.ok(timeline.includes('task.urged') && timeline.includes('task.urge-acknowledged'));
    await drained(other);
    assert.deepStrictEqual(otherGot, []);
    s.close();
    other.close();
  });

  it('shows the supervisors of the region and above what is late, and nobody else', async () => {
    const city = await u.citySup.get<{ counts: Record<string, number>; items: Array<{ caseId: string; level: string; reasons: Array<{ kind: string; level: string }> }> }>('/api/supervision/feed');
    assert.strictEqual(city.status, 200);
    assert.strictEqual(city.body.counts.yellow, 1, 'the case once, though its decision clock and its county-review step are both late');
    assert.deepStrictEqual(city.body.items.map((i) => i.caseId), [c.id]);
    assert.sameMembers(city.body.items[0]?.reasons.map((r) => `${r.kind}:${r.level}`) ?? [], ['decision:yellow', 'step:yellow'], 'with both reasons');
    const sibling = await u.siblingSup.get<{ counts: Record<string, number> }>('/api/supervision/feed');
    assert.deepStrictEqual(sibling.body.counts, { warning: 0, yellow: 0, red: 0 });
    assert.strictEqual((await u.reviewer.get('/api/supervision/feed')).status, 403);
  });

  it('escalates an unanswered supervision order (督办) to a red card once; an answered one stays quiet', async () => {
    const order = { unitCode: 'JN-01-01.WR', instructions: '请说明超期原因并于限期内办结', replyBy: '2026-11-25' };
    assert.strictEqual((await u.siblingSup.post(`/api/cases/${c.id}/supervision-orders`, order)).status, 404);
    assert.strictEqual((await u.reviewer.post(`/api/cases/${c.id}/supervision-orders`, order)).status, 403);
    assert.strictEqual((await u.citySup.post(`/api/cases/${c.id}/supervision-orders`, { ...order, unitCode: 'JN-02.WR' })).status, 400, 'a unit outside the case’s region');
    const opened = await u.citySup.post<{ id: number; state: string }>(`/api/cases/${c.id}/supervision-orders`, order);
    assert.strictEqual(opened.status, 201, JSON.stringify(opened.body));
    const inbox = await u.leader.get<{ items: Array<{ kind: string }> }>('/api/notifications?unread=true');
    assert.ok(inbox.body.items.some((n) => n.kind === 'supervision'), 'the responsible unit’s leader is notified');

    at('2026-11-26T09:00:00+08:00'); // the reply-by day 11/25 is over, unanswered
    assert.strictEqual(await t.office.deadlines.tick(), 2, 'the yellow case clock and the yellow step clock turn red');
    assert.strictEqual(await t.office.deadlines.tick(), 0, 'once');
    assert.strictEqual((await decision()).level, 'red');
    assert.strictEqual((await queued('level=red'))?.level, 'red', 'the red card reaches the task too');
    const feed = await u.citySup.get<{ counts: Record<string, number>; items: Array<{ reasons: unknown[] }> }>('/api/supervision/feed');
    assert.strictEqual(feed.body.counts.red, 1, 'one case, red on two clocks');
    assert.strictEqual(feed.body.items[0]?.reasons.length, 2);

    assert.strictEqual((await u.reviewer.post(`/api/supervision-orders/${opened.body.id}/reply`, { reply: '越权答复' })).status, 403);
    assert.strictEqual((await u.leader.post(`/api/supervision-orders/${opened.body.id}/reply`, { reply: '专家评审延误，已于今日办结' })).status, 200);
    assert.strictEqual((await u.citySup.post(`/api/supervision-orders/${opened.body.id}/close`)).status, 200);
    assert.strictEqual((await u.citySup.post(`/api/supervision-orders/${opened.body.id}/close`)).status, 409);

    const second = await u.citySup.post<{ id: number }>(`/api/cases/${c.id}/supervision-orders`, { ...order, replyBy: '2026-11-27' });
    assert.strictEqual((await u.head.post(`/api/supervision-orders/${second.body.id}/reply`, { reply: '已按期答复' })).status, 200);
    at('2026-11-30T09:00:00+08:00');
    assert.strictEqual(await t.office.deadlines.tick(), 0, 'an answered order does not escalate');
    const timeline = (await u.window.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline.map((e) => e.type);
    for (const type of ['supervision.opened', 'supervision.escalated', 'deadline.red', 'supervision.replied', 'supervision.closed']) assert.ok(timeline.includes(type), type);
  });

  it('neither loses a pending deadline nor fires one twice across a restart', async () => {
    // a fresh case whose step clock is still pending when the back office restarts
    at('2026-11-24T10:00:00+08:00');
    const fresh = await submit(u.window, WATER.item, COUNTY);
    const pending = await taskAt(u.window, fresh.id, WATER.window);
    const database = t.database;
    await t.stop();
    t = await startOffice({ database, clock, env: { DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    u.window = await login(t.url, 'jn-01-01.asc.window');
    assert.strictEqual(await t.office.deadlines.tick(), 0, 'nothing fires again after the restart');
    const stepClock = (await u.window.get<{ clocks: Array<ClockJson & { userTaskKey: string; startedOn: string }> }>(`/api/cases/${fresh.id}/clock`)).body.clocks.find((k) => k.userTaskKey === pending.userTaskKey);
    assert.ok(stepClock, 'the pending step clock survived the restart');
    afterDay(stepClock.dueOn);
    assert.strictEqual(await t.office.deadlines.tick(), 2, 'the window step (5 working days): warning and yellow both reached in one sweep');
    assert.strictEqual(await t.office.deadlines.tick(), 0);
    const fired = await t.office.ctx.db('clock_events').where({ type: 'level', clock_id: `task:${pending.userTaskKey}` }).pluck('level');
    assert.deepStrictEqual(fired.sort(), ['warning', 'yellow'], 'both levels recorded, each once');
  });
});
