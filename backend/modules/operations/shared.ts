/**
 * What every task operation shares: load a task the caller may see (else 404), check the operation
 * (else 403 with the reason), and record it once — a timeline entry with the actor's reason, an
 * audit row, and the live event for whoever it concerns.
 */
import type { Ctx, Identity } from '../../context.ts';
import type { Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import { abilityFor, type Action } from '../../authz/ability.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';
import { appendEvent } from '../cases/timeline.ts';
import { appendAudit } from '../audit/service.ts';
import { loadWithCaseNo } from '../tasks/commands.ts';
import { taskSubject, toSummary, type TaskRow } from '../tasks/records.ts';
import { ProcessModels } from '../../engine/process-models.ts';
import type { UserTaskModel } from '../../engine/bpmn.ts';

/** The actor of what the system does on its own (超时自动处理): on the task, the timeline and the audit log. */
export const SYSTEM = 'system';

export type Operation = 'return' | 'reject' | 'withdraw' | 'transfer' | 'delegate' | 'resolve' | 'timeout_pass' | 'timeout_return' | 'addSigner' | 'removeSigner' | 'sign';

export async function loadVisible(ctx: Ctx, who: Identity, key: string): Promise<TaskRow> {
  const row = await loadWithCaseNo(ctx.db as unknown as Trx, key);
  // invisible and unknown look the same: an id from elsewhere must not reveal that it exists
  if (!row || !abilityFor(who).can('read', taskSubject(row))) throw notFound('task', key);
  return row;
}

export function authorizeOp(who: Identity, op: Operation, t: TaskRow, reason: string): void {
  if (!abilityFor(who).can(op as Action, taskSubject(t))) throw forbidden(reason);
}

export function assertOpen(t: TaskRow): void {
  if (t.state !== 'open') throw conflict(`task ${t.user_task_key} (${t.element_name}) is ${t.state}, no longer open`);
  if (t.completing_by) throw conflict(`task ${t.user_task_key} is being decided by ${t.completing_by}`);
}

export function requireReason(reason: string, what: string): string {
  const r = reason.trim();
  if (r.length === 0) throw new AppError('VALIDATION_FAILED', `body.reason: a ${what} must give its reason`, [{ path: 'body.reason', message: 'required' }]);
  return r;
}

/** One timeline entry and one audit row, in the caller's transaction; the event to publish after commit. */
export async function recordOperation(
  trx: Trx,
  o: { op: Operation; t: TaskRow; actor: string; reason: string; data?: Record<string, unknown>; affects?: string[]; ip?: string | null; at: number; summaryOf?: TaskRow },
): Promise<DomainEvent> {
  await appendEvent(trx, { caseId: o.t.case_id, type: `task.${opPast[o.op]}`, actor: o.actor, elementId: o.t.element_id, userTaskKey: o.t.user_task_key, data: { name: o.t.element_name, reason: o.reason, ...o.data }, at: o.at });
  await appendAudit(trx, { actor: o.actor, action: `task.${opAudit[o.op] ?? o.op}`, subject: 'task', subjectId: o.t.user_task_key, caseId: o.t.case_id, reason: `${o.reason}${o.data ? ` ${JSON.stringify(o.data)}` : ''}`, ip: o.ip ?? null, at: o.at });
  return { type: 'task.operated', op: o.op, task: toSummary(o.summaryOf ?? o.t, o.t.case_no ?? ''), actor: o.actor, reason: o.reason, affects: o.affects ?? [] };
}

const opPast: Record<Operation, string> = { return: 'returned', reject: 'rejected', withdraw: 'withdrawn', transfer: 'transferred', delegate: 'delegated', resolve: 'resolved', timeout_pass: 'timeout_passed', timeout_return: 'timeout_returned', addSigner: 'signer_added', removeSigner: 'signer_removed', sign: 'signed' };
/** audit action names (task.<name>) */
const opAudit: Partial<Record<Operation, string>> = { addSigner: 'add_signer', removeSigner: 'remove_signer' };

/** The step model (name, settings) of a task, from the case's deployed definition. */
const modelsOf = new WeakMap<Ctx, ProcessModels>();
export async function stepModel(ctx: Ctx, t: TaskRow, elementId = t.element_id): Promise<UserTaskModel | null> {
  let models = modelsOf.get(ctx);
  if (!models) modelsOf.set(ctx, (models = new ProcessModels(ctx.db, (id) => ctx.engine.definitionXml(id))));
  const c = await ctx.db('cases').where({ id: t.case_id }).first<{ process_definition_key: string | null }>('process_definition_key');
  if (!c?.process_definition_key) return null;
  await models.ensure([c.process_definition_key]);
  return models.userTask(ctx.db, c.process_definition_key, elementId);
}
