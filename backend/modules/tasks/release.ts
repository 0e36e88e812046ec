/**
 * A disabled account can no longer act (a moved one no longer acts for its old groups), so the steps
 * it holds must not wait for it: its claimed
 * tasks go back to their groups' pool and a task delegated to it (委派) goes back to the clerk who
 * delegated it. The rows change in the caller's transaction (the one that disables the account), so
 * an account is never disabled with its tasks still stuck; the engine is told after the commit, as
 * for an ordinary release, and a failure there is logged: our task table owns assignment.
 */
import type { Trx } from '../../db/knex.ts';
import type { Ctx } from '../../context.ts';
import { toSummary, type TaskRow } from './records.ts';

export interface ReleasedTask {
  row: TaskRow;
  /** back to the pool, or back to the delegating owner */
  to: 'pool' | 'owner';
}

export async function releaseTasksOf(trx: Trx, userId: string, by: string, at: number, because: 'account-disabled' | 'account-moved'): Promise<ReleasedTask[]> {
  // A task already being completed is left to its completion: it is about to close.
  const held = await trx('tasks')
    .join('cases', 'cases.id', 'tasks.case_id')
    .select<TaskRow[]>('tasks.*', 'cases.case_no')
    .where({ 'tasks.state': 'open', 'tasks.assignee': userId })
    .whereNull('tasks.completing_by');
  const released: ReleasedTask[] = [];
  for (const t of held) {
    const to = t.owner ? 'owner' : 'pool';
    const change = to === 'owner' ? { assignee: t.owner, owner: null } : { assignee: null, claimed_at: null };
    const n = await trx('tasks').where({ user_task_key: t.user_task_key, state: 'open', assignee: userId }).whereNull('completing_by').update(change);
    if (n === 0) continue;
    await trx('case_events').insert({
      case_id: t.case_id, type: 'task.released', actor: by, element_id: t.element_id, user_task_key: t.user_task_key,
      data: JSON.stringify({ from: userId, to: to === 'owner' ? t.owner : null, because }), at,
    });
    released.push({ row: { ...t, ...change } as TaskRow, to });
  }
  return released;
}

/** After the commit: the queues and the engine learn of it. */
export async function announceReleased(ctx: Ctx, released: ReleasedTask[]): Promise<void> {
  for (const { row, to } of released) {
    ctx.events.publish({ type: to === 'owner' ? 'task.claimed' : 'task.unclaimed', task: toSummary(row, row.case_no ?? '') });
    try {
      // 委派: only the engine's resolve ends its delegation; a plain release clears the assignee.
      if (to === 'owner') await ctx.engine.resolve(row.user_task_key);
      else if (ctx.config.ENGINE_MIRROR_ASSIGNMENT) await ctx.engine.assign(row.user_task_key, null);
    } catch (err) {
      ctx.log.warn({ err, userTaskKey: row.user_task_key, caseId: row.case_id }, 'engine not told of a released task');
    }
  }
}
