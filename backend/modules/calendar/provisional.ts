/**
 * The provisional calendar of a year the State Council has not published yet: weekends off plus the
 * statutory holidays of 《全国年节及纪念日放假办法》 as revised in force since 2025-01-01 (art. 2) —
 * no make-up working days and no bridging days, since those are only known from the year's notice.
 * A deadline that rests on these days is shown as 暂定 and recomputed when the year is published.
 *
 * Lunar dates and the Qingming solar term come from tyme4ts (astronomical algorithms, maintained),
 * checked against the published 2025 and 2026 notices in test/unit/provisional-calendar.test.ts.
 */
import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';

export interface StatutoryHoliday {
  /** 'YYYY-MM-DD' */
  day: string;
  name: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const civil = (d: SolarDay) => `${d.getYear()}-${pad(d.getMonth())}-${pad(d.getDay())}`;

/** The days off the statute itself fixes for a Gregorian year, ascending. */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const out: StatutoryHoliday[] = [];
  const fixed = (m: number, d: number, name: string) => out.push({ day: `${year}-${pad(m)}-${pad(d)}`, name });
  fixed(1, 1, '元旦（暂定）');
  // 春节: lunar New Year's Eve and the 1st–3rd of the first month. The festival that starts in this
  // Gregorian year is the one whose 正月初一 falls in it (always late January to mid-February).
  const newYear = LunarDay.fromYmd(year, 1, 1);
  for (let k = -1; k <= 2; k++) out.push({ day: civil(newYear.next(k).getSolarDay()), name: '春节（暂定）' });
  out.push({ day: civil(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay()), name: '清明节（暂定）' });
  fixed(5, 1, '劳动节（暂定）');
  fixed(5, 2, '劳动节（暂定）');
  out.push({ day: civil(LunarDay.fromYmd(year, 5, 5).getSolarDay()), name: '端午节（暂定）' });
  out.push({ day: civil(LunarDay.fromYmd(year, 8, 15).getSolarDay()), name: '中秋节（暂定）' });
  for (const d of [1, 2, 3]) fixed(10, d, '国庆节（暂定）');
  // 正月初一 falls between Jan 21 and Feb 20, so every day above lies in `year`; the filter only guards
  return out.filter((h) => h.day.startsWith(`${year}-`)).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
