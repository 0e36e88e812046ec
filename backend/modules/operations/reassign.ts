/**
 * 转办 (transfer) and 委派 (delegate / resolve): the task stays the same task — same row, same step
 * clock, which runs on — only who holds it changes. The task table owns assignment; the engine is
 * told (transfer: assign; delegation: its own delegate / resolve, so its owner and delegation state
 * agree with ours).
 */
import type { Ctx, Identity } from '../../context.ts';
import { AppError, conflict } from '../../errors.ts';
import { toTaskView, type TaskRow, type TaskView } from '../tasks/records.ts';
import { json } from '../../context.ts';
import { assertOpen, authorizeOp, loadVisible, recordOperation, requireReason, type Operation } from './shared.ts';

const ROLE_OF_GROUP: Record<string, string> = { window: 'window_clerk', reviewer: 'reviewer', head: 'section_head', leader: 'leader' };

export interface Colleague {
  userId: string;
  displayName: string;
  /** holds a role the step's candidate groups name: may be handed the step to decide (转办) */
  mayDecide: boolean;
}

/** The active users of the caller's unit other than the caller, and whether each may decide the step. */
export async function colleagues(ctx: Ctx, who: Identity, t: TaskRow): Promise<Colleague[]> {
  const rows = await ctx.db('users').leftJoin('user_roles', 'user_roles.user_id', 'users.id').where({ 'users.unit_code': who.unitCode, 'users.active': true }).whereNot('users.id', who.userId).select<Array<{ id: string; display_name: string; role: string | null }>>('users.id', 'users.display_name', 'user_roles.role');
  const wanted = new Set(
    json.parse<string[]>(t.candidate_groups, []).flatMap((g) => {
      const [unit, group] = g.split(':');
      return unit === who.unitCode && group && ROLE_OF_GROUP[group] ? [ROLE_OF_GROUP[group]] : [];
    }),
  );
  const out = new Map<string, Colleague>();
  for (const r of rows) {
    const c = out.get(r.id) ?? { userId: r.id, displayName: r.display_name, mayDecide: false };
    if (r.role && wanted.has(r.role)) c.mayDecide = true;
    out.set(r.id, c);
  }
  return [...out.values()].sort((a, b) => a.userId.localeCompare(b.userId));
}

async function colleague(ctx: Ctx, who: Identity, t: TaskRow, to: string, needDecide: boolean): Promise<Colleague> {
  if (to === who.userId) throw new AppError('VALIDATION_FAILED', 'body.to: you cannot hand a task to yourself', [{ path: 'body.to', message: 'someone else' }]);
  const c = (await colleagues(ctx, who, t)).find((x) => x.userId === to);
  if (!c) throw new AppError('VALIDATION_FAILED', `body.to: ${to} is not an active member of your unit ${who.unitCode}; a task goes only to a person of the same unit`, [{ path: 'body.to', message: 'not in your unit' }]);
  if (needDecide && !c.mayDecide) throw new AppError('VALIDATION_FAILED', `body.to: ${to} holds no role of step ${t.element_name} (${json.parse<string[]>(t.candidate_groups, []).join(', ')}) and could not decide it`, [{ path: 'body.to', message: 'no role for this step' }]);
  return c;
}

async function reassign(ctx: Ctx, who: Identity, t: TaskRow, op: Operation, set: Partial<TaskRow>, where: Partial<TaskRow>, reason: string, data: Record<string, unknown>, affects: string[], ip: string | null): Promise<TaskView> {
  const at = ctx.clock.now();
  let after: TaskRow = t;
  let event = null;
  await ctx.db.transaction(async (trx) => {
    const changed = await trx('tasks').where({ user_task_key: t.user_task_key, state: 'open', ...where }).whereNull('completing_by').update({ ...set, claimed_at: at });
    if (changed === 0) throw conflict(`task ${t.user_task_key} changed a moment ago; reload it`);
    after = { ...t, ...set, claimed_at: at };
    event = await recordOperation(trx, { op, t, actor: who.userId, reason, data, affects, ip, at, summaryOf: after });
  });
  if (event) ctx.events.publish(event);
  ctx.log.info({ caseId: t.case_id, userTaskKey: t.user_task_key, op, ...data }, `task ${op}`);
  return toTaskView(after);
}

/** The engine's view follows ours; our row is committed, so a failure is logged, not raised. */
async function tellEngine(ctx: Ctx, t: TaskRow, what: () => Promise<void>): Promise<void> {
  try {
    await what();
  } catch (err) {
    ctx.log.warn({ err, caseId: t.case_id, userTaskKey: t.user_task_key }, 'engine not told of the reassignment');
  }
}

export async function transferTask(ctx: Ctx, who: Identity, key: string, input: { to: string; reason: string }, ip: string | null): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  if (t.state === 'open' && t.assignee === input.to && !t.owner) return toTaskView(t); // retried
  authorizeOp(who, 'transfer', t, t.owner ? `task ${key} is delegated to you by ${t.owner}: hand it back instead` : `only the holder of task ${key} may transfer it; claim it first`);
  assertOpen(t);
  const reason = requireReason(input.reason, 'transfer (转办)');
  await colleague(ctx, who, t, input.to, true);
  // the step clock is left as it is: a transfer does not restart the step
  const view = await reassign(ctx, who, t, 'transfer', { assignee: input.to }, { assignee: who.userId }, reason, { from: who.userId, to: input.to }, [input.to, who.userId], ip);
  if (ctx.config.ENGINE_MIRROR_ASSIGNMENT) await tellEngine(ctx, t, () => ctx.engine.assign(key, input.to));
  return view;
}

export async function delegateTask(ctx: Ctx, who: Identity, key: string, input: { to: string; reason: string }, ip: string | null): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  if (t.state === 'open' && t.owner === who.userId && t.assignee === input.to) return toTaskView(t); // retried
  authorizeOp(who, 'delegate', t, t.owner ? `task ${key} is already delegated by ${t.owner}` : `only the holder of task ${key} may delegate it; claim it first`);
  assertOpen(t);
  const reason = requireReason(input.reason, 'delegation (委派)');
  await colleague(ctx, who, t, input.to, false);
  const view = await reassign(ctx, who, t, 'delegate', { assignee: input.to, owner: who.userId }, { assignee: who.userId }, reason, { owner: who.userId, to: input.to }, [input.to, who.userId], ip);
  await tellEngine(ctx, t, async () => {
    // Operaton makes the engine's assignee the owner: it must be the delegating clerk
    if (!ctx.config.ENGINE_MIRROR_ASSIGNMENT) await ctx.engine.assign(key, who.userId);
    await ctx.engine.delegate(key, input.to);
  });
  return view;
}

export async function resolveTask(ctx: Ctx, who: Identity, key: string, input: { opinion: string }, ip: string | null): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  authorizeOp(who, 'resolve', t, t.owner ? `task ${key} is delegated to ${t.assignee}, not to you` : `task ${key} is not delegated`);
  assertOpen(t);
  const opinion = requireReason(input.opinion, 'delegate’s answer (委派意见)');
  const owner = String(t.owner);
  // a signer added before the holder (前加签) answers the same way: recorded as their sign
  const signed = t.sign_position === 'before' && t.signer === who.userId;
  const clear = signed ? { signer: null, sign_position: null, sign_by: null } : {};
  const view = await reassign(ctx, who, t, signed ? 'sign' : 'resolve', { assignee: owner, owner: null, ...clear }, { assignee: who.userId, owner }, opinion, signed ? { owner, signer: who.userId, position: 'before' } : { owner, delegate: who.userId }, [owner], ip);
  await tellEngine(ctx, t, () => ctx.engine.resolve(key, {}));
  return view;
}
