/**
 * The watchers' views on a controlled clock: the live overlay of a process (open steps per element
 * and their deadline levels), the supervisor's statistics per region one level down with the on-time
 * rate and the busiest steps, and the feed's region and level filters — each narrowed to what the
 * caller may read, with 403 for roles it is not for and 404 for regions outside the caller's scope.
 *
 * Cases (accepted / filed on 2026-09-30, the day before National Day):
 *   c1 JN-01-01 water, at the county window     → window step (5 working days) yellow on 11/1
 *   c2 JN-01-01 water, accepted, county review  → step and decision clock (20 days, due 11/3) warned
 *   c3 JN-01-02 water, at its county window     → yellow
 *   c4 JN-01   joint approval, at the city window → yellow
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { stopFeed, ManualClock, startOffice, type TestOffice } from '../support/harness.ts';
import { CITY, concluded, COUNTY, decide, JOINT, submit, taskAt, WATER, type CaseJson, promiseOutOfTheWay } from '../support/licensing.ts';

const ACTORS = [
  'jn-01-01.asc.window',
  'jn-01-02.asc.window',
  'jn-01.asc.window',
  'jn-01-01.wr.reviewer',
  'jn-01-01.wr.leader',
  'jn-01.wr.reviewer',
  'jn.wr.leader',
  'jn-01-02.sup.supervisor',
  'jn-01.sup.supervisor',
  'jn-02.sup.supervisor',
  'jn.sup.supervisor',
  'jn.wr.designer',
  'jn.asc.designer',
  'jn.asc.admin',
] as const;
type Actor = (typeof ACTORS)[number];

interface Counts {
  open: number;
  warning: number;
  yellow: number;
  red: number;
}
type Overlay = { elements: Array<Counts & { elementId: string }> };
interface Stats {
  scope: string;
  byUnit: Array<Counts & { unitCode: string; unitName: string }>;
  onTime: { concluded: number; onTime: number; rate: number | null };
  byStep: Array<{ elementId: string; name: string; open: number }>;
}
interface Feed {
  counts: { warning: number; yellow: number; red: number };
  items: Array<{ caseId: string; level: string; kind: string; regionCode: string; reasons: Array<{ kind: string; level: string }> }>;
}

const c = (open: number, warning: number, yellow: number, red = 0): Counts => ({ open, warning, yellow, red });

describe('supervision views: process overlay, statistics, feed filters', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.parse('2026-09-30T10:00:00+08:00'));
  const as = {} as Record<Actor, Client>;
  const cases = {} as Record<'c1' | 'c2' | 'c3' | 'c4', CaseJson>;

  before(async () => {
    // tokens are checked against the controlled clock too: give them a year so the test can travel
    t = await startOffice({ clock, env: { DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    await promiseOutOfTheWay(t.office.ctx.db); // this file counts the statutory and step clocks' levels
    for (const a of ACTORS) as[a] = await login(t.url, a);
    cases.c1 = await submit(as['jn-01-01.asc.window'], WATER.item, COUNTY);
    cases.c2 = await submit(as['jn-01-01.asc.window'], WATER.item, COUNTY);
    cases.c3 = await submit(as['jn-01-02.asc.window'], WATER.item, 'JN-01-02');
    cases.c4 = await submit(as['jn-01.asc.window'], JOINT.item, CITY);
    await decide(as['jn-01-01.asc.window'], cases.c2.id, WATER.window, 'accept', '受理');
    await taskAt(as['jn-01-01.wr.reviewer'], cases.c2.id, WATER.county);
    await taskAt(as['jn-01-01.asc.window'], cases.c1.id, WATER.window);
    await taskAt(as['jn-01-02.asc.window'], cases.c3.id, WATER.window);
    await taskAt(as['jn-01.asc.window'], cases.c4.id, JOINT.window);
    clock.set('2026-11-01T09:00:00+08:00'); // a Sunday: 11/2 and 11/3 are the last working days of c2
    // three window steps reach warning and yellow in one sweep (2 each); c2's step and decision clock warn
    assert.strictEqual(await t.office.deadlines.tick(), 8);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  const overlay = (a: Actor, process: string) => as[a].get<Overlay>(`/api/processes/${process}/overlay`);
  const byElement = (o: Overlay) => Object.fromEntries(o.elements.map(({ elementId, ...n }) => [elementId, n]));

  it('overlay: designers of the owning department see every open step with its worst deadline level', async () => {
    const r = await overlay('jn.wr.designer', WATER.process);
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    assert.deepStrictEqual(byElement(r.body), { [WATER.window]: c(2, 0, 2), [WATER.county]: c(1, 1, 0) });
    const joint = await overlay('jn.asc.designer', JOINT.process);
    assert.deepStrictEqual(byElement(joint.body), { [JOINT.window]: c(1, 0, 1) });
  });

  it('overlay: supervisors and leaders see the counts of the cases they may read; other roles 403, unknown 404', async () => {
    assert.deepStrictEqual(byElement((await overlay('jn-01.sup.supervisor', WATER.process)).body), { [WATER.window]: c(2, 0, 2), [WATER.county]: c(1, 1, 0) });
    assert.deepStrictEqual(byElement((await overlay('jn-01-02.sup.supervisor', WATER.process)).body), { [WATER.window]: c(1, 0, 1) }, 'a county supervisor: own county only');
    assert.deepStrictEqual((await overlay('jn-02.sup.supervisor', WATER.process)).body, { elements: [] }, 'another city: nothing');
    assert.deepStrictEqual(byElement((await overlay('jn-01-01.wr.leader', WATER.process)).body), { [WATER.county]: c(1, 1, 0) }, 'a leader: the cases of the own unit');
    for (const a of ['jn.asc.designer', 'jn-01-01.wr.reviewer', 'jn-01-01.asc.window', 'jn.asc.admin'] as const) {
      const r = await overlay(a, WATER.process);
      assert.strictEqual(r.status, 403, `${a} → ${r.status}`);
    }
    assert.strictEqual((await overlay('jn.wr.designer', JOINT.process)).status, 403, 'the joint approval is ASC’s');
    assert.strictEqual((await overlay('jn.wr.designer', 'no_such_process')).status, 404);
    assert.strictEqual((await overlay('jn.wr.designer', '1-not-an-id')).status, 400);
  });

  it('the case page carries the decision clock in brief', async () => {
    const page = await as['jn-01-01.wr.reviewer'].get<{ clock: unknown; visitedElements: string[] }>(`/api/cases/${cases.c2.id}`);
    assert.deepStrictEqual(page.body.clock, { dueOn: '2026-11-03', provisional: false, level: 'warning', state: 'running', workingDaysLeft: 2 });
    assert.deepStrictEqual(page.body.visitedElements, [WATER.window]);
  });

  it('stats: open cases per region one level down, each at its worst level; cases filed at the region itself in a last row', async () => {
    const province = await as['jn.sup.supervisor'].get<Stats>('/api/supervision/stats');
    assert.strictEqual(province.status, 200, JSON.stringify(province.body));
    assert.strictEqual(province.body.scope, 'JN');
    assert.deepStrictEqual(province.body.byUnit, [
      { unitCode: 'JN-01', unitName: '示范市', ...c(4, 1, 3) },
      { unitCode: 'JN-02', unitName: '东江市', ...c(0, 0, 0) },
    ]);
    assert.deepStrictEqual(province.body.onTime, { concluded: 0, onTime: 0, rate: null });
    assert.deepStrictEqual(province.body.byStep.map((s) => [s.elementId, s.open]), [[WATER.window, 3], [WATER.county, 1]]);
    assert.strictEqual(province.body.byStep[1]?.name, '县级初审');

    const city = await as['jn-01.sup.supervisor'].get<Stats>('/api/supervision/stats');
    assert.strictEqual(city.body.scope, 'JN-01');
    assert.deepStrictEqual(city.body.byUnit, [
      { unitCode: 'JN-01-01', unitName: '示范市一区', ...c(2, 1, 1) },
      { unitCode: 'JN-01-02', unitName: '示范市二县', ...c(1, 0, 1) },
      { unitCode: 'JN-01', unitName: '示范市（本级）', ...c(1, 0, 1) },
    ]);
    const drilled = await as['jn.sup.supervisor'].get<Stats>('/api/supervision/stats?unit=JN-01-01');
    assert.strictEqual(drilled.body.scope, 'JN-01-01');
    assert.deepStrictEqual(drilled.body.byUnit, [{ unitCode: 'JN-01-01', unitName: '示范市一区（本级）', ...c(2, 1, 1) }], 'a county has no level below');
    assert.deepStrictEqual((await as['jn.sup.supervisor'].get<Stats>('/api/supervision/stats?unit=JN-02')).body.byUnit, [{ unitCode: 'JN-02-01', unitName: '东江市三县', ...c(0, 0, 0) }]);
  });

  it('stats: only within the caller’s scope and rules — 404 outside, 400 malformed, 403 for other roles', async () => {
    const county = await as['jn-01-02.sup.supervisor'].get<Stats>('/api/supervision/stats');
    assert.strictEqual(county.body.scope, 'JN-01-02');
    assert.deepStrictEqual(county.body.byUnit, [{ unitCode: 'JN-01-02', unitName: '示范市二县（本级）', ...c(1, 0, 1) }]);
    assert.deepStrictEqual(county.body.byStep.map((s) => [s.elementId, s.open]), [[WATER.window, 1]]);
    for (const unit of ['JN-01', 'JN-01-01', 'JN', 'JN-02', 'JN-09']) {
      const r = await as['jn-01-02.sup.supervisor'].get(`/api/supervision/stats?unit=${unit}`);
      assert.strictEqual(r.status, 404, `unit ${unit} → ${r.status}`);
    }
    assert.strictEqual((await as['jn.sup.supervisor'].get('/api/supervision/stats?unit=JN-09')).status, 404, 'unknown region');
    for (const unit of ['jn-01', 'JN-01.WR', 'JN-1', '..']) assert.strictEqual((await as['jn.sup.supervisor'].get(`/api/supervision/stats?unit=${encodeURIComponent(unit)}`)).status, 400, unit);
    // a leader: the own region, counting only the cases of the own unit
    const leader = await as['jn-01-01.wr.leader'].get<Stats>('/api/supervision/stats');
    assert.strictEqual(leader.status, 200);
    assert.deepStrictEqual(leader.body.byUnit, [{ unitCode: 'JN-01-01', unitName: '示范市一区（本级）', ...c(1, 1, 0) }]);
    assert.deepStrictEqual(leader.body.byStep.map((s) => [s.elementId, s.open]), [[WATER.county, 1]]);
    for (const a of ['jn-01-01.wr.reviewer', 'jn-01-01.asc.window', 'jn.wr.designer', 'jn.asc.admin'] as const) assert.strictEqual((await as[a].get('/api/supervision/stats')).status, 403, a);
  });

  it('feed: filters by region (and below) and by level; the counts keep all three levels of the region', async () => {
    const all = await as['jn-01.sup.supervisor'].get<Feed>('/api/supervision/feed');
    assert.deepStrictEqual(all.body.counts, { warning: 1, yellow: 3, red: 0 }, 'c2 once (its step and decision clock); three windows');
    assert.strictEqual(all.body.items.filter((i) => i.caseId === cases.c2.id).length, 1, 'a case is listed once');
    const yellow = await as['jn-01.sup.supervisor'].get<Feed>('/api/supervision/feed?level=yellow');
    assert.deepStrictEqual(yellow.body.counts, all.body.counts);
    assert.strictEqual(yellow.body.items.length, 3);
    assert.ok(yellow.body.items.every((i) => i.level === 'yellow'));
    const county = await as['jn-01.sup.supervisor'].get<Feed>('/api/supervision/feed?unit=JN-01-02');
    assert.deepStrictEqual(county.body.counts, { warning: 0, yellow: 1, red: 0 });
    assert.deepStrictEqual(county.body.items.map((i) => i.caseId), [cases.c3.id]);
    const both = await as['jn-01.sup.supervisor'].get<Feed>('/api/supervision/feed?unit=JN-01-01&level=warning');
    assert.deepStrictEqual(both.body.items.map((i) => i.caseId), [cases.c2.id]);
    assert.deepStrictEqual(new Set(both.body.items[0]?.reasons.map((r) => `${r.kind}:${r.level}`)), new Set(['decision:warning', 'step:warning']), 'both reasons');
    assert.strictEqual((await as['jn-01.sup.supervisor'].get('/api/supervision/feed?unit=JN-02')).status, 404, 'outside the scope');
    const other = (await as['jn.sup.supervisor'].get<Feed>('/api/supervision/feed?unit=JN-02')).body;
    assert.deepStrictEqual({ counts: other.counts, items: other.items }, { counts: { warning: 0, yellow: 0, red: 0 }, items: [] });
    assert.strictEqual((await as['jn-01.sup.supervisor'].get('/api/supervision/feed?level=purple')).status, 400);
    assert.strictEqual((await as['jn-01.sup.supervisor'].get('/api/supervision/feed?unit=JN_01')).status, 400);
  });

  it('stats: the on-time rate counts accepted cases concluded, late when the decision clock went yellow', async () => {
    // c2: decided before its due day (warned, never yellow) → on time
    await decide(as['jn-01-01.wr.reviewer'], cases.c2.id, WATER.county, 'approve');
    await decide(as['jn-01.wr.reviewer'], cases.c2.id, WATER.city, 'approve');
    await decide(as['jn.wr.leader'], cases.c2.id, WATER.province, 'refuse', '取水总量超出区域控制指标');
    await concluded(as['jn-01-01.asc.window'], cases.c2.id);
    // c1: accepted today (11/1), its decision clock runs out before it is decided → late
    await decide(as['jn-01-01.asc.window'], cases.c1.id, WATER.window, 'accept', '受理');
    // c3: turned away at the window — no decision clock, so not counted either way
    await decide(as['jn-01-02.asc.window'], cases.c3.id, WATER.window, 'reject', '不属于本机关职权范围');
    await concluded(as['jn-01-02.asc.window'], cases.c3.id);
    clock.set('2026-12-15T09:00:00+08:00');
    assert.ok((await t.office.deadlines.tick()) > 0);
    const page = await as['jn-01-01.asc.window'].get<{ clock: { level: string } }>(`/api/cases/${cases.c1.id}`);
    assert.strictEqual(page.body.clock.level, 'yellow');
    await decide(as['jn-01-01.wr.reviewer'], cases.c1.id, WATER.county, 'approve');
    await decide(as['jn-01.wr.reviewer'], cases.c1.id, WATER.city, 'approve');
    await decide(as['jn.wr.leader'], cases.c1.id, WATER.province, 'refuse', '逾期后作出不予许可决定');
    await concluded(as['jn-01-01.asc.window'], cases.c1.id);

    const province = (await as['jn.sup.supervisor'].get<Stats>('/api/supervision/stats')).body;
    assert.deepStrictEqual(province.onTime, { concluded: 2, onTime: 1, rate: 0.5 });
    assert.deepStrictEqual(province.byUnit[0], { unitCode: 'JN-01', unitName: '示范市', ...c(1, 0, 1) }, 'only c4 is still open');
    assert.deepStrictEqual((await as['jn-01-02.sup.supervisor'].get<Stats>('/api/supervision/stats')).body.onTime, { concluded: 0, onTime: 0, rate: null });
    assert.deepStrictEqual((await as['jn-01-01.wr.leader'].get<Stats>('/api/supervision/stats')).body.onTime, { concluded: 2, onTime: 1, rate: 0.5 }, 'both passed through the leader’s unit');
  });
});
