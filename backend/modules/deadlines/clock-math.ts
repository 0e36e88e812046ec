/**
 * Where a legal clock stands, from the working-day calendar. By 行政许可法 the starting day is not
 * counted and the period ends at the end of its last working day. Paused working days (special
 * procedures) and an extension push the due day by exactly that many working days.
 */
import { endOfBeijingDay, type WorkingCalendar } from '../calendar/index.ts';

export interface ClockPlan {
  dueOn: string;
  dueAt: number;
  /** from here on at most `threshold` working days remain */
  warnAt: number;
  /** the due day rests on days of a year not yet published: shown as 暂定 until that year is */
  provisional: boolean;
}

export function planClock(cal: WorkingCalendar, c: { startedOn: string; limitDays: number; pausedDays: number; extendedDays: number }, threshold: number): ClockPlan {
  const total = c.limitDays + c.pausedDays + c.extendedDays;
  const dueOn = cal.addWorkingDays(c.startedOn, total);
  const provisional = cal.touchesProvisional(c.startedOn, dueOn);
  // once the (total - threshold)-th working day is over, `threshold` working days are left
  if (total - threshold <= 0) return { dueOn, dueAt: endOfBeijingDay(dueOn), warnAt: 0, provisional };
  const warnAfter = cal.addWorkingDays(c.startedOn, total - threshold);
  return { dueOn, dueAt: endOfBeijingDay(dueOn), warnAt: endOfBeijingDay(warnAfter) + 1, provisional };
}

export type Level = 'none' | 'warning' | 'yellow' | 'red';
export const LEVEL_ORDER: Record<Level, number> = { none: 0, warning: 1, yellow: 2, red: 3 };

/** The level a running clock has reached at `now` (red comes only from supervision orders). */
export function levelAt(plan: { dueAt: number; warnAt: number }, now: number): Level {
  if (now > plan.dueAt) return 'yellow';
  if (now >= plan.warnAt) return 'warning';
  return 'none';
}
