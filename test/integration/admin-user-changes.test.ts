/**
 * Disabling or moving an account does not strand its work: a task it had claimed goes back to its
 * group's pool, a task delegated to it (委派) goes back to the clerk who delegated it — on the real
 * engine too — and each release is on the timeline once, done by the administrator. A move or a
 * rename is audited and stays within the administrator's region.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { login, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { COUNTY, decide, people, type People, submit, taskAt, WATER } from '../support/licensing.ts';

describe('administration: moving and disabling accounts with work in hand', () => {
  let t: TestOffice;
  let p: People;
  let admin: Client;
  let colleague: Client;
  let cityAdmin: Client;
  const user = 'jn-01-01.wr.reviewer3';
  const mover = 'jn-01-01.wr.reviewer4';
  before(async () => {
    t = await startOffice();
    p = await people(t.url);
    await addUser(t.office.ctx.db, user, 'JN-01-01.WR', ['reviewer']);
    await addUser(t.office.ctx.db, mover, 'JN-01-01.WR', ['reviewer']);
    await addUser(t.office.ctx.db, 'jn-01.asc.admin', 'JN-01.ASC', ['admin']);
    colleague = await login(t.url, user);
    admin = await login(t.url, 'jn.asc.admin');
    cityAdmin = await login(t.url, 'jn-01.asc.admin');
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

  it('moves an account to another department of the region: audited, its task released, its queue follows', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    const moverClient = await login(t.url, mover);
    const task = await taskAt(moverClient, c.id, WATER.county);
    assert.strictEqual((await moverClient.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200);

    // refused, with nothing written
    for (const [body, status, why] of [
      [{ unitCode: 'JN-02-01.WR', reason: '借调' }, 403, 'a department of another city'],
      [{ unitCode: 'JN-01-02', reason: '借调' }, 400, 'a region is not a department'],
      [{ unitCode: 'JN-01-02.WR' }, 400, 'a move needs a reason'],
      [{}, 400, 'nothing to change'],
      [{ unitCode: 'JN-01-02.WR', reason: '借调', role: 'x' }, 400, 'an unknown field'],
    ] as const) {
      const r = await cityAdmin.patch(`/api/users/${mover}`, body);
      assert.strictEqual(r.status, status, `${why}: ${JSON.stringify(r.body)}`);
    }
    assert.strictEqual((await cityAdmin.patch('/api/users/jn-01.asc.admin', { unitCode: 'JN-01.WR', reason: '自调' })).status, 403, 'not one’s own account');
    assert.strictEqual((await cityAdmin.patch('/api/users/jn-02-01.wr.reviewer', { displayName: '改名' })).status, 404, 'outside the region');
    assert.strictEqual((await db()('users').where({ id: mover }).first()).unit_code, 'JN-01-01.WR');
    assert.strictEqual((await db()('tasks').where({ user_task_key: task.userTaskKey }).first()).assignee, mover, 'nothing released by a refusal');

    const moved = await cityAdmin.patch<{ unitCode: string; displayName: string }>(`/api/users/${mover}`, { unitCode: 'JN-01-02.WR', displayName: '二县承办人', reason: '调往二县水利局' });
    assert.strictEqual(moved.status, 200, JSON.stringify(moved.body));
    assert.deepInclude(moved.body, { unitCode: 'JN-01-02.WR', displayName: '二县承办人' });
    const audit = (await db()('audit_log').where({ subject_id: mover }).whereIn('action', ['user.moved', 'user.renamed']).orderBy('action')).map((r) => [r.action, r.actor, r.reason]);
    assert.deepStrictEqual(audit, [
      ['user.moved', 'jn-01.asc.admin', 'JN-01-01.WR → JN-01-02.WR: 调往二县水利局'],
      ['user.renamed', 'jn-01.asc.admin', `${mover} → 二县承办人`],
    ]);
    const row = await db()('tasks').where({ user_task_key: task.userTaskKey }).first();
    assert.deepStrictEqual([row.state, row.assignee], ['open', null], 'the task went back to the county group');
    assert.deepStrictEqual(await released(c.id), [{ actor: 'jn-01.asc.admin', data: { from: mover, to: null, because: 'account-moved' } }]);
    // the same token now acts for the new unit: the old county's task is no longer in its queue
    assert.strictEqual((await moverClient.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 404, 'no longer in its remit');
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200, 'the county group takes it');
    // a retry changes nothing
    assert.strictEqual((await cityAdmin.patch(`/api/users/${mover}`, { unitCode: 'JN-01-02.WR', displayName: '二县承办人', reason: '调往二县水利局' })).status, 200);
    assert.strictEqual(Number((await db()('audit_log').where({ subject_id: mover, action: 'user.moved' }).count({ n: '*' }).first())?.n), 1);
  });
});
