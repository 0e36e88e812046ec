/**
 * 退回 (return) and 撤回 (withdraw): operations that move the case's token back to a step already
 * passed, by the engine's process-instance modification (port.moveToken). The step they reopen is a
 * new task — so it gets a new step clock, as the domain wants — and it must go to a named person,
 * which the engine's task.created cannot carry: the intent is written first as a handover row and
 * the ingest hands the new task to that person when the feed brings it (takeHandover).
 *
 * Order, so that a retry neither loses nor duplicates: mark the returning task (completing_by), write
 * the handover, move the token, then record. A timed-out move may have run: the mark stays and a
 * retry finds it; a move the engine refused is undone here. The returner's task leaves the engine
 * cancelled by the modification; the ingest records a cancelled task that carries a completion mark
 * and a handover naming it (`from_task`) as completed with that mark's decision (ingest/apply.ts),
 * whichever of the two writes comes first.
 */
import type { Ctx, Identity } from '../../context.ts';
import type { Db, Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import { AppError, conflict } from '../../errors.ts';
import { EngineError, type Variables } from '../../engine/port.ts';
import { markTaskCompleted } from '../tasks/commands.ts';
import { toTaskView, type TaskRow, type TaskView } from '../tasks/records.ts';
import { followEvent } from '../deadlines/follow.ts';
import { assertOpen, authorizeOp, loadVisible, recordOperation, requireReason, stepModel, SYSTEM } from './shared.ts';
import { parseDecisions } from '../../engine/bpmn.ts';

export type ReturnMode = 'again' | 'back_to_me';

/** Decisions that turn a case away or back: after a correction these follow the diagram, never jump. */
export const TURN_AWAY = new Set(['refuse', 'reject', 'return', 'correct']);

export interface ReturnTarget {
  elementId: string;
  name: string;
  /** the step passed last before this one: always allowed */
  previous: boolean;
  /** who decided it last; the returned step goes back to them */
  handledBy: string | null;
}

/**
 * The steps a task may be returned to: the previous step always, and the steps already passed that
 * the step's setting `returnTargets` names (comma-separated element ids, `*` for every passed step).
 */
export async function returnTargets(ctx: Ctx, t: TaskRow): Promise<ReturnTarget[]> {
  const done = await ctx.db('tasks').where({ case_id: t.case_id, state: 'completed' }).whereNot({ element_id: t.element_id }).orderBy('ended_at', 'desc').select<TaskRow[]>('element_id', 'element_name', 'completed_by', 'decision');
  const allowed = parseDecisions((await stepModel(ctx, t))?.settings.returnTargets);
  const out = new Map<string, ReturnTarget>();
  for (const d of done) {
    if (out.has(d.element_id)) continue;
    const previous = out.size === 0;
    // a step the system decided on timeout goes back to its groups, not to a person
    out.set(d.element_id, { elementId: d.element_id, name: d.element_name, previous, handledBy: d.completed_by === SYSTEM ? null : d.completed_by });
  }
  return [...out.values()].filter((x) => x.previous || allowed.includes('*') || allowed.includes(x.elementId));
}

export async function insertHandover(db: Db | Trx, h: { caseId: string; elementId: string; kind: string; assignee: string | null; returnToElement?: string | null; returnToUser?: string | null; fromTask?: string | null; by: string; at: number }): Promise<void> {
  // a retried operation finds its own handover still waiting
  const waiting = await db('task_handovers').where({ case_id: h.caseId, element_id: h.elementId, kind: h.kind, created_by: h.by }).whereNull('consumed_by').first('id');
  if (waiting) return;
  await db('task_handovers').insert({ case_id: h.caseId, element_id: h.elementId, kind: h.kind, assignee: h.assignee, return_to_element: h.returnToElement ?? null, return_to_user: h.returnToUser ?? null, from_task: h.fromTask ?? null, created_by: h.by, created_at: h.at });
}

async function dropHandover(db: Db, caseId: string, elementId: string, by: string): Promise<void> {
  await db('task_handovers').where({ case_id: caseId, element_id: elementId, created_by: by }).whereNull('consumed_by').delete();
}

/** For the ingest: the person (and the jump back) a newly created task of this step goes to. */
export async function takeHandover(trx: Trx, caseId: string, elementId: string, userTaskKey: string): Promise<{ assignee: string | null; returnTo: { elementId: string; userId: string | null } | null } | null> {
  const h = await trx('task_handovers').where({ case_id: caseId, element_id: elementId }).whereNull('consumed_by').orderBy('id', 'desc').first();
  if (!h) return null;
  await trx('task_handovers').where({ case_id: caseId, element_id: elementId }).whereNull('consumed_by').update({ consumed_by: userTaskKey });
  return { assignee: h.assignee ?? null, returnTo: h.return_to_element ? { elementId: String(h.return_to_element), userId: h.return_to_user ?? null } : null };
}

/** Was this task moved away by a 退回 or a jump back, under its completion mark? (for the ingest) */
export async function movedUnderMark(trx: Trx, userTaskKey: string): Promise<boolean> {
  return Boolean(await trx('task_handovers').where({ from_task: userTaskKey }).first('id'));
}

/** Refused by the engine (the token is not where we thought): undo our marks, tell the clerk why. */
function refused(err: unknown, what: string): never {
  if (err instanceof EngineError && (err.kind === 'rejected' || err.kind === 'not_found')) throw conflict(`${what}: the case is no longer at this step (${err.message})`);
  throw err;
}

export async function returnTask(ctx: Ctx, who: Identity, key: string, input: { target: string; mode: ReturnMode; reason: string }, ip: string | null): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  if (t.state === 'completed' && t.completed_by === who.userId && t.decision === 'return') return toTaskView(t); // retried
  authorizeOp(who, 'return', t, t.assignee === who.userId ? `you may not return task ${key}` : `claim task ${key} before returning it`);
  const mine = t.completing_by === who.userId && t.decision === 'return'; // a retry after a timed-out move
  if (!mine) assertOpen(t);
  const reason = requireReason(input.reason, 'return (退回)');
  const targets = await returnTargets(ctx, t);
  const target = targets.find((x) => x.elementId === input.target);
  if (!target) {
    throw new AppError('VALIDATION_FAILED', `body.target: step ${t.element_name} may not be returned to "${input.target}"; allowed: ${targets.map((x) => `${x.elementId} (${x.name})`).join(', ') || 'none (no step passed yet)'}`, [{ path: 'body.target', message: 'not an allowed return target of this step' }]);
  }
  return moveAway(ctx, who, t, { op: 'return', decision: 'return', to: target, mode: input.mode, reason, ip });
}

/**
 * Decides `t` by moving its token to `to` (a step passed, or an end event for a refusal): the order
 * of the module comment. Shared by 退回 and 驳回.
 */
export async function moveAway(
  ctx: Ctx,
  who: Identity,
  t: TaskRow,
  o: { op: 'return' | 'reject'; decision: string; to: { elementId: string; name: string; handledBy: string | null }; mode: ReturnMode; reason: string; data?: Record<string, unknown>; ip: string | null },
): Promise<TaskView> {
  const key = t.user_task_key;
  // To or from a countersign the whole step moves: all its signers' tasks are cancelled, and a
  // countersign returned to starts again with every signer (its multi-instance body), each task for
  // its own department's group — no single person to hand it to, no single signer to come back to.
  const toCountersign = Boolean((await stepModel(ctx, t, o.to.elementId))?.signers);
  if (o.mode === 'back_to_me' && (toCountersign || (await stepModel(ctx, t))?.signers)) {
    throw new AppError('VALIDATION_FAILED', `body.mode: a countersign (${toCountersign ? o.to.name : t.element_name}) takes no "straight back to me": after the correction the steps run again`, [{ path: 'body.mode', message: 'again only, with a countersign' }]);
  }
  const marking = { completing_by: who.userId, decision: o.decision, opinion: o.reason };
  const marked = await ctx.db('tasks').where({ user_task_key: key, state: 'open', assignee: who.userId }).andWhere((q) => q.whereNull('completing_by').orWhere('completing_by', who.userId)).update(marking);
  if (marked === 0) throw conflict(`task ${key} changed while you were deciding it; reload it`);
  const at = ctx.clock.now();
  await insertHandover(ctx.db, { caseId: t.case_id, elementId: o.to.elementId, kind: o.op, assignee: toCountersign ? null : o.to.handledBy, returnToElement: o.mode === 'back_to_me' ? t.element_id : null, returnToUser: who.userId, fromTask: key, by: who.userId, at });
  try {
    await ctx.engine.moveToken(t.process_instance_key, { from: t.element_id, to: o.to.elementId, toCountersign, variables: { decision: o.decision, opinion: o.reason } });
  } catch (err) {
    if (err instanceof EngineError && err.kind !== 'unavailable' && err.kind !== 'conflict') {
      await ctx.db('tasks').where({ user_task_key: key, state: 'open', completing_by: who.userId }).update({ completing_by: null, decision: null, opinion: null });
      await dropHandover(ctx.db, t.case_id, o.to.elementId, who.userId);
    }
    refused(err, `task ${key} could not be moved to ${o.to.elementId}`);
  }
  const events: DomainEvent[] = [];
  const type = o.op === 'return' ? 'task.returned' : 'task.rejected';
  await ctx.db.transaction(async (trx) => {
    const now = ctx.clock.now();
    const done = await markTaskCompleted(trx, key, { decision: o.decision, opinion: o.reason, completedBy: who.userId, at: now }, { ...t, ...marking });
    if (done) {
      events.push(done);
      await followEvent(ctx, trx, done, now);
    }
    if (await trx('case_events').where({ case_id: t.case_id, type, user_task_key: key }).first('id')) return;
    events.push(await recordOperation(trx, { op: o.op, t, actor: who.userId, reason: o.reason, data: { to: o.to.elementId, toName: o.to.name, mode: o.mode, ...o.data }, affects: o.to.handledBy ? [o.to.handledBy] : [], ip: o.ip, at: now }));
  });
  ctx.events.publish(events);
  ctx.log.info({ caseId: t.case_id, userTaskKey: key, to: o.to.elementId, mode: o.mode, op: o.op }, `task ${o.op}`);
  return toTaskView((await loadVisible(ctx, who, key)) ?? t);
}

/**
 * After a correction on a step returned "straight back to me", a forward decision sends the case back
 * to the returner's step (a token move) instead of along the diagram; every other decision, and
 * every ordinary task, is a plain completion. Called by the tasks module's completion.
 */
export async function sendCompletion(ctx: Ctx, t: TaskRow, by: string, variables: Variables & { decision: string; opinion: string }): Promise<void> {
  if (!t.return_to_element || TURN_AWAY.has(variables.decision)) {
    await ctx.engine.complete(t.user_task_key, variables);
    return;
  }
  await insertHandover(ctx.db, { caseId: t.case_id, elementId: t.return_to_element, kind: 'jump', assignee: t.return_to_user ?? null, fromTask: t.user_task_key, by, at: ctx.clock.now() });
  await ctx.engine.moveToken(t.process_instance_key, { from: t.element_id, to: t.return_to_element, variables });
}

interface WithdrawCheck {
  ok: boolean;
  reason: string;
  next: TaskRow[];
}

/** May the decider of `t` still take it back? Only while the next step is open and nobody has taken it up. */
async function withdrawCheck(ctx: Ctx, t: TaskRow): Promise<WithdrawCheck> {
  const no = (reason: string): WithdrawCheck => ({ ok: false, reason, next: [] });
  if (t.state !== 'completed') return no(`task ${t.user_task_key} is ${t.state}: only a decided step can be taken back`);
  const c = await ctx.db('cases').where({ id: t.case_id }).first<{ status: string }>('status');
  if (c?.status !== 'in_progress') return no(`the case is ${c?.status ?? 'gone'}: nothing to take back`);
  const later = await ctx.db('tasks').where({ case_id: t.case_id, state: 'completed' }).where('ended_at', '>', Number(t.ended_at)).whereNot({ user_task_key: t.user_task_key }).first<TaskRow>();
  if (later) return no(`${later.element_name} was decided after yours: too late to take back`);
  const next = await ctx.db('tasks').where({ case_id: t.case_id, state: 'open' }).select<TaskRow[]>('*');
  if (next.length === 0) return no('no next step is open yet (or the case waits outside the office): nothing to take back from');
  if (new Set(next.map((n) => n.element_id)).size > 1) return no('the case went on into parallel steps: they cannot be taken back at once');
  if (next[0]!.element_id === t.element_id) return no(`${t.element_name} is open again already`);
  if ((await stepModel(ctx, t))?.signers) return no(`${t.element_name} is a countersign: once its signers have concluded, one signer cannot take it back alone (return the case instead)`);
  const busy = next.find((n) => n.assignee || n.completing_by);
  if (busy) return no(`${busy.element_name} has been taken up by ${busy.assignee ?? busy.completing_by}: too late to take back`);
  return { ok: true, reason: '', next };
}

/** The caller's latest decided task of the case, when it may still be withdrawn. */
export async function withdrawable(ctx: Ctx, who: Identity, caseId: string): Promise<TaskView | null> {
  const t = await ctx.db('tasks').join('cases', 'cases.id', 'tasks.case_id').where({ 'tasks.case_id': caseId, 'tasks.state': 'completed', 'tasks.completed_by': who.userId }).orderBy('tasks.ended_at', 'desc').first<TaskRow>('tasks.*', 'cases.case_no');
  if (!t) return null;
  try {
    authorizeOp(who, 'withdraw', t, '');
  } catch {
    return null;
  }
  return (await withdrawCheck(ctx, t)).ok ? toTaskView(t) : null;
}

export async function withdrawTask(ctx: Ctx, who: Identity, key: string, input: { reason: string }, ip: string | null): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  authorizeOp(who, 'withdraw', t, `only ${t.completed_by ?? 'whoever decided it'} may take back ${t.element_name}`);
  const reason = requireReason(input.reason, 'withdrawal (撤回)');
  const check = await withdrawCheck(ctx, t);
  if (!check.ok) throw conflict(check.reason);
  const next = check.next[0]!;
  const at = ctx.clock.now();
  await insertHandover(ctx.db, { caseId: t.case_id, elementId: t.element_id, kind: 'withdraw', assignee: who.userId, by: who.userId, at });
  try {
    await ctx.engine.moveToken(t.process_instance_key, { from: next.element_id, to: t.element_id });
  } catch (err) {
    if (err instanceof EngineError && err.kind !== 'unavailable' && err.kind !== 'conflict') await dropHandover(ctx.db, t.case_id, t.element_id, who.userId);
    refused(err, `${t.element_name} could not be taken back`);
  }
  let event: DomainEvent | null = null;
  await ctx.db.transaction(async (trx) => {
    event = await recordOperation(trx, { op: 'withdraw', t, actor: who.userId, reason, data: { from: next.element_id, fromName: next.element_name }, affects: [who.userId], ip, at: ctx.clock.now(), summaryOf: { ...next, case_no: t.case_no } });
  });
  if (event) ctx.events.publish(event);
  ctx.log.info({ caseId: t.case_id, userTaskKey: key, from: next.element_id }, 'step withdrawn');
  return toTaskView(t);
}
