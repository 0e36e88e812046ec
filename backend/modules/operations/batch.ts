/**
 * Batch approval (批量审批) from the queue: several tasks of one step, one decision and opinion. Each
 * task goes through the ordinary claim and completion — authorized, marked, sent to the engine and
 * recorded on its own case's timeline — so one task's failure stops nothing else; the answer lists
 * each task's outcome.
 */
import type { Ctx, Identity } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { statusOf } from '../../errors.ts';
import { EngineError } from '../../engine/port.ts';
import { claimTask, completeTask, getTask } from '../tasks/service.ts';

export interface BatchOutcome {
  userTaskKey: string;
  ok: boolean;
  status: number;
  message: string | null;
}

export async function batchComplete(ctx: Ctx, who: Identity, input: { keys: string[]; decision: string; opinion: string }): Promise<{ items: BatchOutcome[] }> {
  const keys = [...new Set(input.keys)];
  let step: string | null = null;
  const items: BatchOutcome[] = [];
  for (const key of keys) {
    try {
      const t = await getTask(ctx, who, key);
      step ??= t.elementId;
      if (t.elementId !== step) throw new AppError('BAD_REQUEST', `task ${key} is at step ${t.name} (${t.elementId}), not at ${step}: a batch is one step`);
      if (t.state === 'open' && !t.assignee) await claimTask(ctx, who, key);
      await completeTask(ctx, who, key, { decision: input.decision, opinion: input.opinion });
      items.push({ userTaskKey: key, ok: true, status: 200, message: null });
    } catch (err) {
      if (err instanceof AppError) items.push({ userTaskKey: key, ok: false, status: statusOf[err.code], message: err.message });
      else if (err instanceof EngineError) items.push({ userTaskKey: key, ok: false, status: err.kind === 'unavailable' ? 503 : 409, message: err.message });
      else throw err;
    }
  }
  ctx.log.info({ step, total: keys.length, failed: items.filter((i) => !i.ok).length }, 'batch decision');
  return { items };
}
