/**
 * The clerk's side of tasks: the queue, claim / unclaim, and completion with a decision.
 * Completion is ordered so that nothing is lost or done twice: mark the intent in the database,
 * ask the engine, then record the result (the feed's task.completed records it too, and
 * whichever arrives second changes nothing).
 */
import type { Ctx, Identity } from '../../context.ts';
import { abilityFor } from '../../authz/ability.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';
import { EngineError } from '../../engine/port.ts';
import { markTaskCompleted } from './commands.ts';
import { appendAudit } from '../audit/service.ts';
import { followEvent } from '../deadlines/follow.ts';
import { sendCompletion } from '../operations/index.ts';
import { assertCaseAcceptsDecisions, type CaseControlState } from '../case-control/guard.ts';
import { checkApproval } from '../forms/service.ts'; // not the manifest: its routes import this module
import { issueOnDecision, statusUrlOf } from '../public-query/index.ts';
import { taskSubject, toSummary, toTaskView, type TaskRow, type TaskView } from './records.ts';
import { withNames, type NamedTask } from './named.ts';

/** Decisions that turn an applicant away: the law wants reasons, so an opinion is required. */
const NEEDS_REASON = new Set(['refuse', 'reject', 'return', 'correct']);

export { listTasks } from './queue.ts';

async function loadVisible(ctx: Ctx, who: Identity, key: string): Promise<TaskRow & CaseControlState> {
  const row = await ctx.db('tasks')
    .join('cases', 'cases.id', 'tasks.case_id')
    .select<Array<TaskRow & CaseControlState>>('tasks.*', 'cases.case_no', 'cases.suspended_at as case_suspended_at', 'cases.suspend_reason as case_suspend_reason', 'cases.termination_kind as case_termination_kind')
    .where('tasks.user_task_key', key)
    .first();
  // Invisible and unknown look the same: an id from elsewhere must not reveal that it exists.
  if (!row || !abilityFor(who).can('read', taskSubject(row))) throw notFound('task', key);
  return row;
}

/** Visible, but is this action allowed? Otherwise 403 with the reason. */
function authorize(who: Identity, action: 'claim' | 'unclaim' | 'complete', t: TaskRow & CaseControlState, reason: string): void {
  if (!abilityFor(who).can(action, taskSubject(t))) throw forbidden(reason);
  assertCaseAcceptsDecisions(t); // 挂起 / 终止: allowed, but not now (409 with the reason)
}

export async function getTask(ctx: Ctx, who: Identity, key: string): Promise<TaskView> {
  return toTaskView(await loadVisible(ctx, who, key));
}

/** One task as the case page shows it: with the names of its people and units. */
export async function getNamedTask(ctx: Ctx, who: Identity, key: string): Promise<NamedTask> {
  const [named] = await withNames(ctx, [await getTask(ctx, who, key)]);
  return named as NamedTask;
}

function assertOpen(t: TaskRow): void {
  if (t.state !== 'open') throw conflict(`task ${t.user_task_key} is ${t.state}, no longer open`);
}

export async function claimTask(ctx: Ctx, who: Identity, key: string): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  authorize(who, 'claim', t, `you may not claim task ${key}: it is for ${JSON.parse(t.candidate_groups).join(', ')}`);
  assertOpen(t);
  if (t.assignee === who.userId) return toTaskView(t); // a retried claim is fine
  if (t.assignee) throw conflict(`task ${key} is already claimed by ${t.assignee}`);
  const now = ctx.clock.now();
  const changed = await ctx.db('tasks').where({ user_task_key: key, state: 'open' }).whereNull('assignee').update({ assignee: who.userId, claimed_at: now });
  if (changed === 0) throw conflict(`task ${key} was claimed by someone else a moment ago`);
  await ctx.db('case_events').insert({ case_id: t.case_id, type: 'task.claimed', actor: who.userId, element_id: t.element_id, user_task_key: key, at: now });
  const after = { ...t, assignee: who.userId, claimed_at: now };
  ctx.events.publish({ type: 'task.claimed', task: toSummary(after, t.case_no ?? '') });
  await informEngineOfAssignee(ctx, key, who.userId);
  return toTaskView(after);
}

export async function unclaimTask(ctx: Ctx, who: Identity, key: string): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  assertOpen(t);
  authorize(who, 'unclaim', t, t.assignee ? `task ${key} is claimed by ${t.assignee}, not by you` : `task ${key} is not claimed`);
  const now = ctx.clock.now();
  const changed = await ctx.db('tasks').where({ user_task_key: key, state: 'open', assignee: who.userId }).whereNull('completing_by').update({ assignee: null, claimed_at: null });
  if (changed === 0) throw conflict(`task ${key} is being completed and can no longer be released`);
  await ctx.db('case_events').insert({ case_id: t.case_id, type: 'task.unclaimed', actor: who.userId, element_id: t.element_id, user_task_key: key, at: now });
  const after = { ...t, assignee: null, claimed_at: null };
  ctx.events.publish({ type: 'task.unclaimed', task: toSummary(after, t.case_no ?? '') });
  await informEngineOfAssignee(ctx, key, null);
  return toTaskView(after);
}

/**
 * Our task table owns assignment; the engine is told so that its own view (and any other client of
 * the cluster) agrees. Awaited before the claim is answered: fired and forgotten, the assignment
 * raced the clerk's completion and, arriving second, was rejected for a task the engine had already
 * closed. A clerk completes only after the claim's answer, so the engine now sees assign before
 * complete — from any instance. The wait is bounded by the gateway's own timeout
 * (OPERATON_REQUEST_TIMEOUT_MS), and a failure still changes nothing for the clerk: it is logged, not
 * raised, as the claim itself is already committed.
 */
async function informEngineOfAssignee(ctx: Ctx, key: string, assignee: string | null): Promise<void> {
  if (!ctx.config.ENGINE_MIRROR_ASSIGNMENT) return;
  try {
    await ctx.engine.assign(key, assignee);
  } catch (err) {
    ctx.log.warn({ err, userTaskKey: key }, 'engine assignment not updated');
  }
}

export async function completeTask(ctx: Ctx, who: Identity, key: string, input: { decision: string; opinion: string; form?: Record<string, unknown> }): Promise<TaskView & { queryCode?: string; statusUrl?: string }> {
  const t = await loadVisible(ctx, who, key);
  const log = ctx.log.child({ caseId: t.case_id, userTaskKey: key });
  if (t.state === 'completed' && t.completed_by === who.userId && t.decision === input.decision) return toTaskView(t); // retried call
  assertOpen(t);
  if (t.owner) throw forbidden(`task ${key} is delegated by ${t.owner} to ${t.assignee}: the delegate hands it back (resolve) before it is decided`);
  authorize(who, 'complete', t, t.assignee && t.assignee !== who.userId ? `task ${key} is claimed by ${t.assignee}; only the assignee may complete it` : t.assignee ? `you may not decide task ${key}` : `claim task ${key} before completing it`);
  const allowed = JSON.parse(t.decisions) as string[];
  if (allowed.length > 0 && !allowed.includes(input.decision)) {
    throw new AppError('VALIDATION_FAILED', `body.decision: "${input.decision}" is not a decision of step ${t.element_name}; allowed: ${allowed.join(', ')}`, [{ path: 'body.decision', message: `one of ${allowed.join(', ')}` }]);
  }
  const opinion = input.opinion.trim();
  if (NEEDS_REASON.has(input.decision) && opinion === '') {
    throw new AppError('VALIDATION_FAILED', `body.opinion: a "${input.decision}" decision must give its reasons`, [{ path: 'body.opinion', message: 'required for this decision' }]);
  }

  // the step's own approval form, checked before anything is written
  const approval = await checkApproval(ctx, t, input.form);
  const marking = { completing_by: who.userId, decision: input.decision, opinion, ...(approval ? { form_data: approval.stored } : {}) };
  const marked = await ctx.db('tasks').where({ user_task_key: key, state: 'open', assignee: who.userId }).update(marking);
  if (marked === 0) throw conflict(`task ${key} changed while you were deciding; reload it`);
  try {
    // a plain completion, or the jump back of a step returned "straight back to me" (operations)
    await sendCompletion(ctx, { ...t, ...marking }, who.userId, { decision: input.decision, opinion, ...approval?.variables });
  } catch (err) {
    if (err instanceof EngineError && err.kind === 'not_found') {
      const now = await ctx.db('tasks').where({ user_task_key: key }).first<TaskRow>();
      if (now?.state === 'completed') return toTaskView({ ...now, case_no: t.case_no });
      throw conflict(`task ${key} is no longer open in the engine (cancelled or already completed)`);
    }
    log.warn({ err }, 'engine did not complete the task; the clerk may retry');
    throw err;
  }
  let event = null;
  let done: TaskRow | null = null;
  await ctx.db.transaction(async (trx) => {
    const at = ctx.clock.now();
    // the row as marked above: markTaskCompleted only writes if it is still open, so it needs no re-read
    const mine: TaskRow = { ...t, ...marking };
    event = await markTaskCompleted(trx, key, { decision: input.decision, opinion, completedBy: who.userId, at }, mine);
    // the decision is on record with the completion, also when the feed had recorded the step first
    await appendAudit(trx, { actor: who.userId, action: 'task.decided', subject: 'Task', subjectId: key, caseId: t.case_id, reason: `${t.element_name}: ${input.decision}${opinion ? ` — ${opinion}` : ''}`.slice(0, 500), at });
    if (!event) return;
    await followEvent(ctx, trx, event, at);
    done = { ...mine, state: 'completed', completed_by: who.userId, ended_at: at };
  });
  if (event) ctx.events.publish(event);
  log.info({ decision: input.decision }, 'task completed');
  // the window's first decision gives the applicant a query code: shown once, here, for the receipt
  const queryCode = await issueOnDecision(ctx, who, t, input.decision);
  // as written here; when the engine's record was applied first, as the ingest wrote it
  const view = done ? toTaskView(done) : await getTask(ctx, who, key);
  return queryCode ? { ...view, queryCode, statusUrl: statusUrlOf(ctx, t.case_no ?? '') } : view;
}
