/**
 * The promised limit (承诺时限) is a clock of its own beside the statutory one (法定时限): a case whose
 * promise passes long before the law is yellow on the promise only — on the clock endpoint, the case
 * page, the supervisors' feed and the statistics — until the law's limit passes too.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { stopFeed, ManualClock, startOffice, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, WATER, type CaseJson } from '../support/licensing.ts';

interface ClockJson { id: string; kind: string; dueOn: string; level: string; limitDays: number }
type Reason = { kind: string; level: string };
interface Feed { items: Array<{ caseId: string; level: string; reasons: Reason[] }> }
interface Stats { byLimit: Array<{ unitCode: string; promiseOverdue: number; statutoryOverdue: number }>; byUnit: Array<{ unitCode: string; yellow: number }> }

describe('the promised limit as a second clock', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.parse('2026-09-01T10:00:00+08:00')); // a Tuesday, no holiday near
  let window: Client;
  let sup: Client;
  let c: CaseJson;
  const clocks = async () => (await window.get<{ clocks: ClockJson[] }>(`/api/cases/${c.id}/clock`)).body.clocks;
  const byKind = async (kind: string) => (await clocks()).find((k) => k.kind === kind) as ClockJson;

  before(async () => {
    t = await startOffice({ clock, env: { DEADLINE_POLL_MS: '3600000', WARNING_THRESHOLD_DAYS: '2', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    const admin = await login(t.url, 'jn.asc.admin');
    const item = (await admin.get<Record<string, unknown>>(`/api/items/${WATER.item}`)).body;
    const fields = Object.fromEntries(Object.entries(item).filter(([k]) => !['code', 'version', 'processVersion'].includes(k)));
    const edited = await admin.put<{ version: number; promisedLimitDays: number }>(`/api/items/${WATER.item}`, { ...fields, promisedLimitDays: 3 });
    assert.strictEqual(edited.status, 200, JSON.stringify(edited.body));
    assert.strictEqual(edited.body.promisedLimitDays, 3);
    window = await login(t.url, 'jn-01-01.asc.window');
    sup = await login(t.url, 'jn-01.sup.supervisor');
    c = await submit(window, WATER.item, COUNTY);
    await decide(window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('starts both clocks at acceptance: the promise (3 working days) and the law (20)', async () => {
    const [promise, law] = [await byKind('promise'), await byKind('decision')];
    assert.deepInclude(promise, { limitDays: 3, dueOn: '2026-09-04', level: 'none' });
    assert.deepInclude(law, { limitDays: 20, dueOn: '2026-09-29', level: 'none' });
    const page = await window.get<{ clock: { dueOn: string }; promise: { dueOn: string; level: string } }>(`/api/cases/${c.id}`);
    assert.strictEqual(page.body.promise.dueOn, '2026-09-04');
    assert.strictEqual(page.body.clock.dueOn, '2026-09-29');
  });

  it('the promise passes before the law: yellow on the promise only, everywhere supervision looks', async () => {
    clock.set('2026-09-07T09:00:00+08:00'); // Monday after the promised Friday
    assert.strictEqual(await t.office.deadlines.tick(), 2, 'the promise: its warning and its yellow, nothing else');
    assert.strictEqual((await byKind('promise')).level, 'yellow');
    assert.strictEqual((await byKind('decision')).level, 'none', 'the law is still kept');

    const page = await window.get<{ clock: { level: string }; promise: { level: string } }>(`/api/cases/${c.id}`);
    assert.deepStrictEqual([page.body.promise.level, page.body.clock.level], ['yellow', 'none']);
    const timeline = (await window.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline;
    assert.ok(timeline.some((e) => e.type === 'deadline.yellow' && e.data?.clock === 'promise'), 'the timeline names the promise');
    assert.notOk(timeline.some((e) => e.type === 'deadline.yellow' && e.data?.clock === 'decision'));

    const feed = (await sup.get<Feed>('/api/supervision/feed')).body.items.find((i) => i.caseId === c.id);
    assert.strictEqual(feed?.level, 'yellow');
    assert.deepStrictEqual(feed?.reasons.map((r) => `${r.kind}:${r.level}`), ['promise:yellow'], 'the board says which limit is past');
    const stats = (await sup.get<Stats>('/api/supervision/stats')).body;
    assert.deepStrictEqual(stats.byLimit.find((r) => r.unitCode === COUNTY), { unitCode: COUNTY, promiseOverdue: 1, statutoryOverdue: 0 });
  });

  it('then the law passes too: both show', async () => {
    clock.set('2026-09-30T09:00:00+08:00');
    assert.ok((await t.office.deadlines.tick()) >= 2, 'the statutory warning and yellow (and the county step’s)');
    assert.strictEqual((await byKind('decision')).level, 'yellow');
    const feed = (await sup.get<Feed>('/api/supervision/feed')).body.items.find((i) => i.caseId === c.id);
    assert.includeMembers(feed?.reasons.map((r) => `${r.kind}:${r.level}`) ?? [], ['promise:yellow', 'decision:yellow']);
    const stats = (await sup.get<Stats>('/api/supervision/stats')).body;
    assert.deepStrictEqual(stats.byLimit.find((r) => r.unitCode === COUNTY), { unitCode: COUNTY, promiseOverdue: 1, statutoryOverdue: 1 });
  });
});
