/**
 * 超时自动处理: what the system does when a step's clock passes its limit, per the step setting
 * `timeoutAction` — `remind` (the default: the yellow level and its notifications, nothing more),
 * `pass` / `pass:<decision>` (the system decides the step forward with its own opinion) or `return`
 * (the system returns the case to the previous step, to whoever handled it).
 *
 * Exactly once, also with several instances and across a crash: the intent is a `timeout_actions`
 * row written in the transaction that fires the clock's yellow level (one per step clock, under the
 * level's unique key). The sweep leases each pending row, marks the task (completing_by = system),
 * tells the engine, records the outcome and closes the row. A crash after the mark finds the mark
 * on the next sweep and repeats the engine call; an engine that already did it answers not_found and
 * the feed's record of the step (which carries the mark) closes it. A suspended or paused case, a
 * delegated task or a clerk deciding at that moment is left pending and looked at again later.
 */
import type { Ctx } from '../../context.ts';
import { lostLockRace, type Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import { EngineError } from '../../engine/port.ts';
import { loadWithCaseNo, markTaskCompleted } from '../tasks/commands.ts';
import type { TaskRow } from '../tasks/records.ts';
import { followEvent } from '../deadlines/follow.ts';
import { decisionClockId } from '../deadlines/commands.ts';
import { insertHandover, returnTargets, sendCompletion, TURN_AWAY } from './moves.ts';
import { recordOperation, stepModel, SYSTEM } from './shared.ts';

export { SYSTEM };

const LEASE_MS = 60_000;

export type TimeoutAction = { kind: 'remind' } | { kind: 'pass'; decision: string } | { kind: 'return' };

/**
 * The step setting as written; anything unreadable is `remind` (today's behaviour), and the
 * designer's lint says so before deploy. `pass` takes the step's first forward decision.
 */
export function parseTimeoutAction(raw: string | undefined, decisions: string[]): TimeoutAction {
  const m = /^(remind|pass|return)(?::([\w-]+))?$/.exec((raw ?? '').trim());
  if (!m || m[1] === 'remind') return { kind: 'remind' };
  if (m[1] === 'return') return m[2] ? { kind: 'remind' } : { kind: 'return' };
  if (m[2]) return decisions.length === 0 || decisions.includes(m[2]) ? { kind: 'pass', decision: m[2] } : { kind: 'remind' };
  const forward = decisions.find((d) => !TURN_AWAY.has(d));
  return decisions.length === 0 ? { kind: 'pass', decision: 'approve' } : forward ? { kind: 'pass', decision: forward } : { kind: 'remind' };
}

/** The setting of the step a clock belongs to (read before the sweep's transaction). */
export async function timeoutActionOf(ctx: Ctx, userTaskKey: string): Promise<TimeoutAction> {
  const t = await ctx.db('tasks').where({ user_task_key: userTaskKey }).first<TaskRow>();
  if (!t || t.state !== 'open') return { kind: 'remind' };
  const model = await stepModel(ctx, t);
  return parseTimeoutAction(model?.settings.timeoutAction, JSON.parse(t.decisions) as string[]);
}

/** In the transaction that fires the step clock's yellow level. */
export async function scheduleTimeoutAction(trx: Trx, c: { clockId: string; userTaskKey: string; caseId: string; at: number }, action: TimeoutAction): Promise<void> {
  if (action.kind === 'remind') return;
  await trx('timeout_actions')
    .insert({ clock_id: c.clockId, user_task_key: c.userTaskKey, case_id: c.caseId, action: action.kind, decision: action.kind === 'pass' ? action.decision : null, state: 'pending', created_at: c.at })
    .onConflict('clock_id')
    .ignore();
}

interface ActionRow {
  id: number;
  user_task_key: string;
  case_id: string;
  action: 'pass' | 'return';
  decision: string | null;
}

/** One sweep over the pending actions; returns how many were carried out. */
export async function runTimeoutActions(ctx: Ctx, now: number): Promise<number> {
  const { db } = ctx;
  const free = (q: ReturnType<typeof db>) => q.where('state', 'pending').andWhere((w) => w.whereNull('lease_until').orWhere('lease_until', '<', now));
  const rows = (await free(db('timeout_actions')).orderBy('id').limit(50).select('*')) as ActionRow[];
  let done = 0;
  for (const a of rows) {
    try {
      if ((await free(db('timeout_actions').where({ id: a.id })).update({ lease_until: now + LEASE_MS })) === 0) continue; // another instance has it
      if (await carryOut(ctx, a)) done++;
    } catch (err) {
      // an engine outage, a conflict or a lost lock race: the lease runs out and a later sweep tries again
      if (lostLockRace(err)) continue;
      ctx.log.warn({ err, userTaskKey: a.user_task_key, action: a.action }, 'timeout action not carried out yet');
    }
  }
  return done;
}

const OPINION = { pass: '办理时限已过，系统按本环节设置自动通过', return: '办理时限已过，系统按本环节设置自动退回上一环节' };

async function close(ctx: Ctx, id: number, state: 'done' | 'void' | 'pending', note: string | null = null): Promise<void> {
  await ctx.db('timeout_actions').where({ id }).update(state === 'pending' ? { lease_until: null } : { state, note, lease_until: null, done_at: ctx.clock.now() });
}

async function carryOut(ctx: Ctx, a: ActionRow): Promise<boolean> {
  const t = await loadWithCaseNo(ctx.db as unknown as Trx, a.user_task_key);
  const ours = t?.completing_by === SYSTEM;
  if (!t || (t.state === 'completed' && t.completed_by === SYSTEM)) {
    // the engine did it and the feed recorded it before we could: record the operation, once
    if (t) await record(ctx, a, t, await handedTo(ctx, t));
    await close(ctx, a.id, t ? 'done' : 'void', t ? null : 'task gone');
    return Boolean(t);
  }
  if (t.state !== 'open') return close(ctx, a.id, 'void', `step ${t.state} by ${t.completed_by ?? 'the engine'} first`).then(() => false);
  if (!ours && (t.completing_by || t.owner)) return close(ctx, a.id, 'pending').then(() => false); // a clerk is deciding, or it is delegated: later
  if (!(await actsNow(ctx, t.case_id))) return close(ctx, a.id, 'pending').then(() => false);

  const decision = a.action === 'pass' ? String(a.decision) : 'return';
  const opinion = OPINION[a.action];
  const to = a.action === 'return' ? (await returnTargets(ctx, t)).find((x) => x.previous) : null;
  if (a.action === 'return' && !to) return close(ctx, a.id, 'void', 'no previous step to return to').then(() => false);
  const marking = { completing_by: SYSTEM, decision, opinion };
  const marked = await ctx.db('tasks').where({ user_task_key: t.user_task_key, state: 'open' }).whereNull('owner').andWhere((q) => q.whereNull('completing_by').orWhere('completing_by', SYSTEM)).update(marking);
  if (marked === 0) return close(ctx, a.id, 'pending').then(() => false);
  const at = ctx.clock.now();
  try {
    if (to) {
      await insertHandover(ctx.db, { caseId: t.case_id, elementId: to.elementId, kind: 'timeout', assignee: to.handledBy, fromTask: t.user_task_key, by: SYSTEM, at });
      await ctx.engine.moveToken(t.process_instance_key, { from: t.element_id, to: to.elementId, variables: { decision, opinion } });
    } else {
      await sendCompletion(ctx, { ...t, ...marking }, SYSTEM, { decision, opinion });
    }
  } catch (err) {
    // gone from the engine: done before a crash (the feed brings its record) or cancelled meanwhile
    if (err instanceof EngineError && err.kind === 'not_found') return close(ctx, a.id, 'pending').then(() => false);
    throw err;
  }
  await record(ctx, a, { ...t, ...marking }, to ? { elementId: to.elementId, name: to.name, handledBy: to.handledBy } : null, at);
  await close(ctx, a.id, 'done');
  ctx.log.info({ caseId: t.case_id, userTaskKey: t.user_task_key, action: a.action, decision }, 'step decided by the system on timeout');
  return true;
}

/** Where an earlier sweep's 退回 sent the case (its handover names the task it moved away from). */
async function handedTo(ctx: Ctx, t: TaskRow): Promise<{ elementId: string; name: string; handledBy: string | null } | null> {
  const h = await ctx.db('task_handovers').where({ from_task: t.user_task_key, kind: 'timeout' }).first<{ element_id: string; assignee: string | null }>('element_id', 'assignee');
  if (!h) return null;
  const named = await ctx.db('tasks').where({ case_id: t.case_id, element_id: h.element_id }).first<{ element_name: string }>('element_name');
  return { elementId: h.element_id, name: named?.element_name ?? h.element_id, handledBy: h.assignee };
}

/** Not while the case is suspended, being terminated, or its decision clock paused (特别程序). */
async function actsNow(ctx: Ctx, caseId: string): Promise<boolean> {
  const c = await ctx.db('cases').where({ id: caseId }).first<{ suspended_at: number | null; termination_kind: string | null; status: string }>('suspended_at', 'termination_kind', 'status');
  if (!c || c.suspended_at || c.termination_kind || c.status !== 'in_progress') return false;
  const clock = await ctx.db('clocks').where({ id: decisionClockId(caseId) }).first<{ state: string }>('state');
  return clock?.state !== 'paused';
}

/** The completion (if the feed has not written it), the operation on the timeline and audit, the live events. */
async function record(ctx: Ctx, a: ActionRow, t: TaskRow, to: { elementId: string; name: string; handledBy: string | null } | null, at = ctx.clock.now()): Promise<void> {
  const events: DomainEvent[] = [];
  const op = a.action === 'pass' ? 'timeout_pass' : 'timeout_return';
  await ctx.db.transaction(async (trx) => {
    if (t.state === 'open') {
      const done = await markTaskCompleted(trx, t.user_task_key, { decision: t.decision, opinion: t.opinion, completedBy: SYSTEM, at }, t);
      if (done) {
        events.push(done);
        await followEvent(ctx, trx, done, at);
      }
    }
    if (await trx('case_events').where({ case_id: t.case_id, type: `task.${op === 'timeout_pass' ? 'timeout_passed' : 'timeout_returned'}`, user_task_key: t.user_task_key }).first('id')) return;
    const data = a.action === 'pass' ? { decision: t.decision } : { to: to?.elementId ?? null, toName: to?.name ?? null };
    const affects = [t.assignee, to?.handledBy].filter((x): x is string => Boolean(x));
    events.push(await recordOperation(trx, { op, t, actor: SYSTEM, reason: t.opinion ?? OPINION[a.action], data, affects, at }));
  });
  ctx.events.publish(events);
}
