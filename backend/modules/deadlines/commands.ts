/**
 * Starting and stopping legal clocks, inside the transaction that records what started or ended
 * them (a task created or decided, an application accepted), so a crash can neither lose a clock nor
 * leave one running for a closed step.
 */
import type { Ctx } from '../../context.ts';
import type { Trx } from '../../db/knex.ts';
import { AppError } from '../../errors.ts';
import { appendEvent } from '../cases/timeline.ts';
import { copyToCandidates } from '../tasks/commands.ts';
import { beijingDate, calendarFor } from '../calendar/index.ts';
import { planClock, type ClockPlan, type Level } from './clock-math.ts';

/** decision: the statutory limit (法定时限) · promise: the agency's promised limit (承诺时限) · step: one step's own */
export type ClockKind = 'decision' | 'promise' | 'step';

export interface ClockStart {
  id: string;
  kind: ClockKind;
  caseId: string;
  userTaskKey: string | null;
  regionCode: string;
  limitDays: number;
  at: number;
}

/** A clock worked out on the calendar but not yet written. */
export interface PlannedClock extends ClockStart {
  startedOn: string;
  plan: ClockPlan;
}

export async function startClock(ctx: Ctx, trx: Trx, s: ClockStart): Promise<void> {
  if (await trx('clocks').where({ id: s.id }).first('id')) return; // redelivered: already running
  const planned = await planClockStart(ctx, trx, s);
  if (!planned) return;
  await insertClock(trx, planned);
  await mirrorOnTask(trx, s.userTaskKey, { due_at: planned.plan.dueAt, due_on: planned.plan.dueOn, due_provisional: planned.plan.provisional, level: 'none' });
}

/**
 * The clock `s` would start. Split from writing it so the engine ingest can write a new step's task
 * row with its deadline already on it. Null when the calendar does not reach the end of the period.
 */
export async function planClockStart(ctx: Ctx, trx: Trx, s: ClockStart): Promise<PlannedClock | null> {
  const startedOn = beijingDate(s.at);
  try {
    return { ...s, startedOn, plan: planClock(await calendarFor(trx, s.regionCode), { startedOn, limitDays: s.limitDays, pausedDays: 0, extendedDays: 0 }, ctx.config.WARNING_THRESHOLD_DAYS) };
  } catch (err) {
    // Only a period reaching past the provisional years gets here. It must not stop the engine
    // feed: the gap is put on the case's timeline for an administrator.
    if (!(err instanceof AppError)) throw err;
    await appendEvent(trx, { caseId: s.caseId, type: 'clock.unplanned', userTaskKey: s.userTaskKey, data: { clock: s.id, reason: err.message }, at: s.at });
    ctx.log.warn({ caseId: s.caseId, clock: s.id, reason: err.message }, 'legal clock not started: calendar gap');
    return null;
  }
}

export async function insertClock(trx: Trx, c: PlannedClock): Promise<void> {
  await trx('clocks').insert({
    id: c.id,
    kind: c.kind,
    case_id: c.caseId,
    user_task_key: c.userTaskKey,
    region_code: c.regionCode,
    limit_days: c.limitDays,
    started_on: c.startedOn,
    due_on: c.plan.dueOn,
    due_at: c.plan.dueAt,
    warn_at: c.plan.warnAt,
    state: 'running',
    paused_days: 0,
    extended_days: 0,
    level: 'none',
    provisional: c.plan.provisional,
    next_check_at: Math.min(c.plan.warnAt, c.plan.dueAt),
    updated_at: c.at,
  });
  if (c.kind === 'decision') await appendEvent(trx, { caseId: c.caseId, type: 'clock.started', data: { limitDays: c.limitDays, dueOn: c.plan.dueOn, provisional: c.plan.provisional }, at: c.at });
}

/**
 * A step clock's due date and level, copied onto its task row so the clerk's queue filters and
 * sorts by them off an index (migration 0007). Every write that moves a step clock's dates or level
 * calls this in the same transaction; a decision clock (no task) is left alone.
 */
export async function mirrorOnTask(trx: Trx, userTaskKey: string | null | undefined, fields: { due_at?: number; due_on?: string; due_provisional?: boolean; level?: Level }): Promise<void> {
  if (!userTaskKey) return;
  await trx('tasks').where({ user_task_key: userTaskKey }).update(fields);
  await copyToCandidates(trx, userTaskKey, { due_at: fields.due_at, level: fields.level });
}

export async function stopClock(trx: Trx, id: string, at: number): Promise<void> {
  await trx('clocks').where({ id }).whereNot({ state: 'stopped' }).update({ state: 'stopped', next_check_at: null, updated_at: at });
}

export const decisionClockId = (caseId: string) => `case:${caseId}`;
export const promiseClockId = (caseId: string) => `promise:${caseId}`;
export const stepClockId = (userTaskKey: string) => `task:${userTaskKey}`;
