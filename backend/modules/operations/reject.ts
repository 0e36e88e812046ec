/**
 * 驳回 (reject), per the step's rule — its setting `rejectRule`:
 *   - `end:<endEventId>` ends the case with a refusal at that end event (e.g. `end:end_refused`): a
 *     refusal always carries its reasons and the applicant's remedies (复议 / 诉讼), both required;
 *   - `return:<elementId>` returns the case to that step (the window), through the steps again.
 * A step without the setting offers no 驳回. Both are a token move (moves.ts: moveAway).
 */
import type { Ctx, Identity } from '../../context.ts';
import { AppError, conflict } from '../../errors.ts';
import { toTaskView, type TaskView } from '../tasks/records.ts';
import { moveAway } from './moves.ts';
import { authorizeOp, loadVisible, requireReason, stepModel } from './shared.ts';

export async function rejectTask(ctx: Ctx, who: Identity, key: string, input: { reason: string; remedies?: string | undefined }, ip: string | null): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  if (t.state === 'completed' && t.completed_by === who.userId && t.decision === 'reject') return toTaskView(t); // retried
  authorizeOp(who, 'reject', t, t.assignee === who.userId ? `you may not reject task ${key}` : `claim task ${key} before rejecting it`);
  const mine = t.completing_by === who.userId && t.decision === 'reject';
  if (!mine && t.state !== 'open') throw conflict(`task ${key} (${t.element_name}) is ${t.state}, no longer open`);
  if (!mine && t.completing_by) throw conflict(`task ${key} is being decided by ${t.completing_by}`);
  const reason = requireReason(input.reason, 'rejection (驳回)');
  const rule = /^(end|return):([A-Za-z_][\w.-]*)$/.exec(((await stepModel(ctx, t))?.settings.rejectRule ?? '').trim());
  if (!rule) throw new AppError('BAD_REQUEST', `step ${t.element_name} has no 驳回 rule (step setting rejectRule = end:<end event> or return:<step>)`);
  const [, kind, element] = rule as unknown as [string, 'end' | 'return', string];
  if (kind === 'end') {
    const remedies = (input.remedies ?? '').trim();
    if (remedies === '') throw new AppError('VALIDATION_FAILED', 'body.remedies: a refusal must tell the applicant the remedies (行政复议 / 行政诉讼)', [{ path: 'body.remedies', message: 'required for a refusal' }]);
    return moveAway(ctx, who, t, { op: 'reject', decision: 'reject', to: { elementId: element, name: element, handledBy: null }, mode: 'again', reason, data: { rule: 'end', remedies }, ip });
  }
  const target = await passed(ctx, t.case_id, element);
  if (!target) throw conflict(`step ${t.element_name} rejects to ${element}, which this case has not passed`);
  return moveAway(ctx, who, t, { op: 'reject', decision: 'reject', to: target, mode: 'again', reason, data: { rule: 'return' }, ip });
}

async function passed(ctx: Ctx, caseId: string, elementId: string) {
  const d = await ctx.db('tasks').where({ case_id: caseId, element_id: elementId, state: 'completed' }).orderBy('ended_at', 'desc').first<{ element_name: string; completed_by: string | null }>('element_name', 'completed_by');
  return d ? { elementId, name: d.element_name, previous: false, handledBy: d.completed_by } : null;
}
