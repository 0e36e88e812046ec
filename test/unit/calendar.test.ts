/**
 * The working-day calendar against a naive day-by-day oracle (fast-check), and the cases the law and
 * the State Council's 2026 notice make concrete.
 */
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { throws } from '../support/assertions.ts';
import fc from 'fast-check';
import { CalendarGapError, WorkingCalendar, beijingDate, endOfBeijingDay, isCivilDate, startOfBeijingDay, type CalendarDayRow } from '../../backend/modules/calendar/index.ts';
import { AppError } from '../../backend/errors.ts';
import { officialYears, rowsOf } from '../../db/seeds/03-calendar.ts';

const DAY = 86_400_000;
const toNum = (s: string) => Date.parse(`${s}T00:00:00Z`) / DAY;
const toStr = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

const national: CalendarDayRow[] = officialYears.flatMap((y) => rowsOf(y).map((r) => ({ regionCode: '', ...r })));
const official = new WorkingCalendar(national, [2025, 2026]);

/** The oracle: walks day by day, knows nothing of prefix counts. */
class Naive {
  private readonly kinds = new Map<string, string>();
  constructor(
    rows: CalendarDayRow[],
    private readonly years: Set<number>,
  ) {
    for (const r of rows) this.kinds.set(r.day, r.kind);
  }
  isWorkingDay(day: string): boolean {
    const year = Number(day.slice(0, 4));
    if (!this.years.has(year)) throw new CalendarGapError(year);
    const k = this.kinds.get(day);
    if (k === 'holiday') return false;
    if (k === 'workday') return true;
    const w = new Date(`${day}T00:00:00Z`).getUTCDay();
    return w !== 0 && w !== 6;
  }
  addWorkingDays(from: string, n: number): string {
    let d = toNum(from);
    for (let left = n; left > 0; ) {
      d += 1;
      if (this.isWorkingDay(toStr(d))) left -= 1;
    }
    return toStr(d);
  }
  workingDaysBetween(from: string, to: string): number {
    const [a, b, sign] = toNum(from) <= toNum(to) ? [toNum(from), toNum(to), 1] : [toNum(to), toNum(from), -1];
    let count = 0;
    for (let d = a + 1; d <= b; d++) if (this.isWorkingDay(toStr(d))) count += 1;
    return sign === 1 ? count : 0 - count;
  }
}

/** Both return the same value, or both throw a gap error for the same year. */
function same<T>(actual: () => T, expected: () => T): void {
  let want: { value: T } | { gap: number };
  try {
    want = { value: expected() };
  } catch (err) {
    if (!(err instanceof CalendarGapError)) throw err;
    want = { gap: err.year };
  }
  if ('value' in want) {
    assert.deepStrictEqual(actual(), want.value);
  } else {
    throws(actual, (err: unknown) => err instanceof CalendarGapError && err.year === want.gap);
  }
}

const dayIn = (first: string, last: string) => fc.integer({ min: toNum(first), max: toNum(last) }).map(toStr);
const day2526 = dayIn('2025-01-01', '2026-12-31');
const runs = { numRuns: 2000 };

describe('working-day calendar: properties against a day-by-day oracle', () => {
  const naive = new Naive(national, new Set([2025, 2026]));

  it('isWorkingDay matches the oracle on every day of 2025–2026', () => {
    for (let d = toNum('2025-01-01'); d <= toNum('2026-12-31'); d++) assert.strictEqual(official.isWorkingDay(toStr(d)), naive.isWorkingDay(toStr(d)), toStr(d));
  });

  it('addWorkingDays matches the oracle (2025–2026, n 0..60; past 2026 both refuse)', () => {
    fc.assert(fc.property(day2526, fc.integer({ min: 0, max: 60 }), (d, n) => same(() => official.addWorkingDays(d, n), () => naive.addWorkingDays(d, n))), runs);
  });

  it('workingDaysBetween matches the oracle, in both directions', () => {
    fc.assert(fc.property(day2526, day2526, (a, b) => same(() => official.workingDaysBetween(a, b), () => naive.workingDaysBetween(a, b))), runs);
  });

  it('is an inverse pair: workingDaysBetween(d, addWorkingDays(d, n)) = n', () => {
    fc.assert(
      fc.property(dayIn('2025-01-01', '2026-09-30'), fc.integer({ min: 0, max: 60 }), (d, n) => {
        assert.strictEqual(official.workingDaysBetween(d, official.addWorkingDays(d, n)), n);
      }),
      runs,
    );
  });

  it('addWorkingDays(from, workingDaysBetween(from, to)) is the last working day up to `to` (or from itself)', () => {
    fc.assert(
      fc.property(day2526, day2526, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const k = official.workingDaysBetween(from, to);
        const end = official.addWorkingDays(from, k);
        assert.ok(end <= to);
        if (k > 0) assert.strictEqual(official.isWorkingDay(end), true);
        // nothing between end and to is a working day
        assert.strictEqual(official.workingDaysBetween(end, to), 0);
      }),
      runs,
    );
  });

  it('is antisymmetric and additive: between(a,b) = −between(b,a); between(a,c) = between(a,b) + between(b,c)', () => {
    fc.assert(
      fc.property(day2526, day2526, day2526, (a, b, c) => {
        assert.strictEqual(official.workingDaysBetween(a, b), 0 - official.workingDaysBetween(b, a));
        assert.strictEqual(official.workingDaysBetween(a, c), official.workingDaysBetween(a, b) + official.workingDaysBetween(b, c));
      }),
      runs,
    );
  });

  it('matches the oracle on random calendars with unpublished years in between and random exceptions', () => {
    const rows = fc.uniqueArray(fc.record({ day: dayIn('2023-12-01', '2029-01-31'), kind: fc.constantFrom('holiday' as const, 'workday' as const) }), { selector: (r) => r.day, maxLength: 120 });
    const years = fc.subarray([2024, 2025, 2026, 2027, 2028], { minLength: 0 });
    fc.assert(
      fc.property(rows, years, dayIn('2023-12-20', '2029-01-10'), dayIn('2023-12-20', '2029-01-10'), fc.integer({ min: 0, max: 300 }), (rs, ys, a, b, n) => {
        const rowsIn = rs.map((r) => ({ regionCode: '', name: 'x', ...r }));
        const cal = new WorkingCalendar(rowsIn, ys);
        const oracle = new Naive(rowsIn, new Set(ys));
        same(() => cal.addWorkingDays(a, n), () => oracle.addWorkingDays(a, n));
        same(() => cal.workingDaysBetween(a, b), () => oracle.workingDaysBetween(a, b));
        same(() => cal.isWorkingDay(a), () => oracle.isWorkingDay(a));
        assert.deepStrictEqual(cal.coveredYears(), [...ys].sort());
      }),
      { numRuns: 500 },
    );
  });
});

describe('working-day calendar: the law and the 2026 notice', () => {
  it('a case accepted on 2026-09-30 with 20 working days: National Day off, Saturday 10/10 worked, due 2026-11-03', () => {
    // 10/1–7 off; day 1 = Thu 10/8, 2 = Fri 10/9, 3 = Sat 10/10 (调休上班), 4 = Mon 10/12 … 20 = Tue 11/3
    assert.strictEqual(official.addWorkingDays('2026-09-30', 1), '2026-10-08');
    assert.strictEqual(official.addWorkingDays('2026-09-30', 3), '2026-10-10');
    assert.strictEqual(official.addWorkingDays('2026-09-30', 4), '2026-10-12');
    assert.strictEqual(official.addWorkingDays('2026-09-30', 20), '2026-11-03');
    assert.strictEqual(official.workingDaysBetween('2026-09-30', '2026-11-03'), 20);
    // the period ends at the end of its last working day, Beijing time
    assert.strictEqual(official.dueAt(Date.parse('2026-09-30T10:15:00+08:00'), 20), Date.parse('2026-11-03T23:59:59.999+08:00'));
  });

  it('a case accepted on Friday 2026-02-13: Saturday 2/14 is day 1, the Spring Festival 2/15–23 is not counted', () => {
    assert.strictEqual(official.isWorkingDay('2026-02-14'), true);
    for (let d = toNum('2026-02-15'); d <= toNum('2026-02-23'); d++) assert.strictEqual(official.isWorkingDay(toStr(d)), false, toStr(d));
    assert.strictEqual(official.addWorkingDays('2026-02-13', 1), '2026-02-14');
    assert.strictEqual(official.addWorkingDays('2026-02-13', 2), '2026-02-24');
    assert.strictEqual(official.addWorkingDays('2026-02-13', 6), '2026-02-28'); // Saturday 2/28 is worked too
    assert.strictEqual(official.addWorkingDays('2026-02-13', 7), '2026-03-02');
    assert.strictEqual(official.addWorkingDays('2026-02-13', 20), '2026-03-19');
  });

  it('has every make-up working day of 2026 and the days off the notice lists', () => {
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) assert.strictEqual(official.isWorkingDay(d), true, d);
    for (const d of ['2026-01-01', '2026-01-02', '2026-04-06', '2026-05-04', '2026-05-05', '2026-06-19', '2026-09-25', '2026-10-07']) assert.strictEqual(official.isWorkingDay(d), false, d);
    assert.strictEqual(official.isWorkingDay('2026-10-08'), true);
  });

  it('2025: 春节 1/28–2/4 with 1/26 and 2/8 worked; 国庆+中秋 10/1–8 with 9/28 and 10/11 worked', () => {
    for (const d of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']) assert.strictEqual(official.isWorkingDay(d), true, d);
    for (const d of ['2025-01-01', '2025-01-28', '2025-02-04', '2025-04-04', '2025-05-05', '2025-06-02', '2025-10-08']) assert.strictEqual(official.isWorkingDay(d), false, d);
    assert.strictEqual(official.workingDaysBetween('2024-12-31', '2025-12-31'), 248); // 261 weekdays − 18 weekday holidays + 5 make-up days
    assert.strictEqual(official.workingDaysBetween('2025-12-31', '2026-12-31'), 248); // 261 − 19 + 6
  });

  it('refuses a deadline that runs into 2027, which nobody has published: a CONFLICT naming the year', () => {
    throws(
      () => official.addWorkingDays('2026-12-15', 20),
      (err: unknown) => err instanceof CalendarGapError && err instanceof AppError && err.code === 'CONFLICT' && err.year === 2027 && /no published data for 2027/.test(err.message),
    );
    assert.throws(() => official.isWorkingDay('2027-01-04'), CalendarGapError);
    assert.throws(() => official.workingDaysBetween('2026-12-30', '2027-01-05'), CalendarGapError);
    throws(() => official.addWorkingDays('2024-12-30', 1), (err: unknown) => err instanceof CalendarGapError && err.year === 2024);
    // 12/31 of an unpublished year may start a period: only the days after it are counted
    assert.strictEqual(official.addWorkingDays('2024-12-31', 1), '2025-01-02');
    assert.strictEqual(official.addWorkingDays('2026-12-31', 0), '2026-12-31');
    assert.strictEqual(official.addWorkingDays('2026-12-30', 1), '2026-12-31');
  });

  it('a calendar with no published year refuses everything but a zero-day period', () => {
    const empty = new WorkingCalendar([], []);
    assert.deepStrictEqual(empty.coveredYears(), []);
    assert.throws(() => empty.addWorkingDays('2026-01-05', 1), CalendarGapError);
    assert.strictEqual(empty.addWorkingDays('2026-01-05', 0), '2026-01-05');
  });

  it('a provincial overlay adds a local festival on top of the national calendar', () => {
    const overlay: CalendarDayRow[] = [{ regionCode: 'JN', day: '2026-10-09', kind: 'holiday', name: '江南省民族节（示例）' }];
    const jn = new WorkingCalendar([...national, ...overlay], [2025, 2026]);
    assert.strictEqual(jn.isWorkingDay('2026-10-09'), false);
    assert.strictEqual(official.isWorkingDay('2026-10-09'), true);
    assert.strictEqual(jn.addWorkingDays('2026-09-30', 20), '2026-11-04');
    assert.strictEqual(jn.exceptionOn('2026-10-09')?.name, '江南省民族节（示例）');
    // the overlay wins over a national row for the same day
    const over = new WorkingCalendar([...national, { regionCode: 'JN', day: '2026-10-10', kind: 'holiday', name: '本省调整' }], [2026]);
    assert.strictEqual(over.isWorkingDay('2026-10-10'), false);
  });

  it('accepts exactly the real dates: isCivilDate agrees with a Date round trip', () => {
    const pad = (v: number, w: number) => String(v).padStart(w, '0');
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        const t = Date.parse(`${s}T00:00:00Z`);
        assert.strictEqual(isCivilDate(s), !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s, s);
      }),
      runs,
    );
  });

  it('rejects malformed dates and negative periods', () => {
    assert.strictEqual(isCivilDate('2026-02-29'), false);
    assert.strictEqual(isCivilDate('2024-02-29'), true);
    assert.strictEqual(isCivilDate('2026-13-01'), false);
    assert.strictEqual(isCivilDate('2026-1-01'), false);
    assert.strictEqual(isCivilDate('2026-01-0a'), false);
    assert.strictEqual(isCivilDate(' 2026-01-01'), false);
    throws(() => official.isWorkingDay('2026-02-30'), (err: unknown) => err instanceof AppError && err.code === 'BAD_REQUEST');
    assert.throws(() => official.addWorkingDays('2026-03-02', -1), RangeError);
    assert.throws(() => official.addWorkingDays('2026-03-02', 1.5), RangeError);
  });
});

describe('Beijing civil dates', () => {
  it('the date in China changes at 16:00 UTC', () => {
    assert.strictEqual(beijingDate(Date.parse('2026-09-30T15:59:59.999Z')), '2026-09-30');
    assert.strictEqual(beijingDate(Date.parse('2026-09-30T16:00:00.000Z')), '2026-10-01');
  });
  it('a day runs from 00:00 to 23:59:59.999 +08:00', () => {
    assert.strictEqual(startOfBeijingDay('2026-11-03'), Date.parse('2026-11-03T00:00:00+08:00'));
    assert.strictEqual(endOfBeijingDay('2026-11-03'), Date.parse('2026-11-03T23:59:59.999+08:00'));
  });
  it('round-trips: every instant of a day maps back to that day', () => {
    fc.assert(
      fc.property(day2526, fc.integer({ min: 0, max: DAY - 1 }), (d, offset) => {
        assert.strictEqual(beijingDate(startOfBeijingDay(d) + offset), d);
        assert.strictEqual(beijingDate(endOfBeijingDay(d)), d);
        assert.strictEqual(beijingDate(endOfBeijingDay(d) + 1), toStr(toNum(d) + 1));
      }),
    );
  });
});
