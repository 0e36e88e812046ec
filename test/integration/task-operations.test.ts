/**
 * Task operations on the real engine (issue 12): 退回 return (through the steps again, or straight
 * back to the returner), 撤回 withdraw, 转办 transfer, 委派 delegate / resolve. For each: the allowed
 * actor succeeds, others get 403/404 and nothing changes, the task table equals the engine's open
 * tasks afterwards, timeline and audit show the operation once, and the step clocks behave (a return
 * opens a new step clock, a transfer keeps the step's clock).
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { login, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { COUNTY, decide, people, type People, submit, taskAt, WATER, type TaskJson } from '../support/licensing.ts';

interface Task extends TaskJson {
  decision: string | null;
  owner: string | null;
  returnToElement: string | null;
  dueAt: string | null;
}

describe('task operations: return, withdraw, transfer, delegate', () => {
  let t: TestOffice;
  let p: People;
  let sup: Client;
  let reviewer2: Client;
  let head: Client;
  let countyLeader: Client;
  before(async () => {
    t = await startOffice();
    p = await people(t.url);
    await addUser(t.office.ctx.db, 'jn-01-01.wr.reviewer2', 'JN-01-01.WR', ['reviewer']);
    sup = await login(t.url, 'jn-01.sup.supervisor');
    reviewer2 = await login(t.url, 'jn-01-01.wr.reviewer2');
    head = await login(t.url, 'jn-01-01.wr.head');
    countyLeader = await login(t.url, 'jn-01-01.wr.leader');
  });
  const sockets: Socket[] = [];
  after(async () => {
    for (const s of sockets) s.close();
    await t?.close();
    await stopFeed();
  });

  const db = () => t.office.ctx.db;
  const instanceOf = async (caseId: string) => String((await db()('cases').where({ id: caseId }).first('process_instance_key')).process_instance_key);

  /** The back office's open tasks of the case are exactly the engine's (keys, steps, assignees). */
  async function tablesAgree(caseId: string): Promise<Array<{ key: string; elementId: string }>> {
    const instanceId = await instanceOf(caseId);
    return waitFor(`task table of ${caseId} equals the engine's open tasks`, async () => {
      const engine = (await t.office.ctx.engine.openTasks({ instanceId })).map((x) => `${x.taskId}@${x.elementId}`).sort();
      const ours = (await db()('tasks').where({ case_id: caseId, state: 'open' }).select('user_task_key', 'element_id')).map((r) => `${r.user_task_key}@${r.element_id}`).sort();
      return engine.length > 0 && JSON.stringify(engine) === JSON.stringify(ours) ? ours.map((s) => ({ key: s.split('@')[0]!, elementId: s.split('@')[1]! })) : null;
    });
  }
  const timelineCount = async (caseId: string, type: string) => Number((await db()('case_events').where({ case_id: caseId, type }).count({ n: '*' }).first())?.n);
  const auditCount = async (caseId: string, action: string) => Number((await db()('audit_log').where({ case_id: caseId, action }).count({ n: '*' }).first())?.n);
  const taskRow = async (key: string) => db()('tasks').where({ user_task_key: key }).first();
  const clockOf = async (key: string) => db()('clocks').where({ id: `task:${key}` }).first();

  async function claimed(who: Client, caseId: string, elementId: string): Promise<Task> {
    const task = (await taskAt(who, caseId, elementId)) as Task;
    const r = await who.post<Task>(`/api/tasks/${task.userTaskKey}/claim`);
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }
  /** The open task of a step as stored, once the feed has brought it. */
  const openAt = (caseId: string, elementId: string) => waitFor(`open ${elementId} of ${caseId}`, async () => db()('tasks').where({ case_id: caseId, element_id: elementId, state: 'open' }).first());

  function listen(token: string) {
    const socket: Socket = io(t.url, { auth: { token }, transports: ['websocket'] });
    sockets.push(socket);
    const got: Array<{ op: string; key: string }> = [];
    socket.on('task.operated', (e: { op: string; task: { userTaskKey: string } }) => got.push({ op: e.op, key: e.task.userTaskKey }));
    return { socket, got };
  }

  it('退回 returns to an allowed step, to its previous handler, through the steps again, with a new step clock', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept', '受理');
    await decide(p.countyReviewer, c.id, WATER.county, 'approve', '初审同意');
    const city = await claimed(p.cityReviewer, c.id, WATER.city);
    const targets = await p.cityReviewer.get<{ items: Array<{ elementId: string; previous: boolean; handledBy: string }> }>(`/api/tasks/${city.userTaskKey}/return-targets`);
    assert.deepStrictEqual(targets.body.items.map((x) => [x.elementId, x.previous, x.handledBy]), [
      [WATER.county, true, 'jn-01-01.wr.reviewer'],
      [WATER.window, false, 'jn-01-01.asc.window'],
    ]);
    const body = { target: WATER.window, mode: 'again', reason: '申请书缺少法定代表人签字' };
    // others: not visible → 404; visible but not theirs → 403; nothing changes
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${city.userTaskKey}/return`, body)).status, 404);
    assert.strictEqual((await p.provinceLeader.post(`/api/tasks/${city.userTaskKey}/return`, body)).status, 404);
    assert.strictEqual((await sup.post(`/api/tasks/${city.userTaskKey}/return`, body)).status, 403);
    // bad input: a step not allowed, a reason missing
    const notAllowed = await p.cityReviewer.post<{ error: { message: string } }>(`/api/tasks/${city.userTaskKey}/return`, { ...body, target: WATER.delivery });
    assert.strictEqual(notAllowed.status, 400);
    assert.match(notAllowed.body.error.message, /may not be returned to "licence_delivery"; allowed: county_review/);
    assert.strictEqual((await p.cityReviewer.post(`/api/tasks/${city.userTaskKey}/return`, { ...body, reason: ' ' })).status, 400);
    assert.strictEqual((await taskRow(city.userTaskKey)).state, 'open');
    assert.strictEqual(await timelineCount(c.id, 'task.returned'), 0);

    const cityClock = await clockOf(city.userTaskKey);
    assert.strictEqual(cityClock.state, 'running');
    const res = await p.cityReviewer.post<Task>(`/api/tasks/${city.userTaskKey}/return`, body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    assert.strictEqual(res.body.state, 'completed');
    assert.strictEqual(res.body.decision, 'return');
    const open = await tablesAgree(c.id);
    assert.deepStrictEqual(open.map((o) => o.elementId), [WATER.window]);
    const windowAgain = await taskRow(open[0]!.key);
    assert.strictEqual(windowAgain.assignee, 'jn-01-01.asc.window', 'back to whoever handled the step');
    assert.strictEqual((await clockOf(city.userTaskKey)).state, 'stopped');
    const fresh = await clockOf(open[0]!.key);
    assert.strictEqual(fresh.state, 'running', 'a return opens a new step clock');
    // a retry changes nothing; the operation is on the timeline and in the audit once
    assert.strictEqual((await p.cityReviewer.post(`/api/tasks/${city.userTaskKey}/return`, body)).status, 200);
    assert.strictEqual(await timelineCount(c.id, 'task.returned'), 1);
    assert.strictEqual(await auditCount(c.id, 'task.return'), 1);
    const entry = await db()('case_events').where({ case_id: c.id, type: 'task.returned' }).first();
    assert.include(entry.data, '申请书缺少法定代表人签字');
    // a closed task: no more operations on it, with the reason
    const closed = await p.cityReviewer.post<{ error: { message: string } }>(`/api/tasks/${city.userTaskKey}/transfer`, { to: 'jn-01.wr.head', reason: '转办' });
    assert.strictEqual(closed.status, 409);
    assert.match(closed.body.error.message, /is completed, no longer open/);
    // through the steps again: the window's acceptance goes to the county, not straight to the city
    await p.window.post(`/api/tasks/${open[0]!.key}/complete`, { decision: 'accept', opinion: '已补签字' });
    const next = await tablesAgree(c.id);
    assert.deepStrictEqual(next.map((o) => o.elementId), [WATER.county]);
  });

  it('退回 "straight back to me" skips the steps in between after the correction', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    await decide(p.countyReviewer, c.id, WATER.county, 'approve');
    await decide(p.cityReviewer, c.id, WATER.city, 'approve');
    const prov = await claimed(p.provinceLeader, c.id, WATER.province);
    const res = await p.provinceLeader.post<Task>(`/api/tasks/${prov.userTaskKey}/return`, { target: WATER.window, mode: 'back_to_me', reason: '请核对申请人身份证明' });
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    const open = await tablesAgree(c.id);
    assert.deepStrictEqual(open.map((o) => o.elementId), [WATER.window]);
    const w = await p.window.get<Task>(`/api/tasks/${open[0]!.key}`);
    assert.strictEqual(w.body.returnToElement, WATER.province);
    assert.strictEqual(w.body.assignee, 'jn-01-01.asc.window');
    const done = await p.window.post<Task>(`/api/tasks/${open[0]!.key}/complete`, { decision: 'accept', opinion: '已核对' });
    assert.strictEqual(done.status, 200, JSON.stringify(done.body));
    const back = await tablesAgree(c.id);
    assert.deepStrictEqual(back.map((o) => o.elementId), [WATER.province], 'county and city are skipped');
    assert.strictEqual((await taskRow(back[0]!.key)).assignee, 'jn.wr.leader');
    assert.strictEqual((await taskRow(open[0]!.key)).state, 'completed');
    assert.strictEqual((await taskRow(open[0]!.key)).decision, 'accept');
    assert.strictEqual(await timelineCount(c.id, 'task.returned'), 1);
  });

  it('撤回 takes a step back while the next holder has not taken it up, and not after', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    const county = await decide(p.countyReviewer, c.id, WATER.county, 'approve', '同意');
    const cityOpen = await openAt(c.id, WATER.city);
    const mine = await waitFor('withdrawable', async () => (await p.countyReviewer.get<{ task: Task | null }>(`/api/cases/${c.id}/withdrawable`)).body.task);
    assert.strictEqual(mine.userTaskKey, county.userTaskKey);
    assert.isNull((await p.window.get<{ task: Task | null }>(`/api/cases/${c.id}/withdrawable`)).body.task, 'the window decided earlier: not the last actor');
    const body = { reason: '发现取水量填写有误' };
    assert.strictEqual((await p.cityReviewer.post(`/api/tasks/${county.userTaskKey}/withdraw`, body)).status, 404);
    assert.strictEqual((await p.window.post(`/api/tasks/${county.userTaskKey}/withdraw`, body)).status, 404);
    assert.strictEqual((await reviewer2.post(`/api/tasks/${county.userTaskKey}/withdraw`, body)).status, 403, 'a colleague sees it, but did not decide it');
    assert.strictEqual((await taskRow(cityOpen.user_task_key)).state, 'open');
    const res = await p.countyReviewer.post<Task>(`/api/tasks/${county.userTaskKey}/withdraw`, body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    const open = await tablesAgree(c.id);
    assert.deepStrictEqual(open.map((o) => o.elementId), [WATER.county]);
    assert.strictEqual((await taskRow(open[0]!.key)).assignee, 'jn-01-01.wr.reviewer', 'back to the one who withdrew it');
    assert.strictEqual((await taskRow(cityOpen.user_task_key)).state, 'canceled');
    assert.strictEqual(await timelineCount(c.id, 'task.withdrawn'), 1);
    assert.strictEqual(await auditCount(c.id, 'task.withdraw'), 1);
    assert.strictEqual((await clockOf(open[0]!.key)).state, 'running');
    // decided again, and this time the city takes it up: too late
    const again = await p.countyReviewer.post<Task>(`/api/tasks/${open[0]!.key}/complete`, { decision: 'approve', opinion: '已更正' });
    assert.strictEqual(again.status, 200);
    await claimed(p.cityReviewer, c.id, WATER.city);
    const late = await p.countyReviewer.post<{ error: { message: string } }>(`/api/tasks/${open[0]!.key}/withdraw`, body);
    assert.strictEqual(late.status, 409);
    assert.match(late.body.error.message, /taken up by jn-01\.wr\.reviewer/);
    assert.strictEqual(await timelineCount(c.id, 'task.withdrawn'), 1);
  });

  it('转办 hands the task to a person of the same unit; the step clock runs on', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    const task = await claimed(p.countyReviewer, c.id, WATER.county);
    const before = await clockOf(task.userTaskKey);
    const heard = listen(reviewer2.token);
    await waitFor('socket connected', async () => heard.socket.connected);
    const body = { to: 'jn-01-01.wr.reviewer2', reason: '承办人出差，转同科室办理' };
    assert.strictEqual((await countyLeader.post(`/api/tasks/${task.userTaskKey}/transfer`, body)).status, 403, 'the unit leader sees it but does not hold it');
    assert.strictEqual((await sup.post(`/api/tasks/${task.userTaskKey}/transfer`, body)).status, 403);
    assert.strictEqual((await p.cityReviewer.post(`/api/tasks/${task.userTaskKey}/transfer`, body)).status, 404);
    const outside = await p.countyReviewer.post<{ error: { message: string } }>(`/api/tasks/${task.userTaskKey}/transfer`, { ...body, to: 'jn-01-02.wr.reviewer' });
    assert.strictEqual(outside.status, 400);
    assert.match(outside.body.error.message, /not an active member of your unit JN-01-01\.WR/);
    const noRole = await p.countyReviewer.post<{ error: { message: string } }>(`/api/tasks/${task.userTaskKey}/transfer`, { ...body, to: 'jn-01-01.wr.head' });
    assert.strictEqual(noRole.status, 400, 'a head holds no reviewer role for this step');
    assert.strictEqual((await taskRow(task.userTaskKey)).assignee, 'jn-01-01.wr.reviewer');
    const res = await p.countyReviewer.post<Task>(`/api/tasks/${task.userTaskKey}/transfer`, body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    assert.strictEqual(res.body.assignee, 'jn-01-01.wr.reviewer2');
    await waitFor('the new holder hears of it', async () => heard.got.some((g) => g.op === 'transfer' && g.key === task.userTaskKey));
    const after = await clockOf(task.userTaskKey);
    assert.strictEqual(after.state, 'running');
    assert.strictEqual(Number(after.due_at), Number(before.due_at), 'a transfer keeps the step clock');
    assert.strictEqual(after.started_on, before.started_on);
    await tablesAgree(c.id);
    assert.strictEqual(await timelineCount(c.id, 'task.transferred'), 1);
    assert.strictEqual(await auditCount(c.id, 'task.transfer'), 1);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'approve', opinion: '' })).status, 403, 'no longer theirs');
    const done = await reviewer2.post<Task>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'approve', opinion: '同意' });
    assert.strictEqual(done.status, 200, JSON.stringify(done.body));
  });

  it('委派 lends the task to a colleague and it comes back to its owner for the decision', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    const task = await claimed(p.countyReviewer, c.id, WATER.county);
    const body = { to: 'jn-01-01.wr.head', reason: '请科室负责人把关水资源论证' };
    assert.strictEqual((await reviewer2.post(`/api/tasks/${task.userTaskKey}/delegate`, body)).status, 403);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${task.userTaskKey}/delegate`, { ...body, to: 'jn-01.wr.reviewer' })).status, 400);
    const res = await p.countyReviewer.post<Task>(`/api/tasks/${task.userTaskKey}/delegate`, body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    assert.deepStrictEqual([res.body.assignee, res.body.owner], ['jn-01-01.wr.head', 'jn-01-01.wr.reviewer']);
    // while delegated nobody decides it; only the delegate answers
    assert.strictEqual((await head.post(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'approve', opinion: '' })).status, 403);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${task.userTaskKey}/resolve`, { opinion: '自己收回' })).status, 403);
    assert.strictEqual((await head.post(`/api/tasks/${task.userTaskKey}/resolve`, { opinion: '' })).status, 400);
    const back = await head.post<Task>(`/api/tasks/${task.userTaskKey}/resolve`, { opinion: '论证充分，可以通过' });
    assert.strictEqual(back.status, 200, JSON.stringify(back.body));
    assert.deepStrictEqual([back.body.assignee, back.body.owner], ['jn-01-01.wr.reviewer', null]);
    const engine = await t.office.ctx.engine.openTasks({ instanceId: await instanceOf(c.id) });
    assert.strictEqual(engine.find((x) => x.taskId === task.userTaskKey)?.assignee, 'jn-01-01.wr.reviewer', 'the engine handed it back to its owner too');
    assert.strictEqual(await timelineCount(c.id, 'task.delegated'), 1);
    assert.strictEqual(await timelineCount(c.id, 'task.resolved'), 1);
    assert.strictEqual(await auditCount(c.id, 'task.resolve'), 1);
    const done = await p.countyReviewer.post<Task>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'approve', opinion: '同意' });
    assert.strictEqual(done.status, 200, JSON.stringify(done.body));
    await tablesAgree(c.id);
    // a closed task: no operation any more
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${task.userTaskKey}/delegate`, { to: 'jn-01-01.wr.reviewer2', reason: '晚了' })).status, 409);
  });

  it('驳回 follows the step’s rule: a refusal ends the case with reasons and remedies; the city’s rule returns to the window', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    // the county step has no rule: no 驳回 there
    const county = await claimed(p.countyReviewer, c.id, WATER.county);
    const noRule = await p.countyReviewer.post<{ error: { message: string } }>(`/api/tasks/${county.userTaskKey}/reject`, { reason: '驳回' });
    assert.strictEqual(noRule.status, 400);
    assert.match(noRule.body.error.message, /has no 驳回 rule/);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${county.userTaskKey}/complete`, { decision: 'approve', opinion: '同意' })).status, 200);
    const city = await claimed(p.cityReviewer, c.id, WATER.city);
    assert.strictEqual((await sup.post(`/api/tasks/${city.userTaskKey}/reject`, { reason: '越权' })).status, 403);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${city.userTaskKey}/reject`, { reason: '越权' })).status, 404);
    const toWindow = await p.cityReviewer.post<Task>(`/api/tasks/${city.userTaskKey}/reject`, { reason: '申请材料与事项不符' });
    assert.strictEqual(toWindow.status, 200, JSON.stringify(toWindow.body));
    assert.strictEqual(toWindow.body.decision, 'reject');
    const open = await tablesAgree(c.id);
    assert.deepStrictEqual(open.map((o) => o.elementId), [WATER.window]);
    assert.strictEqual((await taskRow(open[0]!.key)).assignee, 'jn-01-01.asc.window');
    assert.strictEqual(await timelineCount(c.id, 'task.rejected'), 1);
    assert.strictEqual(await auditCount(c.id, 'task.reject'), 1);

    await p.window.post(`/api/tasks/${open[0]!.key}/complete`, { decision: 'accept', opinion: '已更正' });
    await decide(p.countyReviewer, c.id, WATER.county, 'approve');
    await decide(p.cityReviewer, c.id, WATER.city, 'approve');
    const prov = await claimed(p.provinceLeader, c.id, WATER.province);
    const noRemedies = await p.provinceLeader.post<{ error: { message: string } }>(`/api/tasks/${prov.userTaskKey}/reject`, { reason: '取水总量超出区域控制指标' });
    assert.strictEqual(noRemedies.status, 400);
    assert.match(noRemedies.body.error.message, /remedies/);
    assert.strictEqual((await taskRow(prov.userTaskKey)).state, 'open');
    const refused = await p.provinceLeader.post<Task>(`/api/tasks/${prov.userTaskKey}/reject`, { reason: '取水总量超出区域控制指标', remedies: '如不服本决定，可于60日内申请行政复议，或于6个月内提起行政诉讼' });
    assert.strictEqual(refused.status, 200, JSON.stringify(refused.body));
    const done = await waitFor('the case concluded', async () => {
      const r = await p.window.get<{ status: string; result: string | null }>(`/api/cases/${c.id}`);
      return r.body.status === 'concluded' ? r.body : null;
    });
    assert.strictEqual(done.result, 'refused');
    assert.strictEqual((await db()('tasks').where({ case_id: c.id, state: 'open' })).length, 0);
    assert.deepStrictEqual(await t.office.ctx.engine.openTasks({ instanceId: await instanceOf(c.id) }), []);
    const entry = await db()('case_events').where({ case_id: c.id, type: 'task.rejected', user_task_key: prov.userTaskKey }).first();
    assert.include(entry.data, '行政复议');
    assert.strictEqual(await timelineCount(c.id, 'task.rejected'), 2);
    assert.strictEqual((await taskRow(prov.userTaskKey)).decision, 'reject');
  });

  it('批量审批 decides several tasks of one step, each authorized and recorded on its own, failures listed per task', async () => {
    const [c1, c2, c3] = [await submit(p.window, WATER.item, COUNTY), await submit(p.window, WATER.item, COUNTY), await submit(p.window, WATER.item, COUNTY)];
    for (const c of [c1, c2]) await decide(p.window, c.id, WATER.window, 'accept');
    const k1 = (await taskAt(p.countyReviewer, c1.id, WATER.county)).userTaskKey;
    const k2 = (await taskAt(p.countyReviewer, c2.id, WATER.county)).userTaskKey;
    const kw = (await taskAt(p.window, c3.id, WATER.window)).userTaskKey;
    const body = { keys: [k1, k2, kw, '999999999'], decision: 'approve', opinion: '批量同意' };
    const bySup = await sup.post<{ items: Array<{ userTaskKey: string; ok: boolean; status: number }> }>('/api/tasks/batch-complete', body);
    assert.strictEqual(bySup.status, 200);
    // the supervisor sees all three (the window task is of another step: refused as such) but decides none
    assert.deepStrictEqual(bySup.body.items.map((i) => i.status), [403, 403, 400, 404]);
    assert.strictEqual((await taskRow(k1)).state, 'open');
    const res = await p.countyReviewer.post<{ items: Array<{ userTaskKey: string; ok: boolean; status: number; message: string | null }> }>('/api/tasks/batch-complete', body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    assert.deepStrictEqual(res.body.items.map((i) => [i.userTaskKey, i.ok, i.status]), [[k1, true, 200], [k2, true, 200], [kw, false, 404], ['999999999', false, 404]]);
    for (const c of [c1, c2]) {
      assert.deepStrictEqual((await tablesAgree(c.id)).map((o) => o.elementId), [WATER.city]);
      const done = await db()('case_events').where({ case_id: c.id, type: 'task.completed', element_id: WATER.county });
      assert.strictEqual(done.length, 1);
      assert.include(done[0].data, '批量同意');
    }
    assert.strictEqual((await taskRow(kw)).state, 'open', 'the window task was not touched');
    assert.strictEqual((await p.countyReviewer.post('/api/tasks/batch-complete', { ...body, keys: [] })).status, 400);
  });
});
