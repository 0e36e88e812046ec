/**
 * 并联审批: departments countersign in parallel (会签: all must approve; one refusal decides at once)
 * before the lead decides.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { stopFeed, startOffice, type TestOffice } from '../support/harness.ts';
import { CITY, concluded, decide, JOINT, people, type People, submit, taskAt } from '../support/licensing.ts';

describe('建设项目并联审批 joint approval', () => {
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

  it('opens one countersign task per department at once and grants after all approve', async () => {
    const c = await submit(p.cityWindow, JOINT.item, CITY);
    await decide(p.cityWindow, c.id, JOINT.window, 'accept', '受理');
    // all three are open together before anyone decides: parallel, not sequential
    const [nr, ee, wr] = await Promise.all([taskAt(p.nr, c.id, JOINT.countersign), taskAt(p.ee, c.id, JOINT.countersign), taskAt(p.wr, c.id, JOINT.countersign)]);
    assert.deepStrictEqual([nr.candidateGroups, ee.candidateGroups, wr.candidateGroups], [[`${CITY}.NR:reviewer`], [`${CITY}.EE:reviewer`], [`${CITY}.WR:reviewer`]]);
    // a department does not see another department's countersign task
    const foreign = await p.ee.get(`/api/tasks/${nr.userTaskKey}`);
    assert.strictEqual(foreign.status, 404);
    await decide(p.ee, c.id, JOINT.countersign, 'approve', '环评符合要求');
    await decide(p.wr, c.id, JOINT.countersign, 'approve', '水保方案可行');
    await decide(p.nr, c.id, JOINT.countersign, 'approve', '用地符合规划');
    await decide(p.nrLeader, c.id, JOINT.lead, 'grant', '准予许可');
    const done = await concluded(p.cityWindow, c.id);
    assert.strictEqual(done.result, 'granted');
    assert.strictEqual(done.timeline.filter((e) => e.type === 'task.completed' && e.elementId === JOINT.countersign).length, 3);
  });

  it('refuses when one department refuses, without a lead decision, and ends the other signers’ tasks', async () => {
    const c = await submit(p.cityWindow, JOINT.item, CITY);
    await decide(p.cityWindow, c.id, JOINT.window, 'accept');
    const wr = await taskAt(p.wr, c.id, JOINT.countersign);
    await decide(p.nr, c.id, JOINT.countersign, 'approve');
    await decide(p.ee, c.id, JOINT.countersign, 'reject', '项目位于生态保护红线内');
    const done = await concluded(p.cityWindow, c.id);
    assert.strictEqual(done.result, 'refused');
    assert.strictEqual(done.timeline.some((e) => e.elementId === JOINT.lead), false);
    // the completion condition removed the signer who had not yet acted: cancelled, not completed
    const left = await p.wr.get<{ state: string }>(`/api/tasks/${wr.userTaskKey}`);
    assert.strictEqual(left.body.state, 'canceled');
    assert.strictEqual(done.timeline.filter((e) => e.type === 'task.completed' && e.elementId === JOINT.countersign).length, 2);
  });
});
