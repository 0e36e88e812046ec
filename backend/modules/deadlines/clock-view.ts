/**
 * Where a case's legal clocks stand, in working days: for the clock endpoint and the case page.
 * Kept apart from the deadline commands so the case module can show the summary without a cycle.
 */
import type { Ctx } from '../../context.ts';
import { beijingDate, calendarFor, type WorkingCalendar } from '../calendar/index.ts';
import { decisionClockId, promiseClockId, stepClockId } from './commands.ts';

/**
 * Working days left of a period, as a clerk reads it: on the day the period starts the full limit
 * (that day is not counted, 行政许可法); on a later working day, that day too while it has not ended;
 * past the due day, minus the working days overdue. A paused clock stands where it stopped, and a
 * stopped one has none left to show (null).
 */
export function workingDaysLeft(cal: WorkingCalendar, c: { state: string; startedOn: string; dueOn: string; pausedOn: string | null }, today: string): number | null {
  if (c.state === 'stopped') return null;
  const asOf = c.state === 'paused' && c.pausedOn ? c.pausedOn : today;
  if (asOf > c.dueOn) return cal.workingDaysBetween(asOf, c.dueOn);
  const todayCounts = asOf > c.startedOn && cal.isWorkingDay(asOf);
  return cal.workingDaysBetween(asOf, c.dueOn) + (todayCounts ? 1 : 0);
}

export async function clockView(ctx: Ctx, caseId: string) {
  const rows = await ctx.db('clocks').where({ case_id: caseId }).orderBy('id');
  const today = beijingDate(ctx.clock.now());
  return {
    clocks: await Promise.all(
      rows.map(async (c) => {
        let remaining: number | null;
        try {
          const cal = await calendarFor(ctx.db, String(c.region_code));
          remaining = workingDaysLeft(cal, { state: String(c.state), startedOn: String(c.started_on), dueOn: String(c.due_on), pausedOn: c.paused_on ? String(c.paused_on) : null }, today);
        } catch {
          remaining = null; // a date outside the calendar's years: unknown, not guessed
        }
        return { id: c.id, kind: c.kind, userTaskKey: c.user_task_key, limitDays: Number(c.limit_days), startedOn: c.started_on, dueOn: c.due_on, provisional: Boolean(c.provisional), state: c.state, level: c.level, pausedDays: Number(c.paused_days), extendedDays: Number(c.extended_days), workingDaysLeft: remaining };
      }),
    ),
  };
}

type ClockRow = Awaited<ReturnType<typeof clockView>>['clocks'][number];
const brief = (d: ClockRow | undefined) => (d ? { dueOn: String(d.dueOn), provisional: d.provisional, level: String(d.level), state: String(d.state), workingDaysLeft: d.workingDaysLeft } : null);

/** The decision clock in brief (the case page header); null before the application is accepted. */
export async function decisionClockSummary(ctx: Ctx, caseId: string) {
  return brief((await clockView(ctx, caseId)).clocks.find((c) => c.id === decisionClockId(caseId)));
}

/** Both case clocks in brief: the statutory limit and the promise (null before acceptance). */
export async function caseClocksSummary(ctx: Ctx, caseId: string) {
  const { clocks } = await clockView(ctx, caseId);
  return { statutory: brief(clocks.find((c) => c.id === decisionClockId(caseId))), promise: brief(clocks.find((c) => c.id === promiseClockId(caseId))) };
}

/** Working days left on the step clocks of these tasks (the queue's column), read by the clocks' primary keys. */
export async function stepDaysLeft(ctx: Ctx, userTaskKeys: string[]): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  if (userTaskKeys.length === 0) return out;
  const rows = await ctx.db('clocks').whereIn('id', userTaskKeys.map(stepClockId)).select('user_task_key', 'region_code', 'state', 'started_on', 'due_on', 'paused_on');
  const today = beijingDate(ctx.clock.now());
  for (const c of rows) {
    try {
      const cal = await calendarFor(ctx.db, String(c.region_code));
      out.set(String(c.user_task_key), workingDaysLeft(cal, { state: String(c.state), startedOn: String(c.started_on), dueOn: String(c.due_on), pausedOn: c.paused_on ? String(c.paused_on) : null }, today));
    } catch {
      out.set(String(c.user_task_key), null); // outside the calendar's years: unknown, not guessed
    }
  }
  return out;
}
