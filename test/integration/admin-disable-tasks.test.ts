/**
 * Disabling an account does not strand its work: a task it had claimed goes back to its group's pool,
 * a task delegated to it (委派) goes back to the clerk who delegated it — on the real engine too — and
 * each release is on the timeline once, done by the administrator.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { login, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { COUNTY, decide, people, type People, submit, taskAt, WATER } from '../support/licensing.ts';

describe('administration: a disabled account’s tasks', () => {
  let t: TestOffice;
  let p: People;
  let admin: Client;
  let colleague: Client;
  const user = 'jn-01-01.wr.reviewer3';
  before(async () => {
    t = await startOffice();
    p = await people(t.url);
    await addUser(t.office.ctx.db, user, 'JN-01-01.WR', ['reviewer']);
    colleague = await login(t.url, user);
    admin = await login(t.url, 'jn.asc.admin');
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });
  const db = () => t.office.ctx.db;
  const released = async (caseId: string) => (await db()('case_events').where({ case_id: caseId, type: 'task.released' })).map((e) => ({ actor: e.actor, data: JSON.parse(String(e.data)) as unknown }));

  it('goes back to the pool, or to the delegating owner, on the engine too', async () => {
    const claimedCase = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, claimedCase.id, WATER.window, 'accept');
    const claimedTask = await taskAt(colleague, claimedCase.id, WATER.county);
    assert.strictEqual((await colleague.post(`/api/tasks/${claimedTask.userTaskKey}/claim`)).status, 200);

    const lentCase = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, lentCase.id, WATER.window, 'accept');
    const lentTask = await taskAt(p.countyReviewer, lentCase.id, WATER.county);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${lentTask.userTaskKey}/claim`)).status, 200);
    const lent = await p.countyReviewer.post(`/api/tasks/${lentTask.userTaskKey}/delegate`, { to: user, reason: '请同事先核对取水量' });
    assert.strictEqual(lent.status, 200, JSON.stringify(lent.body));

    const off = await admin.post(`/api/users/${user}/disable`, { reason: '调离岗位' });
    assert.strictEqual(off.status, 200, JSON.stringify(off.body));

    const pool = await db()('tasks').where({ user_task_key: claimedTask.userTaskKey }).first();
    assert.deepStrictEqual([pool.state, pool.assignee, pool.claimed_at], ['open', null, null], 'the claimed task is back in the pool');
    const home = await db()('tasks').where({ user_task_key: lentTask.userTaskKey }).first();
    assert.deepStrictEqual([home.assignee, home.owner], ['jn-01-01.wr.reviewer', null], 'the delegated task is back with its owner');
    assert.deepStrictEqual(await released(claimedCase.id), [{ actor: 'jn.asc.admin', data: { from: user, to: null, because: 'account-disabled' } }]);
    assert.deepStrictEqual(await released(lentCase.id), [{ actor: 'jn.asc.admin', data: { from: user, to: 'jn-01-01.wr.reviewer', because: 'account-disabled' } }]);

    // the engine agrees: the owner holds the delegated task again and may decide it
    const instanceId = String((await db()('cases').where({ id: lentCase.id }).first('process_instance_key')).process_instance_key);
    await waitFor('the engine hands the delegated task back', async () => (await t.office.ctx.engine.openTasks({ instanceId })).find((x) => x.taskId === lentTask.userTaskKey)?.assignee === 'jn-01-01.wr.reviewer');
    const done = await p.countyReviewer.post(`/api/tasks/${lentTask.userTaskKey}/complete`, { decision: 'approve', opinion: '同意' });
    assert.strictEqual(done.status, 200, JSON.stringify(done.body));
    // and anyone of the group may claim the released one
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${claimedTask.userTaskKey}/claim`)).status, 200);

    // a retried disable releases nothing twice
    assert.strictEqual((await admin.post(`/api/users/${user}/disable`, { reason: '调离岗位' })).status, 200);
    assert.strictEqual((await released(claimedCase.id)).length + (await released(lentCase.id)).length, 2);
  });
});
