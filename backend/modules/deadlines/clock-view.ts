/**
 * Where a case's legal clocks stand, in working days: for the clock endpoint and the case page.
 * Kept apart from the deadline commands so the case module can show the summary without a cycle.
 */
import type { Ctx } from '../../context.ts';
import { beijingDate, calendarFor } from '../calendar/index.ts';
import { decisionClockId } from './commands.ts';

export async function clockView(ctx: Ctx, caseId: string) {
  const rows = await ctx.db('clocks').where({ case_id: caseId }).orderBy('id');
  const now = ctx.clock.now();
  return {
    clocks: await Promise.all(
      rows.map(async (c) => {
        let remaining: number | null;
        try {
          // today counts while it is a working day that has not ended
          const cal = await calendarFor(ctx.db, String(c.region_code));
          const today = beijingDate(now);
          remaining = cal.workingDaysBetween(today, String(c.due_on)) + (cal.isWorkingDay(today) ? 1 : 0);
        } catch {
          remaining = null; // a date outside the published calendar: unknown, not guessed
        }
        return { id: c.id, kind: c.kind, userTaskKey: c.user_task_key, limitDays: Number(c.limit_days), startedOn: c.started_on, dueOn: c.due_on, state: c.state, level: c.level, pausedDays: Number(c.paused_days), extendedDays: Number(c.extended_days), workingDaysLeft: remaining };
      }),
    ),
  };
}

/** The decision clock in brief (the case page header); null before the application is accepted. */
export async function decisionClockSummary(ctx: Ctx, caseId: string) {
  const d = (await clockView(ctx, caseId)).clocks.find((c) => c.id === decisionClockId(caseId));
  return d ? { dueOn: String(d.dueOn), level: String(d.level), state: String(d.state), workingDaysLeft: d.workingDaysLeft } : null;
}
