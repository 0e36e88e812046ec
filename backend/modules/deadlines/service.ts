/**
 * The people side of deadlines: urging (催办) and its acknowledgement, the notification inbox,
 * pausing the clock for special procedures and extending it, and the supervisor's feed.
 */
import type { Ctx, Identity } from '../../context.ts';
import { clockView } from './clock-view.ts';
import { boardRegion, casesIn } from '../statistics/scope.ts';
import { AppError, conflict, forbidden, notFound, tooSoon } from '../../errors.ts';
import { dialectOf, type Trx } from '../../db/knex.ts';
import { abilityFor } from '../../authz/ability.ts';
import { accessibleBy } from '../../authz/sql.ts';
import { json } from '../../context.ts';
import type { DomainEvent } from '../../events.ts';
import { appendEvent } from '../cases/timeline.ts';
import { caseFields } from '../cases/records.ts';
import { loadReadable } from '../cases/service.ts';
import { getTask } from '../tasks/service.ts';
import { taskSubject, type TaskRow } from '../tasks/records.ts';
import { decisionClockId, mirrorOnTask } from './commands.ts';
import { pauseDecisionClock, replanIn, resumeDecisionClock } from './pause.ts';
import { urge } from './notify.ts';
import { unpublishedNextYear } from './provisional.ts';
import { issueNotice } from '../notices/index.ts';

export async function urgeTask(ctx: Ctx, who: Identity, key: string, message: string) {
  await getTask(ctx, who, key); // 404 outside remit
  const row = (await ctx.db('tasks').where({ user_task_key: key }).first()) as TaskRow;
  if (!abilityFor(who).can('urge', taskSubject(row))) throw forbidden('only supervisors of this region and leaders of this unit urge');
  if (row.state !== 'open') throw conflict(`task ${key} is ${row.state}: there is nothing to urge`);
  let events: DomainEvent[] = [];
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    await assertMayUrgeAgain(ctx, trx, key, who.userId, at);
    events = await urge(trx, { userTaskKey: key, by: who.userId, message, at });
  });
  ctx.events.publish(events);
  const urged = events.find((e) => e.type === 'task.urged');
  const windowMs = ctx.config.URGE_WINDOW_SECONDS * 1000;
  return {
    urgingId: urged?.type === 'task.urged' ? urged.urgingId : null,
    recipients: urged?.type === 'task.urged' ? urged.recipients : [],
    /** when this urger may urge this task again (null: no limit configured) */
    nextUrgeAt: windowMs ? new Date(at + windowMs).toISOString() : null,
  };
}

/**
 * One urge per task and urger within URGE_WINDOW_SECONDS: a nudge repeated every minute is noise to
 * the holder. The task row is locked first (MariaDB) so two urges sent at once are checked one after
 * the other; SQLite writes one transaction at a time anyway. The automatic urge (by nobody) is not limited here.
 */
async function assertMayUrgeAgain(ctx: Ctx, trx: Trx, key: string, by: string, at: number): Promise<void> {
  const windowMs = ctx.config.URGE_WINDOW_SECONDS * 1000;
  if (windowMs === 0) return;
  const lock = trx('tasks').where({ user_task_key: key }).first('user_task_key');
  if (dialectOf(trx) === 'mysql') void lock.forUpdate();
  await lock;
  const last = await trx('urgings').where({ user_task_key: key, urged_by: by }).andWhere('at', '>', at - windowMs).max({ at: 'at' }).first();
  if (last?.at === null || last?.at === undefined) return;
  const nextAt = Number(last.at) + windowMs;
  throw tooSoon(`you urged task ${key} at ${new Date(Number(last.at)).toISOString()}; the next urge is allowed from ${new Date(nextAt).toISOString()}`, nextAt);
}

export async function acknowledgeUrging(ctx: Ctx, who: Identity, id: number) {
  const mine = await ctx.db('notifications').where({ user_id: who.userId, type: 'urge' }).andWhere('data', 'like', `%"urgingId":${id},%`).first('id');
  if (!mine) throw notFound('urging', String(id));
  const at = ctx.clock.now();
  const u = await ctx.db('urgings').where({ id }).first();
  if (!u) throw notFound('urging', String(id));
  if (!u.acknowledged_at) {
    await ctx.db('urgings').where({ id }).whereNull('acknowledged_at').update({ acknowledged_at: at, acknowledged_by: who.userId });
    await appendEvent(ctx.db, { caseId: u.case_id, type: 'task.urge-acknowledged', actor: who.userId, userTaskKey: u.user_task_key, data: { urgingId: id }, at });
  }
  await ctx.db('notifications').where({ id: mine.id }).whereNull('read_at').update({ read_at: at });
  return { urgingId: id, acknowledgedBy: u.acknowledged_by ?? who.userId };
}

export async function inbox(ctx: Ctx, who: Identity, unreadOnly: boolean) {
  const q = ctx.db('notifications').where({ user_id: who.userId }).orderBy('id', 'desc').limit(100);
  if (unreadOnly) q.whereNull('read_at');
  const rows = await q;
  const unread = Number((await ctx.db('notifications').where({ user_id: who.userId }).whereNull('read_at').count({ n: '*' }))[0]?.n ?? 0);
  return {
    unread,
    items: rows.map((r) => ({ id: Number(r.id), kind: r.type, caseId: r.case_id, userTaskKey: r.user_task_key, data: json.parse(r.data, {}), createdAt: new Date(Number(r.created_at)).toISOString(), read: r.read_at !== null && r.read_at !== undefined })),
  };
}

export async function markRead(ctx: Ctx, who: Identity, id: number | 'all') {
  const q = ctx.db('notifications').where({ user_id: who.userId }).whereNull('read_at');
  if (id !== 'all') q.where({ id });
  return { marked: await q.update({ read_at: ctx.clock.now() }) };
}

async function decisionClock(ctx: Ctx, caseId: string) {
  const c = await ctx.db('clocks').where({ id: decisionClockId(caseId) }).first();
  if (!c) throw conflict('the decision clock has not started: the application is not accepted yet');
  return c;
}


/** 特别程序: the clock stops counting (hearing, expert review, testing …) until resumed. */
export async function pauseClock(ctx: Ctx, who: Identity, caseId: string, input: { reason: string; expectedDays: number; procedure?: string }) {
  const { may } = await loadReadable(ctx, who, caseId);
  if (!may('pause')) throw forbidden('only the handling unit’s heads and leaders start a special procedure');
  const c = await decisionClock(ctx, caseId);
  if (c.state !== 'running') throw conflict(`the decision clock is ${c.state}`);
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    if (!(await pauseDecisionClock(trx, caseId, { actor: who.userId, reason: input.reason, expectedDays: input.expectedDays, procedure: input.procedure ?? null, at }))) throw conflict('the decision clock changed a moment ago; reload');
    // 行政许可法 art. 45: the applicant is told in writing what, why and how long
    await issueNotice(ctx, trx, { kind: 'special_procedure', caseId, onceKey: `special_procedure:${caseId}:${at}`, at, by: who.userId, pauseReason: input.reason, expectedDays: input.expectedDays });
  });
  return clockView(ctx, caseId);
}

/** Resuming moves the due date by exactly the working days spent paused. */
export async function resumeClock(ctx: Ctx, who: Identity, caseId: string) {
  const { row, may } = await loadReadable(ctx, who, caseId);
  if (!may('pause')) throw forbidden('only the handling unit’s heads and leaders end a special procedure');
  const c = await decisionClock(ctx, caseId);
  if (c.state !== 'paused') throw conflict('the decision clock is not paused');
  // a suspension for a special procedure holds the clock until the case is resumed (挂起 → 激活)
  if (row.suspended_clock && row.suspended_at) throw conflict('the case is suspended for a special procedure: resume the case to restart its clock');
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    if (!(await resumeDecisionClock(ctx, trx, caseId, { actor: who.userId, at }))) throw conflict('the decision clock changed a moment ago; reload');
  });
  return clockView(ctx, caseId);
}

/** 延期: once, by a leader of the handling unit, with its reason. */
export async function extendClock(ctx: Ctx, who: Identity, caseId: string, input: { days: number; reason: string }) {
  const { may } = await loadReadable(ctx, who, caseId);
  if (!may('extend')) throw forbidden('an extension needs a leader of the handling unit');
  const c = await decisionClock(ctx, caseId);
  if (Number(c.extended_days) > 0) throw conflict('the decision limit was already extended once; the law allows one extension');
  if (c.state === 'stopped') throw conflict('the case is concluded');
  const at = ctx.clock.now();
  const plan = await replanIn(ctx, ctx.db, c, { extended_days: input.days });
  // a level already reached stays reached; the next check follows the new dates
  await ctx.db.transaction(async (trx) => {
    await trx('clocks').where({ id: c.id }).update({ ...plan, ...(c.state === 'paused' ? { next_check_at: null } : {}), extended_days: input.days, level: 'none', updated_at: at });
    await mirrorOnTask(trx, c.user_task_key, { due_at: plan.due_at, due_on: plan.due_on, due_provisional: plan.provisional, level: 'none' });
    await trx('clock_events').insert({ clock_id: c.id, type: 'extension', actor: who.userId, reason: input.reason, days: input.days, at });
    await appendEvent(trx, { caseId, type: 'clock.extended', actor: who.userId, data: { days: input.days, reason: input.reason, dueOn: plan.due_on, provisional: plan.provisional }, at });
    // written after the clock moved: the notice states the new due date
    await issueNotice(ctx, trx, { kind: 'extension', caseId, onceKey: `extension:${caseId}`, at, by: who.userId, extendDays: input.days, extendReason: input.reason });
  });
  return clockView(ctx, caseId);
}

export { clockView };

const RANK = (col: string) => `CASE ${col} WHEN 'red' THEN 3 WHEN 'yellow' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END`;
const LEVEL_OF_RANK = ['none', 'warning', 'yellow', 'red'] as const;

/**
 * The supervisor's board: the cases in scope with a warned / yellow / red clock, optionally of one
 * region (and below) and one level. A case is one row and counts once, at the worst level of its
 * clocks, with every clock that put it there as a reason (its decision clock and any step) — so the
 * three counts add up to the cases listed without the cap. The counts cover the region whatever level
 * is picked, and are counted in SQL, not from the (capped) list. `calendar` says when next year's
 * working-day calendar should be published and is not (from 1 November).
 */
export async function supervisionFeed(ctx: Ctx, who: Identity, filter: { unit?: string; level?: 'warning' | 'yellow' | 'red' } = {}) {
  if (!who.roles.includes('supervisor') && !who.roles.includes('leader')) throw new AppError('FORBIDDEN', 'the supervision feed is for supervisors and leaders');
  const region = filter.unit ? casesIn(await boardRegion(ctx, who, filter.unit)) : () => undefined;
  const late = () =>
    ctx.db('clocks')
      .join('cases', 'cases.id', 'clocks.case_id')
      .whereIn('clocks.level', ['warning', 'yellow', 'red'])
      .whereNot('clocks.state', 'stopped')
      .modify(region)
      .modify(accessibleBy(abilityFor(who), 'read', 'Case', caseFields));
  const perCase = () => late().groupBy('cases.id').select('cases.id as case_id', ctx.db.raw(`max(${RANK('clocks.level')}) as worst`), ctx.db.raw('min(clocks.due_at) as first_due'));
  const listed = ctx.db.from(perCase().as('pc')).orderBy([{ column: 'first_due' }, { column: 'case_id' }]).limit(500).select('case_id');
  if (filter.level) void listed.where('worst', LEVEL_OF_RANK.indexOf(filter.level));
  const [caseIds, totals, unpublished] = await Promise.all([
    listed.then((r: Array<{ case_id: string }>) => r.map((x) => x.case_id)),
    ctx.db.from(perCase().as('pc')).groupBy('worst').select('worst', ctx.db.raw('count(*) as n')) as Promise<Array<{ worst: unknown; n: unknown }>>,
    unpublishedNextYear(ctx.db, ctx.clock.now()),
  ]);
  const clocks = caseIds.length === 0 ? [] : ((await late()
    .whereIn('cases.id', caseIds)
    .leftJoin('org_units as ou', 'ou.code', 'cases.region_code')
    .select('clocks.id', 'clocks.kind', 'clocks.level', 'clocks.due_on', 'clocks.provisional', 'clocks.user_task_key', 'cases.id as case_id', 'cases.case_no', 'cases.region_code', 'ou.name as region_name', 'cases.item_code')
    .orderBy([{ column: 'clocks.due_at' }, { column: 'clocks.id' }])) as Array<Record<string, string>>);
  const counts = { warning: 0, yellow: 0, red: 0 };
  for (const t of totals) {
    const l = LEVEL_OF_RANK[Number(t.worst)];
    if (l && l !== 'none') counts[l] = Number(t.n);
  }
  const byCase = new Map<string, Array<Record<string, string>>>();
  for (const c of clocks) byCase.set(c.case_id as string, [...(byCase.get(c.case_id as string) ?? []), c]);
  const items = caseIds.flatMap((id) => {
    const reasons = byCase.get(id) ?? [];
    // the worst reason leads (the earliest due among equals): the row's level and date are its
    const lead = [...reasons].sort((a, b) => LEVEL_OF_RANK.indexOf(b.level as 'warning') - LEVEL_OF_RANK.indexOf(a.level as 'warning'))[0];
    if (!lead) return [];
    return [{ clockId: lead.id, kind: lead.kind, level: lead.level, dueOn: lead.due_on, userTaskKey: lead.user_task_key, caseId: id, caseNo: lead.case_no, regionCode: lead.region_code, regionName: lead.region_name ?? null, itemCode: lead.item_code, reasons: reasons.map((r) => ({ clockId: r.id, kind: r.kind, level: r.level, dueOn: r.due_on, provisional: Boolean(r.provisional), userTaskKey: r.user_task_key })) }];
  });
  return { counts, items, calendar: { unpublishedYear: unpublished } };
}
