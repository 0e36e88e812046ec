/**
 * The task table follows the engine: tasks the engine cancels leave the queue, events the feed
 * delivers more than once change nothing the second time, and the engine is no side door.
 */
import { assert } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { repoRoot } from '../../config/index.ts';
import type { EngineEvent } from '../../backend/engine/port.ts';
import { env, stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { login } from '../support/api.ts';
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
    await stopFeed();
  });

  it('has the engine record the claim’s assignee before a completion sent straight after the claim', async () => {
    const cases = await Promise.all(Array.from({ length: 3 }, () => submit(p.window, WATER.item, COUNTY)));
    // a slow assignment (a busy engine) is when a completion sent right after the claim overtook it
    const engine = t.office.ctx.engine;
    const assign = engine.assign.bind(engine);
    const complete = engine.complete.bind(engine);
    const seenAtCompletion = new Map<string, string | null>();
    engine.assign = async (key, assignee) => {
      await new Promise((r) => setTimeout(r, 300));
      return assign(key, assignee);
    };
    engine.complete = async (key, vars) => {
      const open = await engine.openTasks();
      seenAtCompletion.set(key, open.find((o) => o.taskId === key)?.assignee ?? null);
      return complete(key, vars);
    };
    try {
      for (const c of cases) {
        const task = await taskAt(p.window, c.id, WATER.window);
        assert.strictEqual((await p.window.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200);
        assert.strictEqual((await p.window.post(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'accept', opinion: '受理' })).status, 200);
        assert.strictEqual(seenAtCompletion.get(task.userTaskKey), p.window.username, `task ${task.userTaskKey}: the engine knew who claimed it when it was completed`);
      }
    } finally {
      engine.assign = assign;
      engine.complete = complete;
    }
    assert.strictEqual(seenAtCompletion.size, 3);
  });

  it('applies a task created and ended within one batch, and a redelivery of that batch changes nothing', async () => {
    // A batch read after the office was away can carry a task's whole life; the ingest reads a
    // batch's rows up front, so this is where it must not act on a stale read.
    const c = await submit(p.window, WATER.item, COUNTY);
    const instanceId = await waitFor('the case started', async () => (await t.office.ctx.db('cases').where({ id: c.id }).first('process_instance_key'))?.process_instance_key as string | null);
    const definition = await t.office.ctx.db('process_definitions').where({ bpmn_process_id: WATER.process }).orderBy('version', 'desc').first('definition_key');
    const [canceled, completed] = ['test-task-canceled-0001', 'test-task-completed-0002'];
    const at = Date.now();
    const base = (n: number) => ({ eventId: `test-${c.id}-${n}`, at: at + n, instanceId, businessKey: c.id, definitionId: String(definition.definition_key) });
    const created = (n: number, taskId: string): EngineEvent => ({ ...base(n), type: 'task.created', taskId, elementId: WATER.county, name: '县级初审', candidateGroups: ['JN-01-01.WR:reviewer'], candidateUsers: [], assignee: null, dueAt: null });
    const batch: EngineEvent[] = [
      created(1, canceled),
      created(2, completed),
      { ...base(3), type: 'task.canceled', taskId: canceled, elementId: WATER.county, reason: 'deleted' },
      { ...base(4), type: 'task.completed', taskId: completed, elementId: WATER.county, decision: 'approve', opinion: '同意' },
    ];
    assert.deepStrictEqual(await t.office.ingest.apply(batch), { applied: 4, skipped: 0 });
    const db = t.office.ctx.db;
    const tasks = await db('tasks').whereIn('user_task_key', [canceled, completed]).orderBy('user_task_key').select('user_task_key', 'state', 'decision', 'due_on');
    assert.deepStrictEqual(tasks.map((r) => [r.user_task_key, r.state, r.decision]).sort(), [[canceled, 'canceled', null], [completed, 'completed', 'approve']].sort());
    assert.ok(tasks.every((r) => typeof r.due_on === 'string'), 'each was written with its step deadline');
    assert.deepStrictEqual((await db('clocks').whereIn('user_task_key', [canceled, completed]).pluck('state')).sort(), ['stopped', 'stopped'], 'and its clock stopped with it');
    const timeline = async () => (await db('case_events').whereIn('user_task_key', [canceled, completed]).orderBy('id').select('type', 'user_task_key')).map((e) => `${e.type} ${e.user_task_key}`);
    const once = await timeline();
    assert.deepStrictEqual(once, [`task.created ${canceled}`, `task.created ${completed}`, `task.canceled ${canceled}`, `task.completed ${completed}`, `task.completed_outside ${completed}`], 'in feed order; the completion no back-office command asked for is flagged');
    const candidates = await db('task_candidates').whereIn('user_task_key', [canceled, completed]).orderBy('user_task_key').select('user_task_key', 'state');
    assert.deepStrictEqual(candidates.map((x) => [x.user_task_key, x.state]).sort(), [[canceled, 'canceled'], [completed, 'completed']].sort(), 'their candidate rows closed with them, though written at the end of the batch');
    assert.deepStrictEqual(await t.office.ingest.apply(batch), { applied: 0, skipped: 4 });
    assert.deepStrictEqual(await timeline(), once, 'redelivered: nothing new');
  });

  it('drops a task from the queue when a timer boundary event cancels it, and tells the clerks live', async () => {
    const xml = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'timed-review.bpmn'), 'utf8').replace('${timeoutAfter}', 'PT3S');
    const designer = await login(t.url, 'jn.wr.designer');
    const deployed = await designer.post('/api/processes', { name: 'timed-review.bpmn', xml });
    assert.strictEqual(deployed.status, 201, JSON.stringify(deployed.body));
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
    assert.strictEqual(canceled.state, 'canceled');
    const queue = await p.countyReviewer.get<{ items: TaskJson[] }>(`/api/tasks?caseId=${c.id}`);
    assert.deepStrictEqual(queue.body.items, [], 'the cancelled task is gone from the queue');
    const done = await concluded(p.window, c.id);
    assert.strictEqual(done.result, 'withdrawn');
    const claim = await p.countyReviewer.post(`/api/tasks/${task.userTaskKey}/claim`);
    assert.strictEqual(claim.status, 409);
    await waitFor('live cancel event', async () => seen.some(([k, key]) => k === 'canceled' && key === task.userTaskKey));
    assert.deepStrictEqual(seen.filter(([, key]) => key === task.userTaskKey).map(([k]) => k), ['created', 'canceled']);
    socket.close();
  });

  it('concludes the case and cancels its open task when the process instance is terminated in the engine', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    const task = await taskAt(p.window, c.id, WATER.window);
    await t.office.ctx.engine.terminate(String(c.processInstanceKey), 'test');
    const done = await concluded(p.window, c.id);
    assert.strictEqual(done.result, 'cancelled');
    const after = await p.window.get<TaskJson>(`/api/tasks/${task.userTaskKey}`);
    assert.strictEqual(after.body.state, 'canceled');
  });

  it('creates each task once when the feed redelivers events the back office already applied', async () => {
    const feed = t.office.ctx.engine.feed;
    const { ack, read } = { ack: feed.ack.bind(feed), read: feed.read.bind(feed) };
    let lose = 4; // the back office commits, the acknowledgement is lost: the engine sends them again
    const delivered: string[] = [];
    feed.ack = async (cursor) => {
      if (lose > 0) {
        lose--;
        return;
      }
      return ack(cursor);
    };
    feed.read = async (o) => {
      const b = await read(o);
      delivered.push(...b.events.map((e) => e.eventId));
      return b;
    };
    let c;
    try {
      c = await submit(p.window, WATER.item, COUNTY);
      await decide(p.window, c.id, WATER.window, 'accept');
      await decide(p.countyReviewer, c.id, WATER.county, 'approve');
      await taskAt(p.cityReviewer, c.id, WATER.city);
      await waitFor('all lost acknowledgements to be redelivered', async () => lose === 0 && new Set(delivered).size < delivered.length);
    } finally {
      feed.ack = ack;
      feed.read = read;
    }
    assert.ok(new Set(delivered).size < delivered.length, 'the feed really delivered some event twice');
    const db = t.office.ctx.db;
    const tasks = await db('tasks').where({ case_id: c.id }).select('element_id', 'state');
    assert.deepStrictEqual(tasks.map((r) => `${r.element_id}:${r.state}`).sort(), [`${WATER.city}:open`, `${WATER.county}:completed`, `${WATER.window}:completed`].sort());
    const created = await db('case_events').where({ case_id: c.id, type: 'task.created' }).count({ n: '*' });
    assert.strictEqual(Number(created[0]?.n), 3);
    const started = await db('case_events').where({ case_id: c.id, type: 'case.started' }).count({ n: '*' });
    assert.strictEqual(Number(started[0]?.n), 1);
  });

  it('lets nobody in to the engine without its token, and flags a completion done behind our back', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` }]) {
      const res = await fetch(`${env.engineUrl}/task`, { headers });
      assert.strictEqual(res.status, 401, `engine answered ${res.status} to ${JSON.stringify(headers)}`);
    }
    // someone who does hold the token completes a task on the engine directly
    const c = await submit(p.window, WATER.item, COUNTY);
    const task = await taskAt(p.window, c.id, WATER.window);
    const res = await fetch(`${env.engineUrl}/task/${task.userTaskKey}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.engineToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { decision: { value: 'accept', type: 'String' } } }),
    });
    assert.strictEqual(res.status, 204);
    const db = t.office.ctx.db;
    await waitFor('the outside completion flagged', async () => db('case_events').where({ case_id: c.id, type: 'task.completed_outside', user_task_key: task.userTaskKey }).first());
    const audit = await db('audit_log').where({ case_id: c.id, action: 'task.completed_outside' }).select('subject_id');
    assert.deepStrictEqual(audit.map((a) => a.subject_id), [task.userTaskKey]);
    // a completion through the back office is not flagged (the marker: the next step's task)
    await decide(p.countyReviewer, c.id, WATER.county, 'approve');
    await taskAt(p.cityReviewer, c.id, WATER.city);
    const flagged = await db('case_events').where({ case_id: c.id, type: 'task.completed_outside' }).count({ n: '*' });
    assert.strictEqual(Number(flagged[0]?.n), 1);
  });
});
