/**
 * Clocks (and the notices the law ties to the same moments) follow the case: a step's clock runs
 * while its task is open; the decision clock starts when the application is accepted (受理) and stops
 * when the case concludes, and so does the promised clock (承诺时限) beside it. Called with the transaction
 * that recorded the triggering change.
 */
import type { Ctx } from '../../context.ts';
import type { Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import { itemAsFiled } from '../catalogue/service.ts';
import { noticeOnDecision } from '../notices/index.ts';
import { decisionClockId, insertClock, promiseClockId, startClock, stepClockId, stopClock, type PlannedClock } from './commands.ts';

/** The decision that accepts an application and so starts the legal decision clock. */
const ACCEPT = 'accept';

/**
 * `step`: for a task.created event, the step clock its creator already planned (null: the step has
 * none); left out, the task is read back to find its limit.
 */
export async function followEvent(ctx: Ctx, trx: Trx, e: DomainEvent, at: number, step?: PlannedClock | null): Promise<void> {
  switch (e.type) {
    case 'task.created': {
      if (step !== undefined) {
        if (step) await insertClock(trx, step);
        return;
      }
      const row = await trx('tasks').join('cases', 'cases.id', 'tasks.case_id').where('tasks.user_task_key', e.task.userTaskKey).first('tasks.step_limit_days', 'cases.region_code');
      if (!row?.step_limit_days) return;
      await startClock(ctx, trx, { id: stepClockId(e.task.userTaskKey), kind: 'step', caseId: e.task.caseId, userTaskKey: e.task.userTaskKey, regionCode: String(row.region_code), limitDays: Number(row.step_limit_days), at });
      return;
    }
    case 'task.completed': {
      await stopClock(trx, stepClockId(e.task.userTaskKey), at);
      if (e.decision === ACCEPT) {
        const c = await trx('cases').where('id', e.task.caseId).first('region_code', 'item_code', 'item_version');
        // the limits of the catalogue version the case was filed under, not of today's item
        const item = c ? await itemAsFiled(trx, String(c.item_code), c.item_version) : null;
        if (c && item) {
          const clock = { caseId: e.task.caseId, userTaskKey: null, regionCode: String(c.region_code), at };
          await startClock(ctx, trx, { ...clock, id: decisionClockId(e.task.caseId), kind: 'decision', limitDays: item.statutoryLimitDays });
          // the public promise runs beside the law from the same moment; supervision watches both
          await startClock(ctx, trx, { ...clock, id: promiseClockId(e.task.caseId), kind: 'promise', limitDays: item.promisedLimitDays });
        }
      }
      // after the clocks: an acceptance notice states the due dates just planned
      await noticeOnDecision(ctx, trx, e, at);
      return;
    }
    case 'task.canceled':
      await stopClock(trx, stepClockId(e.task.userTaskKey), at);
      return;
    case 'case.concluded':
      // the decision clock and any step clock still running
      await trx('clocks').where({ case_id: e.caseId }).whereNot({ state: 'stopped' }).update({ state: 'stopped', next_check_at: null, updated_at: at });
      return;
    default:
      return;
  }
}
