/** The clerk's queue (filters, keyset pages, claim scopes) and live task events per group. */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { login, type Client } from '../support/api.ts';
import { drained } from '../support/sockets.ts';
import { endOfBeijingDay } from '../../backend/modules/calendar/calendar.ts';
import { markTaskCanceled, markTaskCompleted } from '../../backend/modules/tasks/commands.ts';
import { hearFeed, stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, people, type People, submit, taskAt, WATER, type TaskJson } from '../support/licensing.ts';

interface Page {
  items: Array<TaskJson & { dueAt: string | null; dueOn: string | null; level: string }>;
  next: string | null;
}

/** Every page of a queue request, following the cursors. */
async function allPages(who: Client, query: string, limit = 2): Promise<Page['items']> {
  const seen: Page['items'] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const r: { status: number; body: Page } = await who.get<Page>(`/api/tasks?${query}&limit=${limit}${cursor ? `&after=${cursor}` : ''}`);
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    seen.push(...r.body.items);
    cursor = r.body.next;
    if (!cursor) return seen;
  }
  throw new Error('more than 50 pages');
}

/**
 * Open tasks written straight into the tables (not through the engine) so their keys and times can
 * be chosen: keys of different lengths — lexical order differs from numeric — and beyond 2^53.
 */
async function syntheticQueue(db: Knex, rows: Array<{ key: string; created: number; dueOn?: string; level?: string }>) {
  const caseId = randomUUID();
  await db('cases').insert({ id: caseId, case_no: `SYN${caseId.slice(0, 8)}`, item_code: WATER.item, applicant: '{}', region_code: 'JN-02-01', county_code: 'JN-02-01', city_code: 'JN-02', province_code: 'JN', status: 'in_progress', bpmn_process_id: WATER.process, submitted_by: 'test', submitted_at: 0 });
  for (const r of rows) {
    await db('tasks').insert({ user_task_key: r.key, sort_key: r.key.padStart(20, '0'), case_id: caseId, process_instance_key: '1', element_id: WATER.county, element_name: '县级初审', item_code: WATER.item, candidate_groups: '["JN-02-01.WR:reviewer"]', candidate_users: '[]', decisions: '[]', state: 'open', created_at: r.created, province_code: 'JN', city_code: 'JN-02', county_code: 'JN-02-01', due_on: r.dueOn ?? null, due_at: r.dueOn ? endOfBeijingDay(r.dueOn) : null, level: r.level ?? 'none' });
    await db('task_candidates').insert({ user_task_key: r.key, kind: 'group', name: 'JN-02-01.WR:reviewer', state: 'open', created_at: r.created, sort_key: r.key.padStart(20, '0'), due_at: r.dueOn ? endOfBeijingDay(r.dueOn) : null, level: r.level ?? 'none' });
  }
  return { caseId, caseNo: `SYN${caseId.slice(0, 8)}` };
}

function connect(url: string, token: string) {
  const socket: Socket = io(url, { auth: { token }, transports: ['websocket'] });
  const got: Array<{ type: string; caseId: string; key: string }> = [];
  for (const type of ['task.created', 'task.claimed', 'task.completed']) {
    socket.on(type, (e: { task: { caseId: string; userTaskKey: string } }) => got.push({ type, caseId: e.task.caseId, key: e.task.userTaskKey }));
  }
  return { socket, got };
}

describe('task queue and live events', () => {
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

  it('pages through the queue with a keyset cursor, in order, without repeats', async () => {
    const window = await login(t.url, 'jn-02-01.asc.window');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submit(window, WATER.item, 'JN-02-01')).id);
    await waitFor('five window tasks', async () => ((await window.get<Page>('/api/tasks?limit=100')).body.items.length === 5 ? true : null));
    const seen: TaskJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: Page } = await window.get<Page>(`/api/tasks?limit=2${cursor ? `&after=${cursor}` : ''}`);
      assert.strictEqual(r.status, 200);
      assert.ok(r.body.items.length <= 2);
      seen.push(...r.body.items);
      cursor = r.body.next;
      pages++;
    } while (cursor && pages < 10);
    assert.strictEqual(pages, 3);
    assert.deepStrictEqual(seen.map((s) => s.caseId), ids, 'oldest first, each once');
    const newest = await window.get<Page>('/api/tasks?sort=-created&limit=1');
    assert.strictEqual(newest.body.items[0]?.caseId, ids.at(-1));
    const forged = await window.get('/api/tasks?after=bm90LWEtY3Vyc29y');
    assert.strictEqual(forged.status, 400);
  });

  it('orders by creation then by the key as a number, across keys of different lengths and beyond 2^53', async () => {
    const T = Date.parse('2026-03-02T09:00:00+08:00');
    // no real key collides: partitions 0, 4 and 5 do not exist on the single-partition test broker
    const sameMs = ['9', '10', '100', '1125899906842624', '9007199254740993', '11258999068426241', '9223372036854775807'];
    const rows = [{ key: '99999', created: T - 1 }, ...sameMs.map((key) => ({ key, created: T })), { key: '1', created: T + 1 }];
    await syntheticQueue(t.office.ctx.db, rows);
    const reviewer = await login(t.url, 'jn-02-01.wr.reviewer');
    const expected = ['99999', ...sameMs, '1'];
    for (const limit of [1, 2, 3, 100]) assert.deepStrictEqual((await allPages(reviewer, 'sort=created', limit)).map((i) => i.userTaskKey), expected, `pages of ${limit}`);
    assert.deepStrictEqual((await allPages(reviewer, 'sort=-created', 2)).map((i) => i.userTaskKey), [...expected].reverse());
  });

  it('sorts by the step’s due date, steps without one last, and filters by level, due date and case number', async () => {
    const T = Date.parse('2026-04-01T09:00:00+08:00');
    const rows = [
      { key: '500', created: T, dueOn: '2026-04-10', level: 'warning' },
      { key: '40', created: T, dueOn: '2026-04-08', level: 'yellow' },
      { key: '3000', created: T, dueOn: '2026-04-08', level: 'red' }, // same due day: by creation, then key
      { key: '41', created: T - 5, dueOn: '2026-04-08' },
      { key: '6', created: T + 1 }, // no deadline
      { key: '70000', created: T - 1 },
      { key: '8', created: T - 1 },
    ];
    const { caseNo } = await syntheticQueue(t.office.ctx.db, rows);
    const reviewer = await login(t.url, 'jn-02-01.wr.reviewer');
    const ours = (items: Page['items']) => items.filter((i) => rows.some((r) => r.key === i.userTaskKey)).map((i) => i.userTaskKey);
    const due = ['41', '40', '3000', '500', '8', '70000', '6'];
    for (const limit of [1, 2, 3, 100]) assert.deepStrictEqual(ours(await allPages(reviewer, 'sort=due', limit)), due, `pages of ${limit}`);
    assert.deepStrictEqual(ours(await allPages(reviewer, 'sort=-due', 2)), ['500', '3000', '40', '41', '6', '70000', '8'], 'latest first, still without a deadline last');
    const one = (await reviewer.get<Page>(`/api/tasks?caseNo=${caseNo}&sort=due&limit=1`)).body.items[0];
    assert.deepStrictEqual({ key: one?.userTaskKey, dueOn: one?.dueOn, dueAt: one?.dueAt, level: one?.level }, { key: '41', dueOn: '2026-04-08', dueAt: '2026-04-08T15:59:59.999Z', level: 'none' });
    assert.deepStrictEqual(ours(await allPages(reviewer, 'level=yellow,red&sort=due')), ['40', '3000']);
    assert.deepStrictEqual(ours(await allPages(reviewer, 'level=warning')), ['500']);
    assert.deepStrictEqual(ours(await allPages(reviewer, 'dueBefore=2026-04-08&sort=-due')), ['3000', '40', '41'], 'due on or before the day');
    assert.deepStrictEqual(ours(await allPages(reviewer, 'dueBefore=2026-04-07')), []);
    assert.strictEqual((await allPages(reviewer, `caseNo=${caseNo}`, 100)).length, rows.length);
    assert.deepStrictEqual(await allPages(reviewer, 'caseNo=NO-SUCH-CASE'), []);
    for (const bad of ['level=orange', 'level=none', 'dueBefore=2026-02-30', 'sort=due&after=' + Buffer.from(JSON.stringify({ s: 'created', t: 1, k: '1' })).toString('base64url')]) {
      assert.strictEqual((await reviewer.get(`/api/tasks?${bad}`)).status, 400, bad);
    }
  });

  it('lists a task once when several rules show it, and follows it out of the open queue when it closes', async () => {
    const db = t.office.ctx.db;
    const T = Date.parse('2026-05-04T09:00:00+08:00');
    const keys = ['71001', '71002', '71003'];
    await syntheticQueue(db, keys.map((key, i) => ({ key, created: T + i })));
    const reviewer = await login(t.url, 'jn-02-01.wr.reviewer');
    const me = String((await db('users').where({ username: 'jn-02-01.wr.reviewer' }).first('id'))?.id);
    const ours = (items: Page['items']) => items.map((i) => i.userTaskKey).filter((k) => keys.includes(k));
    // in my group and assigned to me: two legs find it, the page shows it once
    await db('tasks').where({ user_task_key: '71002' }).update({ assignee: me, claimed_at: T });
    for (const limit of [1, 2, 100]) assert.deepStrictEqual(ours(await allPages(reviewer, 'sort=created', limit)), keys, `pages of ${limit}`);
    assert.deepStrictEqual(ours(await allPages(reviewer, 'scope=available')), ['71001', '71003']);
    assert.deepStrictEqual(ours(await allPages(reviewer, 'scope=mine')), ['71002']);
    // completed (as the engine's record would be applied): gone from the open queue, found among the completed ones once
    await db.transaction((trx) => markTaskCompleted(trx, '71002', { decision: 'approve', opinion: '同意', completedBy: me, at: T + 10 }));
    assert.strictEqual((await db('task_candidates').where({ user_task_key: '71002' }).first('state'))?.state, 'completed', 'the candidate row follows its task');
    assert.deepStrictEqual(ours(await allPages(reviewer, 'sort=created')), ['71001', '71003']);
    assert.deepStrictEqual(ours(await allPages(reviewer, 'state=completed&sort=-created', 1)), ['71002']);
    await db.transaction((trx) => markTaskCanceled(trx, '71003', T + 11));
    assert.deepStrictEqual(ours(await allPages(reviewer, 'sort=-created')), ['71001']);
    assert.deepStrictEqual(ours(await allPages(reviewer, 'state=canceled')), ['71003']);
  });

  it('separates my claimed tasks from my groups’ available ones', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    const task = await taskAt(p.window, c.id, WATER.window);
    const available = await p.window.get<Page>(`/api/tasks?scope=available&caseId=${c.id}`);
    assert.deepStrictEqual(available.body.items.map((i) => i.userTaskKey), [task.userTaskKey]);
    await p.window.post(`/api/tasks/${task.userTaskKey}/claim`);
    const mine = await p.window.get<Page>(`/api/tasks?scope=mine&caseId=${c.id}`);
    assert.deepStrictEqual(mine.body.items.map((i) => i.userTaskKey), [task.userTaskKey]);
    assert.deepStrictEqual((await p.window.get<Page>(`/api/tasks?scope=available&caseId=${c.id}`)).body.items, []);
    const released = await p.window.post<TaskJson>(`/api/tasks/${task.userTaskKey}/unclaim`);
    assert.strictEqual(released.status, 200);
    assert.strictEqual(released.body.assignee, null);
    assert.strictEqual((await p.window.get<Page>(`/api/tasks?scope=available&caseId=${c.id}`)).body.items.length, 1);
  });

  it('pushes a new task to its group’s clerks and to nobody else', async () => {
    const mine = connect(t.url, p.window.token);
    const neighbour = connect(t.url, (await login(t.url, 'jn-01-02.asc.window')).token);
    await waitFor('sockets connected', async () => mine.socket.connected && neighbour.socket.connected);
    const c = await submit(p.window, WATER.item, COUNTY);
    const event = await waitFor('task.created pushed', async () => mine.got.find((g) => g.type === 'task.created' && g.caseId === c.id));
    const task = await taskAt(p.window, c.id, WATER.window);
    assert.strictEqual(event.key, task.userTaskKey);
    await p.window.post(`/api/tasks/${task.userTaskKey}/claim`);
    await waitFor('task.claimed pushed', async () => mine.got.some((g) => g.type === 'task.claimed' && g.key === task.userTaskKey));
    await drained(neighbour.socket); // everything sent to the neighbour so far has arrived
    assert.deepStrictEqual(neighbour.got.filter((g) => g.caseId === c.id), [], 'a neighbouring county hears nothing');
    mine.socket.close();
    neighbour.socket.close();
  });

  it('relays live events between two instances through Redis', async () => {
    const a = await startOffice({ env: { REDIS_URL: 'redis://127.0.0.1:6379' } });
    const b = await startOffice({ database: a.database, env: { REDIS_URL: 'redis://127.0.0.1:6379' }, feed: 'off' });
    try {
      // the engine's feed reaches instance a; the clerk is connected to instance b
      const clerkOnB = connect(b.url, (await login(b.url, 'jn-01-01.asc.window')).token);
      await waitFor('socket on b connected', async () => clerkOnB.socket.connected);
      // b's Redis subscription is up once an event emitted on a reaches the clerk on b: a probe
      // notification (no row behind it), published on a until one arrives
      const probes: string[] = [];
      clerkOnB.socket.on('notification.new', (e: { kind: string }) => probes.push(e.kind));
      await waitFor('the Redis adapters relaying from a to b', async () => {
        a.office.ctx.events.publish({ type: 'notification.new', userId: 'jn-01-01.asc.window', notificationId: 0, kind: 'relay-probe', caseId: null, data: {} });
        return probes.includes('relay-probe');
      });
      const c = await submit(await login(a.url, 'jn-01-01.asc.window'), WATER.item, COUNTY);
      await waitFor('task.created relayed to b', async () => clerkOnB.got.some((g) => g.type === 'task.created' && g.caseId === c.id));
      clerkOnB.socket.close();
    } finally {
      await b.stop();
      await a.close();
      await hearFeed(t.office);
    }
  });

  it('refuses a socket without a valid token', async () => {
    for (const auth of [{}, { token: 'not-a-token' }, { userId: 'jn.admin', groups: ['JN.ASC:window'] }]) {
      const s: Socket = io(t.url, { auth, transports: ['websocket'], reconnection: false });
      const err = await new Promise<Error>((resolve) => s.on('connect_error', resolve));
      assert.match(err.message, /log in first|not valid/);
      s.close();
    }
  });
});
