/** The clerk's queue (filters, keyset pages, claim scopes) and live task events per group. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { login } from '../support/api.ts';
import { closeProxy, proxy, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, people, type People, submit, taskAt, WATER, type TaskJson } from '../support/licensing.ts';

interface Page {
  items: TaskJson[];
  next: string | null;
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
    await closeProxy();
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
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length <= 2);
      seen.push(...r.body.items);
      cursor = r.body.next;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen.map((s) => s.caseId), ids, 'oldest first, each once');
    const newest = await window.get<Page>('/api/tasks?sort=-created&limit=1');
    assert.equal(newest.body.items[0]?.caseId, ids.at(-1));
    const forged = await window.get('/api/tasks?after=bm90LWEtY3Vyc29y');
    assert.equal(forged.status, 400);
  });

  it('separates my claimed tasks from my groups’ available ones', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    const task = await taskAt(p.window, c.id, WATER.window);
    const available = await p.window.get<Page>(`/api/tasks?scope=available&caseId=${c.id}`);
    assert.deepEqual(available.body.items.map((i) => i.userTaskKey), [task.userTaskKey]);
    await p.window.post(`/api/tasks/${task.userTaskKey}/claim`);
    const mine = await p.window.get<Page>(`/api/tasks?scope=mine&caseId=${c.id}`);
    assert.deepEqual(mine.body.items.map((i) => i.userTaskKey), [task.userTaskKey]);
    assert.deepEqual((await p.window.get<Page>(`/api/tasks?scope=available&caseId=${c.id}`)).body.items, []);
    const released = await p.window.post<TaskJson>(`/api/tasks/${task.userTaskKey}/unclaim`);
    assert.equal(released.status, 200);
    assert.equal(released.body.assignee, null);
    assert.equal((await p.window.get<Page>(`/api/tasks?scope=available&caseId=${c.id}`)).body.items.length, 1);
  });

  it('pushes a new task to its group’s clerks and to nobody else', async () => {
    const mine = connect(t.url, p.window.token);
    const neighbour = connect(t.url, (await login(t.url, 'jn-01-02.asc.window')).token);
    await waitFor('sockets connected', async () => mine.socket.connected && neighbour.socket.connected);
    const c = await submit(p.window, WATER.item, COUNTY);
    const event = await waitFor('task.created pushed', async () => mine.got.find((g) => g.type === 'task.created' && g.caseId === c.id));
    const task = await taskAt(p.window, c.id, WATER.window);
    assert.equal(event.key, task.userTaskKey);
    await p.window.post(`/api/tasks/${task.userTaskKey}/claim`);
    await waitFor('task.claimed pushed', async () => mine.got.some((g) => g.type === 'task.claimed' && g.key === task.userTaskKey));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(neighbour.got.filter((g) => g.caseId === c.id), [], 'a neighbouring county hears nothing');
    mine.socket.close();
    neighbour.socket.close();
  });

  it('relays live events between two instances through Redis', async () => {
    const a = await startOffice({ env: { REDIS_URL: 'redis://127.0.0.1:6379' } });
    const b = await startOffice({ database: a.database, env: { REDIS_URL: 'redis://127.0.0.1:6379' }, exporter: 'none' });
    try {
      // the exporter feeds instance a; the clerk is connected to instance b
      const clerkOnB = connect(b.url, (await login(b.url, 'jn-01-01.asc.window')).token);
      await waitFor('socket on b connected', async () => clerkOnB.socket.connected);
      await new Promise((r) => setTimeout(r, 200)); // the adapter's subscription settles
      const c = await submit(await login(a.url, 'jn-01-01.asc.window'), WATER.item, COUNTY);
      await waitFor('task.created relayed to b', async () => clerkOnB.got.some((g) => g.type === 'task.created' && g.caseId === c.id));
      clerkOnB.socket.close();
    } finally {
      await b.stop();
      await a.close();
      proxy.target = t.url;
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
