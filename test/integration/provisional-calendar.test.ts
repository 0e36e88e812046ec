/**
 * A case accepted on 2026-12-01, before the State Council has published 2027 (issue 13): its clocks
 * run on the provisional calendar and say so (暂定); the board and the administrators hear from
 * 1 November that 2027 is unpublished; importing and publishing 2027 recomputes the clock in the
 * publishing transaction, tells its holders and puts old and new dates on the timeline.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { stopFeed, ManualClock, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { CITY, decide, JOINT, submit, taskAt, type CaseJson } from '../support/licensing.ts';

interface ClockJson {
  id: string;
  kind: string;
  dueOn: string;
  provisional: boolean;
  state: string;
  workingDaysLeft: number | null;
}
interface Note {
  kind: string;
  caseId: string | null;
  data: Record<string, unknown>;
}

// A 2027 notice as a file: 元旦, a make-up Saturday before the Spring Festival, the festival itself
const NOTICE_2027 = ['2027-01-01 元旦', '2027-01-30 班 春节调休上班', ...['05', '06', '07', '08', '09', '10', '11'].map((d) => `2027-02-${d} 春节`), '2027-02-20 班 春节调休上班'].join('\n');

describe('provisional calendar for an unpublished year', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.parse('2026-12-01T10:00:00+08:00'));
  const u = {} as Record<'window' | 'nr' | 'admin' | 'sup', Client>;
  let c: CaseJson;
  const decisionClock = async () => (await u.window.get<{ clocks: ClockJson[] }>(`/api/cases/${c.id}/clock`)).body.clocks.find((k) => k.kind === 'decision') as ClockJson;
  const notes = async (who: Client) => (await who.get<{ items: Note[] }>('/api/notifications')).body.items;

  before(async () => {
    t = await startOffice({ clock, env: { DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    u.window = await login(t.url, 'jn-01.asc.window');
    u.nr = await login(t.url, 'jn-01.nr.reviewer');
    u.admin = await login(t.url, 'jn.asc.admin');
    u.sup = await login(t.url, 'jn-01.sup.supervisor');
    c = await submit(u.window, JOINT.item, CITY);
    await decide(u.window, c.id, JOINT.window, 'accept', '受理');
    await taskAt(u.nr, c.id, JOINT.countersign);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('gives a 45-working-day case accepted on 2026-12-01 its clock, due 2027-02-03 暂定, showing the full 45 days', async () => {
    const d = await decisionClock();
    assert.deepStrictEqual({ dueOn: d.dueOn, provisional: d.provisional, state: d.state, workingDaysLeft: d.workingDaysLeft }, { dueOn: '2027-02-03', provisional: true, state: 'running', workingDaysLeft: 45 });
    const page = await u.window.get<{ clock: { provisional: boolean; dueOn: string }; timeline: Array<{ type: string; data: Record<string, unknown> | null }> }>(`/api/cases/${c.id}`);
    assert.deepStrictEqual([page.body.clock.dueOn, page.body.clock.provisional], ['2027-02-03', true]);
    const started = page.body.timeline.filter((e) => e.type === 'clock.started');
    assert.strictEqual(started.length, 1, 'the clock.started marker proves the timeline is read');
    assert.strictEqual(started[0]?.data?.provisional, true);
    assert.isFalse(page.body.timeline.some((e) => e.type === 'clock.unplanned'), 'no case without its clock');
  });

  it('extends across the unpublished year instead of refusing it', async () => {
    const leader = await login(t.url, 'jn-01.nr.leader');
    const r = await leader.post<{ clocks: ClockJson[] }>(`/api/cases/${c.id}/clock/extend`, { days: 15, reason: '需组织专家论证' });
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    const d = r.body.clocks.find((k) => k.kind === 'decision') as ClockJson;
    assert.deepStrictEqual([d.dueOn, d.provisional], ['2027-02-26', true]);
  });

  it('alerts the administrators once from 1 November and shows the board that 2027 is unpublished', async () => {
    const board = await u.sup.get<{ calendar: { unpublishedYear: number | null } }>('/api/supervision/feed');
    assert.strictEqual(board.body.calendar.unpublishedYear, 2027);
    await t.office.deadlines.tick();
    await t.office.deadlines.tick();
    const alerts = (await notes(u.admin)).filter((n) => n.kind === 'calendar_unpublished');
    assert.strictEqual(alerts.length, 1, 'once, however often the scheduler runs');
    assert.strictEqual(alerts[0]?.data.year, 2027);
    // the scheduler's first sweep at start-up may have sent it, before this case was accepted
    assert.isNumber(alerts[0]?.data.provisionalClocks);
    assert.isFalse((await notes(u.window)).some((n) => n.kind === 'calendar_unpublished'), 'clerks are not alerted');
  });

  it('refuses an unreadable file with the line, storing nothing', async () => {
    const bad = await u.admin.post<{ error: { code: string; details: Array<{ message: string }> } }>('/api/calendar/years/2027/import', { content: '2027-01-01 元旦\n2027-13-01 x', source: '测试' });
    assert.strictEqual(bad.status, 400);
    assert.match(bad.body.error.details[0]?.message ?? '', /line 2/);
    assert.deepStrictEqual((await u.admin.get<{ days: unknown[] }>('/api/calendar/2027')).body.days, []);
    assert.strictEqual((await u.window.post('/api/calendar/years/2027/import', { content: NOTICE_2027, source: '测试' })).status, 403);
  });

  it('imports 2027 as a draft that changes no clock until published', async () => {
    const r = await u.admin.post<{ imported: number }>('/api/calendar/years/2027/import', { content: NOTICE_2027, source: '国务院办公厅关于2027年部分节假日安排的通知（测试）' });
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    assert.strictEqual(r.body.imported, 10);
    assert.strictEqual((await u.admin.get<{ days: unknown[] }>('/api/calendar/2027')).body.days.length, 10);
    assert.deepStrictEqual([(await decisionClock()).dueOn, (await decisionClock()).provisional], ['2027-02-26', true]);
  });

  it('publishing 2027 recomputes the clock in the same transaction, notes old and new dates and tells the holders', async () => {
    const r = await u.admin.post<{ recomputed: number }>('/api/calendar/years/2027/publish', { source: '国务院办公厅关于2027年部分节假日安排的通知（测试）' });
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    assert.isAtLeast(r.body.recomputed, 1);
    // against the provisional count: 1/30 worked (+1), 2/9–2/11 off (−3), 2/20 worked (+1): one day later
    const d = await decisionClock();
    assert.deepStrictEqual([d.dueOn, d.provisional], ['2027-03-01', false]);
    const timeline = (await u.window.get<{ timeline: Array<{ type: string; data: Record<string, unknown> | null }> }>(`/api/cases/${c.id}`)).body.timeline;
    const moved = timeline.filter((e) => e.type === 'clock.recomputed' && e.data?.clock === 'decision');
    assert.deepStrictEqual(moved.map((e) => [e.data?.oldDueOn, e.data?.newDueOn, e.data?.year]), [['2027-02-26', d.dueOn, 2027]]);
    const told = await waitFor('the countersign reviewer hears of the new date', async () => (await notes(u.nr)).find((n) => n.kind === 'clock_recomputed' && n.caseId === c.id && n.data.clock === 'decision'));
    assert.deepStrictEqual([told.data.oldDueOn, told.data.newDueOn], ['2027-02-26', d.dueOn]);
    const board = await u.sup.get<{ calendar: { unpublishedYear: number | null } }>('/api/supervision/feed');
    assert.strictEqual(board.body.calendar.unpublishedYear, null);
  });
});
