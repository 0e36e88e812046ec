/**
 * 取水许可 end to end on the real broker: window acceptance → county → city → province → delivery,
 * plus the return, refusal-to-accept and 补正 paths.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { concluded, COUNTY, decide, people, type People, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';

describe('取水许可 water-abstraction permit, level by level', () => {
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

  it('runs from submission through every level to a granted licence', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    assert.match(c.caseNo, /^LD\d{14}$/);
    assert.strictEqual(c.status, 'in_progress');
    await decide(p.window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    await decide(p.countyReviewer, c.id, WATER.county, 'approve', '县级初审同意');
    await decide(p.cityReviewer, c.id, WATER.city, 'approve', '市级审查同意');
    await decide(p.provinceLeader, c.id, WATER.province, 'grant', '准予取水许可');
    await decide(p.provinceWindow, c.id, WATER.delivery, 'done', '已送达');
    const done = await concluded(p.window, c.id);
    assert.strictEqual(done.result, 'granted');
    assert.ok(done.processInstanceKey);
    const completed = done.timeline.filter((e) => e.type === 'task.completed');
    assert.deepStrictEqual(
      completed.map((e) => [e.elementId, e.actor, e.data?.decision]),
      [
        [WATER.window, 'jn-01-01.asc.window', 'accept'],
        [WATER.county, 'jn-01-01.wr.reviewer', 'approve'],
        [WATER.city, 'jn-01.wr.reviewer', 'approve'],
        [WATER.province, 'jn.wr.leader', 'grant'],
        [WATER.delivery, 'jn.asc.window', 'done'],
      ],
    );
    assert.deepStrictEqual(done.timeline.map((e) => e.type).slice(0, 2), ['case.submitted', 'case.started']);
    assert.strictEqual(done.timeline.at(-1)?.type, 'case.concluded');
    assert.strictEqual(done.currentSteps.length, 0);
    assert.strictEqual((done as unknown as { applicant: { name: string; idNumber: string; masked: boolean } }).applicant.name, '张*', 'masked in the case view');
  });

  it('lets the city return the case to the county, which reviews it again', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    await decide(p.countyReviewer, c.id, WATER.county, 'approve');
    await decide(p.cityReviewer, c.id, WATER.city, 'return', '水资源论证报告需补充取水口坐标');
    const again = await taskAt(p.countyReviewer, c.id, WATER.county);
    assert.strictEqual(again.state, 'open');
    assert.strictEqual(again.assignee, null);
    await decide(p.countyReviewer, c.id, WATER.county, 'approve', '已补充');
    await decide(p.cityReviewer, c.id, WATER.city, 'approve');
    await decide(p.provinceLeader, c.id, WATER.province, 'refuse', '取水总量超出区域控制指标');
    const done = await concluded(p.window, c.id);
    assert.strictEqual(done.result, 'refused');
  });

  it('ends a case refused at the window as not accepted (不予受理)', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'reject', '不属于本机关职权范围');
    const done = await concluded(p.window, c.id);
    assert.strictEqual(done.result, 'not_accepted');
  });

  it('waits for supplementary materials (补正) and returns to the window when they arrive', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    const early = await p.window.post(`/api/cases/${c.id}/supplements`, { materials: [{ name: '补充材料' }] });
    assert.strictEqual(early.status, 409, 'nothing is awaited yet');
    await decide(p.window, c.id, WATER.window, 'correct', '请补正水资源论证报告');
    const waiting = await waitFor('case awaiting supplements', async () => {
      const r = await p.window.get<CaseJson>(`/api/cases/${c.id}`);
      return r.body.awaiting === WATER.awaitSupplements ? r.body : null;
    });
    assert.strictEqual(waiting.currentSteps.length, 0);
    const sent = await p.window.post<CaseJson>(`/api/cases/${c.id}/supplements`, { materials: [{ name: '水资源论证报告（修订）' }] });
    assert.strictEqual(sent.status, 200, JSON.stringify(sent.body));
    const back = await taskAt(p.window, c.id, WATER.window);
    assert.strictEqual(back.state, 'open');
    await decide(p.window, c.id, WATER.window, 'reject', '补正后仍不符合条件');
    assert.strictEqual((await concluded(p.window, c.id)).result, 'not_accepted');
  });
});
