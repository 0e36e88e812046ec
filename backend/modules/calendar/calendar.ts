/**
 * The working-day calendar as a pure value: built from the exception rows (days off, make-up working
 * days) and the list of published years, it answers every deadline question without touching the
 * database.
 *
 * Counting (行政许可法, see shared/domain.md): the day a period starts on is not counted; day 1 is the
 * next working day; a period of n working days ends at the end of its n-th working day.
 *
 * A year is either published (its stored rows are the State Council's notice), provisional (not
 * published yet: weekends plus the statutory holidays, see provisional.ts; rows stored for it are a
 * draft and ignored until it is published) or a gap. A question that needs a day of a gap year is
 * refused with CalendarGapError — never answered from weekends alone; `touchesProvisional` tells
 * whether an answer rests on provisional days, so it can be shown as 暂定.
 *
 * Speed: for the span of published years the constructor precomputes a prefix count of working days
 * per day and the sorted array of working-day numbers, so `isWorkingDay`, `workingDaysBetween` and
 * `addWorkingDays` are O(1) (plus a check per calendar year the answer spans), never day-by-day loops.
 */
import { AppError } from '../../errors.ts';
import { statutoryHolidays } from './provisional.ts';

export type DayKind = 'holiday' | 'workday';

export interface CalendarDayRow {
  /** '' national, 'JN' a provincial overlay */
  regionCode: string;
  /** 'YYYY-MM-DD' */
  day: string;
  /** holiday: a statutory day off · workday: a make-up working day (调休上班) on a weekend */
  kind: DayKind;
  name: string;
}

/** Thrown when an answer needs a day of a year that has no published calendar. A 409 over HTTP. */
export class CalendarGapError extends AppError {
  override name = 'CalendarGapError';
  constructor(readonly year: number) {
    super('CONFLICT', `the working-day calendar has no published data for ${year}: an administrator must enter that year's holidays and make-up working days and publish the year`);
  }
}

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Digits at s[i..i+len) as a number, or -1 if any is not a digit (no regex: this is on the hot path). */
function digits(s: string, i: number, len: number): number {
  let v = 0;
  for (let k = i; k < i + len; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** 'YYYY-MM-DD' → day number, or NaN unless it is a real calendar date (2026-02-30 is not). */
function parseDay(s: string): number {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > (m === 2 && isLeap(y) ? 29 : (MONTH_DAYS[m - 1] ?? 0))) return NaN;
  return daysFromCivil(y, m, d);
}

/** True for a real calendar date written 'YYYY-MM-DD' (2026-02-30 is not one). */
export function isCivilDate(s: string): boolean {
  return !Number.isNaN(parseDay(s));
}

/** 'YYYY-MM-DD' → day number (days since 1970-01-01). */
export function dayNumber(s: string): number {
  const n = parseDay(s);
  if (Number.isNaN(n)) throw new AppError('BAD_REQUEST', `${JSON.stringify(s)} is not a date written YYYY-MM-DD`);
  return n;
}

/** day number → 'YYYY-MM-DD' */
export const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekday = (n: number): number => (((n + 4) % 7) + 7) % 7;
export const isWeekend = (n: number): boolean => {
  const w = weekday(n);
  return w === 0 || w === 6;
};

/** The year of a day number (H. Hinnant's civil_from_days, year only): integer arithmetic, no Date. */
function yearOf(n: number): number {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

/**
 * The civil date in China (Asia/Shanghai) at an instant. China has kept UTC+8 without daylight
 * saving since 1991, so a fixed offset is exact for every date this system handles.
 */
export function beijingDate(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Epoch ms of the first instant (00:00:00.000 +08:00) of a civil date in China. */
export function startOfBeijingDay(day: string): number {
  return dayNumber(day) * DAY_MS - BEIJING_OFFSET_MS;
}

/** Epoch ms of the last instant (23:59:59.999 +08:00) of a civil date in China: when a period ends. */
export function endOfBeijingDay(day: string): number {
  return startOfBeijingDay(day) + DAY_MS - 1;
}

export class WorkingCalendar {
  /** published and provisional: the years questions may touch */
  private readonly years: ReadonlySet<number>;
  private readonly provisional: ReadonlySet<number>;
  private readonly sortedYears: number[];
  /** first and last day number of the precomputed span (Jan 1 of the first, Dec 31 of the last published year) */
  private readonly first: number;
  private readonly last: number;
  /** cum[i] = working days among the span's first i days: working days in (a, b] = cum[b-first+1] - cum[a-first+1] */
  private readonly cum: Int32Array;
  /** day numbers of the span's working days, ascending */
  private readonly work: Int32Array;
  /** 'YYYY-MM-DD' of each day of the span, so answers are not formatted on every call */
  private readonly labels: string[];
  private readonly exceptions: ReadonlyMap<string, CalendarDayRow>;

  /**
   * @param rows exception rows, national first; a later row for the same day replaces an earlier one
   *   (so pass the national rows, then the province's overlay)
   * @param publishedYears the years whose calendar is complete
   * @param provisionalYears years counted on the provisional calendar (a published year listed here
   *   stays published); any year in neither list is a gap
   */
  constructor(rows: Iterable<CalendarDayRow>, publishedYears: Iterable<number>, provisionalYears: Iterable<number> = []) {
    const published = new Set(publishedYears);
    const provisional = new Set([...provisionalYears].filter((y) => !published.has(y)));
    const exceptions = new Map<string, CalendarDayRow>();
    for (const r of rows) {
      dayNumber(r.day); // rejects a malformed row early
      if (!provisional.has(Number(r.day.slice(0, 4)))) exceptions.set(r.day, r);
    }
    for (const y of provisional) for (const h of statutoryHolidays(y)) exceptions.set(h.day, { regionCode: '', day: h.day, kind: 'holiday', name: h.name });
    this.exceptions = exceptions;
    this.provisional = provisional;
    this.sortedYears = [...new Set([...published, ...provisional])].sort((a, b) => a - b);
    this.years = new Set(this.sortedYears);

    const lo = this.sortedYears[0];
    const hi = this.sortedYears[this.sortedYears.length - 1];
    if (lo === undefined || hi === undefined) {
      this.first = 0;
      this.last = -1;
      this.cum = new Int32Array(1);
      this.work = new Int32Array(0);
      this.labels = [];
      return;
    }
    this.first = daysFromCivil(lo, 1, 1);
    this.last = daysFromCivil(hi, 12, 31);
    const span = this.last - this.first + 1;
    const kindByDay = new Int8Array(span); // 0 = follow the week, 1 = holiday, 2 = make-up workday
    for (const r of exceptions.values()) {
      const i = dayNumber(r.day) - this.first;
      if (i >= 0 && i < span) kindByDay[i] = r.kind === 'holiday' ? 1 : 2;
    }
    this.cum = new Int32Array(span + 1);
    this.labels = new Array<string>(span);
    const work: number[] = [];
    for (let i = 0; i < span; i++) {
      const n = this.first + i;
      const k = kindByDay[i];
      // days of an unpublished year inside the span count as non-working; every question touching
      // them is refused anyway (see requireYears)
      this.labels[i] = dayString(n);
      const working = this.years.has(yearOf(n)) && (k === 2 || (k === 0 && !isWeekend(n)));
      if (working) work.push(n);
      this.cum[i + 1] = (this.cum[i] ?? 0) + (working ? 1 : 0);
    }
    this.work = Int32Array.from(work);
  }

  /** The years this calendar can answer for (published and provisional), ascending. */
  coveredYears(): number[] {
    return [...this.sortedYears];
  }

  /** The years counted on the provisional calendar, ascending. */
  provisionalYears(): number[] {
    return this.sortedYears.filter((y) => this.provisional.has(y));
  }

  /**
   * True when a day d with from < d ≤ to lies in a provisional year: a period from `from` to `to`
   * was counted (partly) on provisional days, so its end is 暂定.
   */
  touchesProvisional(from: string, to: string): boolean {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (b <= a || this.provisional.size === 0) return false;
    for (let y = yearOf(a + 1); y <= yearOf(b); y++) if (this.provisional.has(y)) return true;
    return false;
  }

  /** The stored exception for a day (its kind and name), if any. */
  exceptionOn(day: string): CalendarDayRow | undefined {
    return this.exceptions.get(day);
  }

  /** Throws CalendarGapError for the first unpublished year among the years of day numbers a..b. */
  private requireYears(a: number, b: number): void {
    const ya = yearOf(a);
    const yb = yearOf(b);
    for (let y = ya; y <= yb; y++) if (!this.years.has(y)) throw new CalendarGapError(y);
  }

  /** working days d with a < d ≤ b, for day numbers a ≤ b whose (a, b] lies inside the span */
  private countIn(a: number, b: number): number {
    return (this.cum[b - this.first + 1] ?? 0) - (this.cum[a - this.first + 1] ?? 0);
  }

  isWorkingDay(day: string): boolean {
    const n = dayNumber(day);
    this.requireYears(n, n);
    return this.countIn(n - 1, n) === 1;
  }

  /**
   * The date of the n-th working day after `from` (from itself not counted): the last day of a
   * period of n working days starting on `from`. n = 0 returns `from` unchanged. Only the days after
   * `from` are consulted, so `from` may be the last day of an unpublished year.
   */
  addWorkingDays(from: string, n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`addWorkingDays needs a whole number of working days ≥ 0, got ${n}`);
    const f = dayNumber(from);
    if (n === 0) return from;
    this.requireYears(f + 1, f + 1);
    const index = (this.cum[f - this.first + 1] ?? 0) + n - 1;
    const target = this.work[index];
    if (target === undefined) {
      // past the last published year — unless an unpublished year in between stops it first
      this.requireYears(f + 1, this.last);
      throw new CalendarGapError(yearOf(this.last) + 1);
    }
    this.requireYears(f + 1, target);
    return this.labels[target - this.first] ?? dayString(target);
  }

  /**
   * Working days d with from < d ≤ to: how many working days of a period starting on `from` have
   * passed once `to` has ended. Antisymmetric: if to < from the answer is −(working days d with
   * to < d ≤ from); 0 when they are equal. So workingDaysBetween(d, addWorkingDays(d, n)) = n.
   */
  workingDaysBetween(from: string, to: string): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (a === b) return 0;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    this.requireYears(lo + 1, hi);
    const count = this.countIn(lo, hi);
    return a < b ? count : 0 - count; // never −0
  }

  /**
   * When a period of n working days that starts at the instant `startMs` ends: the end (23:59:59.999
   * Beijing time) of the n-th working day after the Beijing date of `startMs`.
   */
  dueAt(startMs: number, n: number): number {
    return endOfBeijingDay(this.addWorkingDays(beijingDate(startMs), n));
  }
}
