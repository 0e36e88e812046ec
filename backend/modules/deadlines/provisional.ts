/**
 * The deadlines' side of the provisional calendar (issue 13): when the national year is published,
 * every clock counted on provisional days is recomputed in the publishing transaction, its holders
 * told if the date moved and the timeline given the old and new dates; and from 1 November, while
 * next year is still unpublished, administrators are alerted once and the board says so.
 */
import type { Ctx } from '../../context.ts';
import type { Db, Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import { appendEvent } from '../cases/timeline.ts';
import { beijingDate, loadCalendar, type DayChangeHook, type PublishHook, type WorkingCalendar } from '../calendar/index.ts';
import { planClock, type Level } from './clock-math.ts';
import { mirrorOnTask } from './commands.ts';
import { holdersOf, notify } from './notify.ts';

/** When the scheduler looks at the clock next, for the level it already reached. */
function nextCheck(state: string, level: Level, plan: { warnAt: number; dueAt: number }): number | null {
  if (state !== 'running') return null;
  if (level === 'none') return Math.min(plan.warnAt, plan.dueAt);
  if (level === 'warning') return plan.dueAt + 1;
  return null;
}

/** Whoever should hear that a clock moved: a step's holders; for the decision clock, the holders of the case's open steps. */
async function holdersOfClock(trx: Trx, c: { case_id: string; user_task_key: string | null }): Promise<string[]> {
  const q = trx('tasks').where({ state: 'open' }).select('assignee', 'candidate_groups');
  const tasks = await (c.user_task_key ? q.where({ user_task_key: c.user_task_key }) : q.where({ case_id: c.case_id }));
  const users = new Set<string>();
  for (const t of tasks as Array<{ assignee: string | null; candidate_groups: string }>) for (const u of await holdersOf(trx, t)) users.add(u);
  return [...users];
}

type ClockRow = Record<string, string>;

/**
 * Recomputes the given clocks from the calendar as it now stands in `trx`, records each move on the
 * timeline (with the old and new dates) and tells the holders when the date moved. `always` records
 * an unmoved clock too — publishing a year confirms every provisional date, a day's edit does not.
 */
async function recompute(ctx: Ctx, trx: Trx, rows: ClockRow[], at: number, cause: Record<string, unknown>, always: boolean): Promise<{ moved: number; events: DomainEvent[] }> {
  const calendars = new Map<string, Promise<WorkingCalendar>>();
  const events: DomainEvent[] = [];
  let moved = 0;
  for (const c of rows) {
    const region = String(c.region_code);
    if (!calendars.has(region)) calendars.set(region, loadCalendar(trx, region));
    const cal = await (calendars.get(region) as Promise<WorkingCalendar>);
    const plan = planClock(cal, { startedOn: String(c.started_on), limitDays: Number(c.limit_days), pausedDays: Number(c.paused_days), extendedDays: Number(c.extended_days) }, ctx.config.WARNING_THRESHOLD_DAYS);
    const oldDueOn = String(c.due_on);
    if (!always && plan.dueOn === oldDueOn && Boolean(plan.provisional) === Boolean(c.provisional)) continue;
    await trx('clocks')
      .where({ id: c.id })
      .update({ due_on: plan.dueOn, due_at: plan.dueAt, warn_at: plan.warnAt, provisional: plan.provisional, next_check_at: nextCheck(String(c.state), c.level as Level, plan), updated_at: at });
    await mirrorOnTask(trx, c.user_task_key, { due_at: plan.dueAt, due_on: plan.dueOn, due_provisional: plan.provisional });
    const data = { clock: c.kind, ...cause, oldDueOn, newDueOn: plan.dueOn, provisional: plan.provisional };
    await appendEvent(trx, { caseId: String(c.case_id), type: 'clock.recomputed', userTaskKey: c.user_task_key ?? null, data, at });
    if (plan.dueOn === oldDueOn) continue;
    moved++;
    const holders = await holdersOfClock(trx, { case_id: String(c.case_id), user_task_key: c.user_task_key ?? null });
    events.push(...(await notify(trx, holders, { kind: 'clock_recomputed', caseId: String(c.case_id), userTaskKey: c.user_task_key ?? null, data: { ...data, caseNo: c.case_no }, at })));
  }
  return { moved, events };
}

export function recomputeOnPublish(ctx: Ctx): PublishHook {
  return async (trx, { year, at }) => {
    const rows = (await trx('clocks').join('cases', 'cases.id', 'clocks.case_id').where('clocks.provisional', true).whereNot('clocks.state', 'stopped').orderBy('clocks.id').select('clocks.*', 'cases.case_no')) as ClockRow[];
    const { moved, events } = await recompute(ctx, trx, rows, at, { year }, true);
    ctx.log.info({ year, recomputed: rows.length, moved }, 'provisional clocks recomputed on publishing the calendar year');
    return { recomputed: rows.length, events };
  };
}

/**
 * A day of a published year changed (a province adds a local festival, an error is corrected): every
 * clock that counts across that day is recomputed in the same transaction — a running clock started
 * before the day and due on or after it, or a paused one started before it (its date is planned when
 * it resumes, but its stored date is shown meanwhile). A national day concerns every region, a
 * province's day the clocks of that province.
 */
export function recomputeOnDayChange(ctx: Ctx): DayChangeHook {
  return async (trx, { regionCode, day, at }) => {
    const q = trx('clocks').join('cases', 'cases.id', 'clocks.case_id').whereNot('clocks.state', 'stopped').where('clocks.started_on', '<', day)
      .andWhere((w) => w.where('clocks.due_on', '>=', day).orWhere('clocks.state', 'paused'));
    if (regionCode !== '') q.andWhere((w) => w.where('clocks.region_code', regionCode).orWhere('clocks.region_code', 'like', `${regionCode}-%`));
    const rows = (await q.orderBy('clocks.id').select('clocks.*', 'cases.case_no')) as ClockRow[];
    const { moved, events } = await recompute(ctx, trx, rows, at, { day }, false);
    if (moved > 0) ctx.log.info({ day, regionCode, moved }, 'clocks recomputed after a calendar day changed');
    return { recomputed: moved, events };
  };
}

/** The year that should be published by now and is not: next year, from 1 November (Beijing date). Null otherwise. */
export async function unpublishedNextYear(db: Db, now: number): Promise<number | null> {
  const today = beijingDate(now);
  if (Number(today.slice(5, 7)) < 11) return null;
  const next = Number(today.slice(0, 4)) + 1;
  const published = await db('calendar_years').where({ region_code: '', year: next }).first('year');
  return published ? null : next;
}

/** Tells every active administrator once per year (the alerts table's key makes it once across instances). */
export async function alertUnpublishedYear(ctx: Ctx, now: number): Promise<DomainEvent[]> {
  const year = await unpublishedNextYear(ctx.db, now);
  if (year === null) return [];
  if (await ctx.db('calendar_alerts').where({ year }).first('year')) return [];
  return ctx.db.transaction(async (trx) => {
    const admins = (await trx('users').join('user_roles', 'user_roles.user_id', 'users.id').where({ 'users.active': true, 'user_roles.role': 'admin' }).distinct('users.id')) as Array<{ id: string }>;
    await trx('calendar_alerts').insert({ year, alerted_at: now, recipients: admins.length }).onConflict('year').ignore();
    // another instance inserted first (its moment is stored): its transaction sends the notices
    const check = await trx('calendar_alerts').where({ year }).first('alerted_at');
    if (Number(check?.alerted_at) !== now) return [];
    const provisionalClocks = Number((await trx('clocks').where({ provisional: true }).whereNot('state', 'stopped').count({ n: '*' }))[0]?.n ?? 0);
    ctx.log.warn({ year, provisionalClocks }, 'next year’s working-day calendar is not published: deadlines running into it are provisional');
    return notify(trx, admins.map((a) => a.id), { kind: 'calendar_unpublished', caseId: null, userTaskKey: null, data: { year, provisionalClocks }, at: now });
  });
}
