/**
 * The provisional calendar of an unpublished year (issue 13): the statutory holidays worked out from
 * the lunar calendar and the Qingming solar term, checked against the State Council's published
 * 2025 and 2026 notices; counting across into a provisional year; reading a year from a file; and
 * the working days a clerk is shown as left.
 */
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { throws } from '../support/assertions.ts';
import { WorkingCalendar, parseCalendarFile, statutoryHolidays } from '../../backend/modules/calendar/index.ts';
import { workingDaysLeft } from '../../backend/modules/deadlines/clock-view.ts';
import { AppError } from '../../backend/errors.ts';
import { officialYears, rowsOf } from '../../db/seeds/03-calendar.ts';

const national = officialYears.flatMap((y) => rowsOf(y).map((r) => ({ regionCode: '', ...r })));
const festival = (name: string) => name.replace('（暂定）', '');

describe('provisional calendar', () => {
  for (const year of [2025, 2026]) {
    it(`every statutory day off it computes for ${year} is a day off of the published ${year} notice, under the same festival`, () => {
      const published = new Map(national.filter((r) => r.day.startsWith(`${year}-`) && r.kind === 'holiday').map((r) => [r.day, r.name]));
      const computed = statutoryHolidays(year);
      assert.strictEqual(computed.length, 13, '1 + 4 + 1 + 2 + 1 + 1 + 3 statutory days');
      for (const h of computed) {
        const name = published.get(h.day);
        assert.isDefined(name, `${h.day} (${h.name}) is not a day off in the published ${year} calendar`);
        // the 2025 notice names National Day and Mid-Autumn as one period
        assert.include(name, festival(h.name).replace('节', ''), `${h.day}: computed ${h.name}, published ${name}`);
      }
    });
  }

  it('names the lunar festivals and Qingming of 2026 exactly as the notice does (positive control for the subset check)', () => {
    const days = statutoryHolidays(2026).map((h) => `${h.day} ${festival(h.name)}`);
    assert.includeMembers(days, ['2026-02-16 春节', '2026-02-17 春节', '2026-02-18 春节', '2026-02-19 春节', '2026-04-05 清明节', '2026-06-19 端午节', '2026-09-25 中秋节']);
    assert.notInclude(days, '2026-02-15 春节', 'the 15th is a bridging day of the notice, not a statutory day');
  });

  it('counts a 45-working-day joint approval accepted on 2026-12-01 into provisional 2027, and says so', () => {
    const cal = new WorkingCalendar(national, [2025, 2026], [2027, 2028]);
    // Dec 2–31: 22 working days; Jan 2027: 21 weekdays less 元旦 = 20; then Feb 1, 2, 3
    assert.strictEqual(cal.addWorkingDays('2026-12-01', 45), '2027-02-03');
    assert.isTrue(cal.touchesProvisional('2026-12-01', '2027-02-03'));
    assert.isFalse(cal.touchesProvisional('2026-12-01', '2026-12-29'), 'a 20-day period ending in 2026 is final');
    assert.isFalse(cal.isWorkingDay('2027-02-08'), '春节 (正月初三) is off even on a Monday');
    assert.isTrue(cal.isWorkingDay('2027-02-09'));
    // published years keep their notice even when listed as provisional too
    const both = new WorkingCalendar(national, [2026], [2026, 2027]);
    assert.deepStrictEqual(both.provisionalYears(), [2027]);
    assert.isTrue(both.isWorkingDay('2026-02-14'), 'a make-up working day of the notice');
  });

  it('reads a year from one date a line, with kinds and names, and from iCalendar', () => {
    const lines = parseCalendarFile('# 2027\n2027-01-01 元旦\n2027-02-06 班 春节调休上班\n2027-02-10,休,春节\n\n2026-12-31\n', 2027);
    assert.deepStrictEqual(lines, [
      { day: '2027-01-01', kind: 'holiday', name: '元旦' },
      { day: '2027-02-06', kind: 'workday', name: '春节调休上班' },
      { day: '2027-02-10', kind: 'holiday', name: '春节' },
    ]);
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270205', 'DTEND;VALUE=DATE:20270208', 'SUMMARY:春节 假期', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270213', 'DTEND;VALUE=DATE:20270214', 'SUMMARY:春节 补班', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    assert.deepStrictEqual(parseCalendarFile(ics, 2027), [
      { day: '2027-02-05', kind: 'holiday', name: '春节 假期' },
      { day: '2027-02-06', kind: 'holiday', name: '春节 假期' },
      { day: '2027-02-07', kind: 'holiday', name: '春节 假期' },
      { day: '2027-02-13', kind: 'workday', name: '春节 补班' },
    ]);
  });

  it('refuses a file with an unreadable line or a make-up day on a weekday, naming the line', () => {
    throws(() => parseCalendarFile('2027-01-01 元旦\n2027-02-30 x\n', 2027), (err: unknown) => err instanceof AppError && err.code === 'VALIDATION_FAILED' && /line 2/.test(err.details?.[0]?.message ?? ''));
    throws(() => parseCalendarFile('2027-02-09 班 x\n', 2027), (err: unknown) => err instanceof AppError && /weekday/.test(err.details?.[0]?.message ?? ''));
    throws(() => parseCalendarFile('2026-10-01 国庆节\n', 2027), (err: unknown) => err instanceof AppError && /no day of 2027/.test(err.message));
  });
});

describe('working days left', () => {
  const cal = new WorkingCalendar(national, [2025, 2026], [2027]);
  const due = cal.addWorkingDays('2026-12-01', 20);
  const clock = { state: 'running', startedOn: '2026-12-01', dueOn: due, pausedOn: null };

  it('shows the full limit on the day of acceptance, and counts today while it lasts afterwards', () => {
    assert.strictEqual(workingDaysLeft(cal, clock, '2026-12-01'), 20);
    assert.strictEqual(workingDaysLeft(cal, clock, '2026-12-02'), 20, 'day 1 has begun, not ended');
    assert.strictEqual(workingDaysLeft(cal, clock, '2026-12-03'), 19);
    assert.strictEqual(workingDaysLeft(cal, clock, due), 1, 'the last day itself');
    assert.strictEqual(workingDaysLeft(cal, clock, cal.addWorkingDays(due, 2)), -2, 'two working days overdue');
  });

  it('a paused clock stands where it stopped; a stopped clock shows none', () => {
    assert.strictEqual(workingDaysLeft(cal, { ...clock, state: 'paused', pausedOn: '2026-12-03' }, '2026-12-20'), 19);
    assert.strictEqual(workingDaysLeft(cal, { ...clock, state: 'stopped' }, '2026-12-03'), null);
  });
});
