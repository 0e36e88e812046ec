/**
 * The task table follows the engine: tasks the engine cancels leave the queue, and records the
 * exporter delivers more than once change nothing the second time.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { repoRoot } from '../../config/index.ts';
import { closeProxy, proxy, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { login } from '../support/api.ts';
import { parseRecords } from '../../backend/engine/records.ts';
import { concluded, COUNTY, decide, people, type People, submit, taskAt, WATER, type TaskJson } from '../support/licensing.ts';

describe('engine → task table', () => {
  let t: TestOffice;
  let p: People;
  before(async () => {
    t = await startOffice();
    p = await people(t.url);
  });
  after(async () => {
    await t?.close();
    await closeProxy();
  });

  it('has the engine record the claim’s assignee before a completion sent straight after the claim', async () => {
    const cases = await Promise.all(Array.from({ length: 3 }, () => submit(p.window, WATER.item, COUNTY)));
    // a slow assignment (a busy broker) is when a completion sent right after the claim overtook it
    const engine = t.office.ctx.engine;
    const assign = engine.assignUserTask.bind(engine);
    engine.assignUserTask = async (key, assignee) => {
      await new Promise((r) => setTimeout(r, 300));
      return assign(key, assignee);
    };
    const keys: string[] = [];
    try {
      for (const c of cases) {
        const task = await taskAt(p.window, c.id, WATER.window);
        assert.equal((await p.window.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200);
        assert.equal((await p.window.post(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'accept', opinion: '受理' })).status, 200);
        keys.push(task.userTaskKey);
      }
    } finally {
      engine.assignUserTask = assign;
    }
    const exported = () => proxy.batches.flatMap((b) => parseRecords(b)).filter((r) => r.valueType === 'USER_TASK' && keys.includes(String(r.value.userTaskKey)));
    await waitFor('the completions exported', async () => keys.every((k) => exported().some((r) => r.intent === 'COMPLETED' && String(r.value.userTaskKey) === k)));
    for (const k of keys) {
      const of = exported().filter((r) => String(r.value.userTaskKey) === k);
      const assigned = of.find((r) => r.intent === 'ASSIGNED');
      const completed = of.find((r) => r.intent === 'COMPLETED');
      assert.equal(assigned?.value.assignee, p.window.username, `task ${k}: the engine knows who claimed it`);
      assert.ok(BigInt(assigned?.position ?? 0) < BigInt(completed?.position ?? 0), `task ${k}: assigned before completed`);
    }
  });

  it('applies a task created and ended within one batch, and a redelivery of that batch changes nothing', async () => {
    // A batch the exporter held back while the office was away can carry a task's whole life; the
    // ingest reads a batch's rows up front, so this is where it must not act on a stale read.
    const c = await submit(p.window, WATER.item, COUNTY);
    const pik = await waitFor('the case started', async () => (await t.office.ctx.db('cases').where({ id: c.id }).first('process_instance_key'))?.process_instance_key as string | null);
    const definition = await t.office.ctx.db('process_definitions').where({ bpmn_process_id: WATER.process }).orderBy('version', 'desc').first('definition_key');
    const [canceled, completed] = ['9000000000000001', '9000000000000002'];
    const at = Date.now();
    const rec = (position: number, intent: string, key: string) => ({
      partitionId: 99, // a partition of its own: its positions do not meet the real ones
      position,
      key,
      timestamp: at + position,
      recordType: 'EVENT',
      valueType: 'USER_TASK',
      intent,
      value: { userTaskKey: key, processInstanceKey: pik, processDefinitionKey: definition.definition_key, elementId: WATER.county, candidateGroupsList: ['JN-01-01.WR:reviewer'], customHeaders: { stepLimitDays: '20' }, variables: { decision: 'approve', opinion: '同意' } },
    });
    const batch = JSON.stringify([rec(1, 'CREATED', canceled), rec(2, 'CREATED', completed), rec(3, 'CANCELED', canceled), rec(4, 'COMPLETED', completed)]);
    const post = () => fetch(`${t.url}/internal/engine/records`, { method: 'POST', body: batch, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.office.ctx.config.ENGINE_INGEST_TOKEN}` } });
    assert.equal((await post()).status, 204);
    const db = t.office.ctx.db;
    const tasks = await db('tasks').whereIn('user_task_key', [canceled, completed]).orderBy('user_task_key').select('user_task_key', 'state', 'decision', 'due_on');
    assert.deepEqual(tasks.map((r) => [r.user_task_key, r.state, r.decision]), [[canceled, 'canceled', null], [completed, 'completed', 'approve']]);
    assert.ok(tasks.every((r) => typeof r.due_on === 'string'), 'each was written with its step deadline');
    assert.deepEqual((await db('clocks').whereIn('user_task_key', [canceled, completed]).pluck('state')).sort(), ['stopped', 'stopped'], 'and its clock stopped with it');
    const timeline = async () => (await db('case_events').whereIn('user_task_key', [canceled, completed]).orderBy('id').select('type', 'user_task_key')).map((e) => `${e.type} ${e.user_task_key}`);
    const once = await timeline();
    assert.deepEqual(once, [`task.created ${canceled}`, `task.created ${completed}`, `task.canceled ${canceled}`, `task.completed ${completed}`], 'in log order');
    const candidates = await db('task_candidates').whereIn('user_task_key', [canceled, completed]).orderBy('user_task_key').select('user_task_key', 'state');
    assert.deepEqual(candidates.map((c) => [c.user_task_key, c.state]), [[canceled, 'canceled'], [completed, 'completed']], 'their candidate rows closed with them, though written at the end of the batch');
    assert.equal((await post()).status, 204);
    assert.deepEqual(await timeline(), once, 'redelivered: nothing new');
  });

  it('drops a task from the queue when a timer boundary event cancels it, and tells the clerks live', async () => {
    const xml = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'timed-review.bpmn'), 'utf8').replace('=timeoutAfter', 'PT3S');
    const designer = await login(t.url, 'jn.wr.designer');
    const deployed = await designer.post('/api/processes', { name: 'timed-review.bpmn', xml });
    assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
    const now = Date.now();
    await t.office.ctx.db('service_items').insert({
      code: 'TEST-TIMED', name: '限时审查（测试）', item_type: '行政许可', department: 'WR', handling_level: 'county', implementing_body: '测试', legal_basis: '测试',
      statutory_limit_days: 1, promised_limit_days: 1, materials: '[]', process_id: 'test_timed_review', process_version: null, process_settings: '{}', active: true, created_at: now, updated_at: now,
    });
    const socket: Socket = io(t.url, { auth: { token: p.countyReviewer.token }, transports: ['websocket'] });
    const seen: Array<[string, string]> = [];
    socket.on('task.created', (e: { task: { userTaskKey: string } }) => seen.push(['created', e.task.userTaskKey]));
    socket.on('task.canceled', (e: { task: { userTaskKey: string } }) => seen.push(['canceled', e.task.userTaskKey]));
    await waitFor('socket connected', async () => socket.connected);

    const c = await submit(p.window, 'TEST-TIMED', COUNTY);
    const task = await taskAt(p.countyReviewer, c.id, 'Task_TimedReview');
    const canceled = await waitFor('the engine to cancel the task', async () => {
      const r = await p.countyReviewer.get<TaskJson>(`/api/tasks/${task.userTaskKey}`);
      return r.body.state === 'canceled' ? r.body : null;
    });
    assert.equal(canceled.state, 'canceled');
    const queue = await p.countyReviewer.get<{ items: TaskJson[] }>(`/api/tasks?caseId=${c.id}`);
    assert.deepEqual(queue.body.items, [], 'the cancelled task is gone from the queue');
    const done = await concluded(p.window, c.id);
    assert.equal(done.result, 'withdrawn');
    const claim = await p.countyReviewer.post(`/api/tasks/${task.userTaskKey}/claim`);
    assert.equal(claim.status, 409);
    await waitFor('live cancel event', async () => seen.some(([k, key]) => k === 'canceled' && key === task.userTaskKey));
    assert.deepEqual(seen.filter(([, key]) => key === task.userTaskKey).map(([k]) => k), ['created', 'canceled']);
    socket.close();
  });

  it('concludes the case and cancels its open task when the process instance is cancelled in the engine', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    const task = await taskAt(p.window, c.id, WATER.window);
    await t.office.ctx.engine.cancelInstance(String(c.processInstanceKey));
    const done = await concluded(p.window, c.id);
    assert.equal(done.result, 'cancelled');
    const after = await p.window.get<TaskJson>(`/api/tasks/${task.userTaskKey}`);
    assert.equal(after.body.state, 'canceled');
  });

  it('creates each task once when the exporter redelivers batches the back office already committed', async () => {
    const before = proxy.batches.length;
    proxy.loseNextAnswers(4); // the back office commits, the exporter hears 503 and sends again
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    await decide(p.countyReviewer, c.id, WATER.county, 'approve');
    await taskAt(p.cityReviewer, c.id, WATER.city);
    await waitFor('all lost answers to be redelivered', async () => proxy.answersStillToLose === 0);
    // A retried batch may have grown meanwhile, so compare record positions, not whole bodies.
    const positions = proxy.batches.slice(before).flatMap((b) => [...b.matchAll(/"position":(\d+)/g)].map((m) => m[1]));
    assert.ok(new Set(positions).size < positions.length, 'the exporter really delivered some record twice');

    // …and replaying every batch seen so far once more changes nothing either.
    for (const body of proxy.batches) {
      const res = await fetch(`${t.url}/internal/engine/records`, { method: 'POST', body, headers: { authorization: `Bearer ${t.office.ctx.config.ENGINE_INGEST_TOKEN}` } });
      assert.equal(res.status, 204);
    }
    const db = t.office.ctx.db;
    const tasks = await db('tasks').where({ case_id: c.id }).select('element_id', 'state');
    assert.deepEqual(tasks.map((r) => `${r.element_id}:${r.state}`).sort(), [`${WATER.city}:open`, `${WATER.county}:completed`, `${WATER.window}:completed`].sort());
    const created = await db('case_events').where({ case_id: c.id, type: 'task.created' }).count({ n: '*' });
    assert.equal(Number(created[0]?.n), 3);
    const started = await db('case_events').where({ case_id: c.id, type: 'case.started' }).count({ n: '*' });
    assert.equal(Number(started[0]?.n), 1);
  });

  it('refuses engine records without the shared token', async () => {
    const res = await fetch(`${t.url}/internal/engine/records`, { method: 'POST', body: '[]', headers: { authorization: 'Bearer wrong-token-wrong-token' } });
    assert.equal(res.status, 401);
  });
});
