/**
 * A day of a published year changes (a province adds a local festival, a mistake is corrected): every
 * clock counting across that day is recomputed in the same transaction, with old and new dates on
 * the timeline, and its holders are told; a day outside every clock's span moves nothing.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, request, type Client } from '../support/api.ts';
import { stopFeed, ManualClock, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';

interface ClockJson {
  kind: string;
  dueOn: string;
}

describe('calendar: changing a day of a published year', () => {
  let t: TestOffice;
  // a Tuesday in a December without holidays: 20 working days end on Tuesday 2026-12-29
  const clock = new ManualClock(Date.parse('2026-12-01T10:00:00+08:00'));
  let window: Client;
  let reviewer: Client;
  let admin: Client;
  let c: CaseJson;
  const decisionDue = async () => (await window.get<{ clocks: ClockJson[] }>(`/api/cases/${c.id}/clock`)).body.clocks.find((k) => k.kind === 'decision')?.dueOn;
  const recomputed = async () =>
    (await t.office.ctx.db('case_events').where({ case_id: c.id, type: 'clock.recomputed' }).orderBy('id')).map((e) => JSON.parse(String(e.data)) as Record<string, unknown>).filter((d) => d.clock === 'decision');
  const put = (path: string, body: unknown) => request(t.url, 'PUT', path, body, { authorization: `Bearer ${admin.token}` });
  const del = (path: string) => request(t.url, 'DELETE', path, undefined, { authorization: `Bearer ${admin.token}` });

  before(async () => {
    t = await startOffice({ clock, env: { DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    window = await login(t.url, 'jn-01-01.asc.window');
    reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    admin = await login(t.url, 'jn.asc.admin');
    c = await submit(window, WATER.item, COUNTY);
    await decide(window, c.id, WATER.window, 'accept', '受理');
    await taskAt(reviewer, c.id, WATER.county);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('moves the clocks spanning the day, records it and tells the holders; other days move nothing', async () => {
    assert.strictEqual(await decisionDue(), '2026-12-29');
    // a day after the due date first: it must change nothing (the control for the edit that follows)
    assert.strictEqual((await put('/api/calendar/days/2026-12-31', { kind: 'holiday', name: '测试：期限之后的一天', regionCode: 'JN' })).status, 200);
    assert.strictEqual(await decisionDue(), '2026-12-29');

    assert.strictEqual((await put('/api/calendar/days/2026-12-10', { kind: 'holiday', name: '江南省民族节（示例）', regionCode: 'JN' })).status, 200);
    assert.strictEqual(await decisionDue(), '2026-12-30', 'one working day less before the due date: due a day later');
    assert.deepStrictEqual(await recomputed(), [{ clock: 'decision', day: '2026-12-10', oldDueOn: '2026-12-29', newDueOn: '2026-12-30', provisional: false }], 'recorded once, for the day inside the span only');
    const task = await t.office.ctx.db('tasks').where({ case_id: c.id, state: 'open' }).first();
    assert.ok(task.due_on > '2026-12-10', 'the open step has a clock spanning the day');
    await waitFor('the reviewer group hears the new dates', async () =>
      (await reviewer.get<{ items: Array<{ kind: string; caseId: string | null }> }>('/api/notifications')).body.items.some((n) => n.kind === 'clock_recomputed' && n.caseId === c.id));

    // removing it again moves the date back, as a second record
    assert.strictEqual((await del('/api/calendar/days/2026-12-10?region=JN')).status, 204);
    assert.strictEqual(await decisionDue(), '2026-12-29');
    assert.deepStrictEqual((await recomputed()).map((d) => [d.oldDueOn, d.newDueOn]), [['2026-12-29', '2026-12-30'], ['2026-12-30', '2026-12-29']]);
  });
});
