/**
 * Pausing and resuming the decision clock inside a caller's transaction: a special procedure started
 * from the clock itself (deadlines/service.ts) and a case suspended for one (case-control/) write the
 * same rows, so the due date moves by exactly the working days paused whichever way it was stopped.
 */
import type { Ctx } from '../../context.ts';
import type { Trx } from '../../db/knex.ts';
import { appendEvent } from '../cases/timeline.ts';
import { beijingDate, calendarFor } from '../calendar/index.ts';
import { planClock } from './clock-math.ts';
import { decisionClockId, mirrorOnTask, promiseClockId } from './commands.ts';

export interface ClockRow {
  id: string;
  state: string;
  region_code: string;
  started_on: string;
  limit_days: number;
  paused_days: number;
  extended_days: number;
  paused_on: string | null;
  user_task_key: string | null;
}

export async function decisionClockOf(trx: Trx | Ctx['db'], caseId: string): Promise<ClockRow | undefined> {
  return trx('clocks').where({ id: decisionClockId(caseId) }).first<ClockRow>();
}

export async function replanIn(ctx: Ctx, trx: Trx | Ctx['db'], c: ClockRow, changes: { paused_days?: number; extended_days?: number }) {
  const cal = await calendarFor(trx, String(c.region_code));
  const plan = planClock(cal, { startedOn: String(c.started_on), limitDays: Number(c.limit_days), pausedDays: changes.paused_days ?? Number(c.paused_days), extendedDays: changes.extended_days ?? Number(c.extended_days) }, ctx.config.WARNING_THRESHOLD_DAYS);
  return { due_on: plan.dueOn, due_at: plan.dueAt, warn_at: plan.warnAt, provisional: plan.provisional, next_check_at: Math.min(plan.warnAt, plan.dueAt) };
}

/** False when there was no running clock to pause (nothing written). */
export async function pauseDecisionClock(trx: Trx, caseId: string, p: { actor: string; reason: string; expectedDays: number | null; procedure?: string | null; at: number }): Promise<boolean> {
  const c = await decisionClockOf(trx, caseId);
  if (!c || c.state !== 'running') return false;
  const changed = await trx('clocks').where({ id: c.id, state: 'running' }).update({ state: 'paused', paused_on: beijingDate(p.at), next_check_at: null, updated_at: p.at });
  if (changed === 0) return false;
  // time in a special procedure is not counted against the promise (承诺时限) either
  await trx('clocks').where({ id: promiseClockId(caseId), state: 'running' }).update({ state: 'paused', paused_on: beijingDate(p.at), next_check_at: null, updated_at: p.at });
  await trx('clock_events').insert({ clock_id: c.id, type: 'pause', actor: p.actor, reason: p.reason, days: p.expectedDays, at: p.at });
  await appendEvent(trx, { caseId, type: 'clock.paused', actor: p.actor, data: { reason: p.reason, expectedDays: p.expectedDays, ...(p.procedure ? { procedure: p.procedure } : {}) }, at: p.at });
  return true;
}

/** Moves the due date by the working days spent paused. False when the clock was not paused. */
export async function resumeDecisionClock(ctx: Ctx, trx: Trx, caseId: string, p: { actor: string; at: number }): Promise<boolean> {
  const c = await decisionClockOf(trx, caseId);
  if (!c || c.state !== 'paused') return false;
  const cal = await calendarFor(trx, String(c.region_code));
  const spent = Math.max(0, cal.workingDaysBetween(String(c.paused_on), beijingDate(p.at)));
  const pausedDays = Number(c.paused_days) + spent;
  const plan = await replanIn(ctx, trx, c, { paused_days: pausedDays });
  const changed = await trx('clocks').where({ id: c.id, state: 'paused' }).update({ ...plan, state: 'running', paused_on: null, paused_days: pausedDays, updated_at: p.at });
  if (changed === 0) return false;
  await mirrorOnTask(trx, c.user_task_key, { due_at: plan.due_at, due_on: plan.due_on, due_provisional: plan.provisional });
  const promise = await trx('clocks').where({ id: promiseClockId(caseId), state: 'paused' }).first<ClockRow>();
  if (promise) {
    const promiseDays = Number(promise.paused_days) + Math.max(0, cal.workingDaysBetween(String(promise.paused_on), beijingDate(p.at)));
    const promisePlan = await replanIn(ctx, trx, promise, { paused_days: promiseDays });
    await trx('clocks').where({ id: promise.id, state: 'paused' }).update({ ...promisePlan, state: 'running', paused_on: null, paused_days: promiseDays, updated_at: p.at });
  }
  await trx('clock_events').insert({ clock_id: c.id, type: 'resume', actor: p.actor, days: spent, at: p.at });
  await appendEvent(trx, { caseId, type: 'clock.resumed', actor: p.actor, data: { workingDaysPaused: spent, dueOn: plan.due_on, provisional: plan.provisional }, at: p.at });
  return true;
}
