/**
 * 超时自动处理 on the real engine, on a controlled back-office clock: a step whose setting
 * `timeoutAction` is `return` goes back to the window (to the clerk who accepted), one set to `pass`
 * is approved with the system's opinion — each exactly once, also when two instances sweep at the
 * same moment and across a crash on either side of the engine call; recorded as done by `system` on
 * the timeline and in the audit log, pushed live; a suspended case and a paused one (特别程序) are
 * not acted on until they run again.
 *
 * Only the back office's clock moves: the engine keeps real time, so step clocks start at the
 * engine's timestamp of the task (today) and the clock is set past the 2-working-day limits of the
 * review steps but before the window's 5 days, so a step reopened by the return is not yet late.
 */
import fs from 'node:fs';
import path from 'node:path';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { repoRoot } from '../../config/index.ts';
import { EngineError } from '../../backend/engine/port.ts';
import { beijingDate, calendarFor, endOfBeijingDay } from '../../backend/modules/calendar/index.ts';
import { login, type Client } from '../support/api.ts';
import { ManualClock, startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, type CaseJson } from '../support/licensing.ts';

const ITEM = 'TEST-TIMEOUT';
const NAMES = ['pass', 'ret', 'suspended', 'paused', 'crashBefore', 'crashAfter'] as const;

describe('automatic action when a step runs out of time (超时自动处理)', () => {
  const clock = new ManualClock(Date.now());
  let t: TestOffice;
  let second: TestOffice;
  const u = {} as Record<'window' | 'reviewer' | 'head' | 'leader', Client>;
  const sockets: Socket[] = [];
  const heard: Array<{ who: string; op: string; key: string; actor: string }> = [];
  const cases = {} as Record<(typeof NAMES)[number], CaseJson>;
  const keyOf = {} as Record<keyof typeof cases, string>;

  const db = () => t.office.ctx.db;
  const count = async (table: string, where: Record<string, unknown>) => Number((await db()(table).where(where).count({ n: '*' }).first())?.n);
  const entries = (caseId: string, type: string) => count('case_events', { case_id: caseId, type });
  const audits = (caseId: string, action: string) => count('audit_log', { case_id: caseId, action });
  const row = async (key: string) => db()('tasks').where({ user_task_key: key }).first();

  /** The back office's open tasks of the case are exactly the engine's, once the feed has caught up. */
  async function tablesAgree(caseId: string, expect: string[]): Promise<Array<{ key: string; elementId: string; assignee: string | null }>> {
    const instanceId = String((await db()('cases').where({ id: caseId }).first('process_instance_key')).process_instance_key);
    return waitFor(`open tasks of ${caseId} at ${expect.join(',') || 'none'} in both`, async () => {
      const engine = (await t.office.ctx.engine.openTasks({ instanceId })).map((x) => `${x.taskId}@${x.elementId}`).sort();
      const ours = await db()('tasks').where({ case_id: caseId, state: 'open' }).select('user_task_key', 'element_id', 'assignee');
      const mine = ours.map((r) => `${r.user_task_key}@${r.element_id}`).sort();
      const same = JSON.stringify(engine) === JSON.stringify(mine) && JSON.stringify(ours.map((r) => r.element_id).sort()) === JSON.stringify([...expect].sort());
      return same ? ours.map((r) => ({ key: String(r.user_task_key), elementId: String(r.element_id), assignee: r.assignee as string | null })) : null;
    });
  }

  function listen(who: string, token: string) {
    const s: Socket = io(t.url, { auth: { token }, transports: ['websocket'] });
    sockets.push(s);
    s.on('task.operated', (e: { op: string; actor: string; task: { userTaskKey: string } }) => heard.push({ who, op: e.op, key: e.task.userTaskKey, actor: e.actor }));
    return waitFor(`${who}'s socket`, async () => s.connected);
  }

  /**
   * Both instances sweep at the same moment, as two back offices on one MariaDB do; on the embedded
   * SQLite (one writer, one office in production) one after the other.
   */
  const sweep = async () => {
    if (t.databaseUrl) return Promise.all([t.office.deadlines.tick(), second.office.deadlines.tick()]);
    return [await t.office.deadlines.tick(), await second.office.deadlines.tick()];
  };

  before(async function () {
    this.timeout(240_000);
    // two back offices share rooms through Redis, as in production: either may act, the sockets are on one
    const env = { DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000', REDIS_URL: 'redis://127.0.0.1:6379' };
    t = await startOffice({ clock, env });
    second = await startOffice({ database: t.database, feed: 'off', clock, env });
    const designer = await login(t.url, 'jn.wr.designer');
    const xml = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'timeout-actions.bpmn'), 'utf8');
    const deployed = await designer.post('/api/processes', { name: 'timeout-actions.bpmn', xml });
    assert.strictEqual(deployed.status, 201, JSON.stringify(deployed.body));
    const now = Date.now();
    await db()('service_items').insert({
      code: ITEM, name: '超时自动处理（测试）', item_type: '行政许可', department: 'WR', handling_level: 'county', implementing_body: '测试', legal_basis: '测试',
      statutory_limit_days: 20, promised_limit_days: 20, materials: '[]', process_id: 'test_timeout_actions', process_version: null, process_settings: '{}', active: true, created_at: now, updated_at: now,
    });
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    u.head = await login(t.url, 'jn-01-01.wr.head');
    u.leader = await login(t.url, 'jn-01-01.wr.leader');
    for (const name of NAMES) {
      const c = await submit(u.window, ITEM, COUNTY);
      await decide(u.window, c.id, 'window', 'accept', '受理');
      if (name !== 'ret') await decide(u.reviewer, c.id, 'review_return', 'approve', '初审同意');
      keyOf[name] = (name === 'ret' ? await taskAt(u.reviewer, c.id, 'review_return') : await taskAt(u.head, c.id, 'review_pass')).userTaskKey;
      cases[name] = c;
    }
    // the reviews are due two working days after today; the window's five are not over yet
    const cal = await calendarFor(db(), COUNTY);
    const today = beijingDate(Date.now());
    clock.set(new Date(endOfBeijingDay(cal.addWorkingDays(today, 2)) + 3600_000).toISOString());
    assert.isBelow(clock.now(), endOfBeijingDay(cal.addWorkingDays(today, 3)), 'the window step reopened by a return is not late at once');
    await listen('window', u.window.token);
    await listen('head', u.head.token);
  });

  after(async () => {
    for (const s of sockets) s.close();
    await second?.stop();
    await t?.close();
    await stopFeed();
  });

  it('returns and passes each step once with two instances sweeping; a suspended or paused case is left alone', async function () {
    this.timeout(120_000);
    const suspended = await u.leader.post(`/api/cases/${cases.suspended.id}/suspend`, { reason: '申请人涉嫌提供虚假材料，暂停办理' });
    assert.strictEqual(suspended.status, 200, JSON.stringify(suspended.body));
    const paused = await u.head.post(`/api/cases/${cases.paused.id}/clock/pause`, { reason: '组织专家评审', expectedDays: 5 });
    assert.strictEqual(paused.status, 200, JSON.stringify(paused.body));
    // the two crash cases are swept in the next test
    await db()('clocks').whereIn('user_task_key', [keyOf.crashBefore, keyOf.crashAfter]).update({ next_check_at: null });

    // two instances at once; one that lost a lock race to the other leaves that clock to a later round
    await waitFor('both late steps acted on', async () => {
      await sweep();
      return (await row(keyOf.ret)).state === 'completed' && (await row(keyOf.pass)).state === 'completed';
    });

    // 退回 to the window, to the clerk who accepted, under the system's name
    const ret = await tablesAgree(cases.ret.id, ['window']);
    assert.strictEqual(ret[0]!.assignee, 'jn-01-01.asc.window', 'back to whoever handled the window');
    const returned = await row(keyOf.ret);
    assert.deepInclude(returned, { state: 'completed', decision: 'return', completed_by: 'system' });
    const fresh = await db()('clocks').where({ id: `task:${ret[0]!.key}` }).first();
    assert.strictEqual(fresh.state, 'running', 'the reopened window step runs a new step clock');
    // 通过: the case goes on past the last step and concludes
    await tablesAgree(cases.pass.id, []);
    const passed = await row(keyOf.pass);
    assert.deepInclude(passed, { state: 'completed', decision: 'approve', completed_by: 'system' });
    assert.match(String(passed.opinion), /系统/);
    await waitFor('the passed case concluded', async () => ((await db()('cases').where({ id: cases.pass.id }).first('status')).status === 'concluded' ? true : null));

    // not acted on: suspended, paused (the positive control above acted in the same sweeps)
    for (const name of ['suspended', 'paused'] as const) {
      assert.deepInclude(await row(keyOf[name]), { state: 'open', completing_by: null, decision: null }, name);
      await tablesAgree(cases[name].id, ['review_pass']);
      assert.strictEqual(await entries(cases[name].id, 'task.timeout_passed'), 0, name);
      assert.strictEqual(await entries(cases[name].id, 'deadline.yellow'), 1, `${name}: still announced as late`);
    }

    // again, later: nothing more
    clock.set(new Date(clock.now() + 600_000).toISOString());
    await sweep();
    await sweep();
    assert.strictEqual(await entries(cases.ret.id, 'task.timeout_returned'), 1);
    assert.strictEqual(await audits(cases.ret.id, 'task.timeout_return'), 1);
    assert.strictEqual(await entries(cases.pass.id, 'task.timeout_passed'), 1);
    assert.strictEqual(await audits(cases.pass.id, 'task.timeout_pass'), 1);
    assert.strictEqual(await entries(cases.pass.id, 'task.completed_outside'), 0, 'the system’s completion is the back office’s own');
    const entry = await db()('case_events').where({ case_id: cases.pass.id, type: 'task.timeout_passed' }).first();
    assert.strictEqual(entry.actor, 'system');
    const audit = await db()('audit_log').where({ case_id: cases.ret.id, action: 'task.timeout_return' }).first();
    assert.strictEqual(audit.actor, 'system');
    assert.strictEqual(await count('timeout_actions', { user_task_key: keyOf.pass, state: 'done' }), 1);
    assert.strictEqual(await count('timeout_actions', { user_task_key: keyOf.ret, state: 'done' }), 1);

    // live: the head's group held the passed step; the window clerk gets the returned case back
    await waitFor('live events', async () => heard.some((h) => h.who === 'window' && h.op === 'timeout_return') && heard.some((h) => h.who === 'head' && h.op === 'timeout_pass'));
    assert.deepStrictEqual(heard.filter((h) => h.op.startsWith('timeout')).map((h) => `${h.who}:${h.op}:${h.key}:${h.actor}`).sort(), [`head:timeout_pass:${keyOf.pass}:system`, `window:timeout_return:${keyOf.ret}:system`].sort());

    // running again, the late steps are acted on at the next sweep
    assert.strictEqual((await u.leader.post(`/api/cases/${cases.suspended.id}/resume`, { reason: '核查完毕，恢复办理' })).status, 200);
    assert.strictEqual((await u.head.post(`/api/cases/${cases.paused.id}/clock/resume`)).status, 200);
    await waitFor('the resumed cases acted on', async () => {
      await sweep();
      return (await row(keyOf.suspended)).state === 'completed' && (await row(keyOf.paused)).state === 'completed';
    });
    for (const name of ['suspended', 'paused'] as const) {
      await tablesAgree(cases[name].id, []);
      assert.deepInclude(await row(keyOf[name]), { state: 'completed', decision: 'approve', completed_by: 'system' }, name);
      assert.strictEqual(await entries(cases[name].id, 'task.timeout_passed'), 1, name);
    }
  });

  it('carries an action out once across a crash before and after the engine call', async function () {
    this.timeout(120_000);
    const engine = second.office.ctx.engine;
    const complete = engine.complete.bind(engine);
    // only the second instance sweeps here, and it dies either side of the engine call
    await db()('clocks').whereIn('user_task_key', [keyOf.crashBefore, keyOf.crashAfter]).update({ next_check_at: clock.now() });
    engine.complete = async (taskId, variables) => {
      if (taskId === keyOf.crashAfter) await complete(taskId, variables); // done on the engine, then the office dies
      throw new EngineError('unavailable', 'simulated crash');
    };
    try {
      await second.office.deadlines.tick();
    } finally {
      engine.complete = complete;
    }
    assert.deepInclude(await row(keyOf.crashBefore), { state: 'open', completing_by: 'system' }, 'marked, the engine not told');
    assert.strictEqual(await count('timeout_actions', { user_task_key: keyOf.crashBefore, state: 'pending' }), 1);
    // the engine's record of the other arrives through the feed, with the system's mark on it
    await tablesAgree(cases.crashAfter.id, []);
    assert.strictEqual((await row(keyOf.crashAfter)).completed_by, 'system');
    assert.strictEqual(await entries(cases.crashAfter.id, 'task.timeout_passed'), 0, 'not recorded yet: the office died first');

    // a sweep within the dead instance's lease does nothing; after it, the work is finished once
    await sweep();
    assert.strictEqual(await entries(cases.crashBefore.id, 'task.timeout_passed'), 0, 'leased by the instance that died');
    clock.set(new Date(clock.now() + 120_000).toISOString());
    await sweep();
    await sweep();
    await tablesAgree(cases.crashBefore.id, []);
    for (const name of ['crashBefore', 'crashAfter'] as const) {
      assert.deepInclude(await row(keyOf[name]), { state: 'completed', decision: 'approve', completed_by: 'system' }, name);
      assert.strictEqual(await entries(cases[name].id, 'task.timeout_passed'), 1, name);
      assert.strictEqual(await entries(cases[name].id, 'task.completed'), 3, `${name}: window, review, and the system's pass — once`);
      assert.strictEqual(await audits(cases[name].id, 'task.timeout_pass'), 1, name);
      assert.strictEqual(await entries(cases[name].id, 'task.completed_outside'), 0, name);
    }
  });
});
