/**
 * Applies the engine's events (the port's feed, engine/port.ts) to the case register, the task table
 * and the clocks. This is how the back office stays in step with the engine: tasks appear, close or
 * vanish when the engine cancels them (boundary events, modifications, completion conditions,
 * terminations), cases link to their instance and conclude.
 *
 * Delivery is at least once. A batch is applied in one transaction together with the ids of its
 * events (`engine_events_seen`), so a redelivered event is skipped and a half-applied batch cannot
 * exist. Domain events are published only after the commit.
 */
import type { Ctx } from '../../context.ts';
import type { Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import type { EngineEvent } from '../../engine/port.ts';
import { collectInserts, flushInserts } from '../../db/batch.ts';
import { caseByInstance, casesByInstances, concludeCase, linkInstance, noteDefinition, recordOutcome, setAwaiting } from '../cases/commands.ts';
import { appendEvent } from '../cases/timeline.ts';
import type { CaseRow } from '../cases/records.ts';
import { loadWithCaseNo, markTaskCanceled, markTaskCompleted, recordTaskCreated } from '../tasks/commands.ts';
import type { TaskRow } from '../tasks/records.ts';
import { decisionsFromSettings, ProcessModels } from '../../engine/process-models.ts';
import { followEvent } from '../deadlines/follow.ts';
import { planClockStart, stepClockId, type PlannedClock } from '../deadlines/commands.ts';
import { appendAudit } from '../audit/service.ts';
import { cancelDuplicate } from '../../engine/starter.ts';
import { movedUnderMark, takeHandover } from '../operations/index.ts';

interface Effects {
  events: DomainEvent[];
  duplicates: Array<{ caseId: string; instanceId: string }>;
  /** for each task created, its step clock as planned before the task was written (null: none) */
  steps: Map<string, PlannedClock | null>;
}

/**
 * What one batch reads up front: the cases of its instances and its tasks, one query each, instead
 * of a round trip per event. A task written earlier in the same batch is read again when a later
 * event needs it, so nothing acts on a row this batch itself has changed.
 */
interface Prefetched {
  cases: Map<string, CaseRow | null>;
  tasks: Map<string, TaskRow>;
  touched: Set<string>;
}

const TASK_EVENTS = new Set(['task.created', 'task.completed', 'task.canceled']);

export class Ingest {
  readonly models: ProcessModels;

  constructor(private readonly ctx: Ctx) {
    this.models = new ProcessModels(ctx.db, (id) => ctx.engine.definitionXml(id));
  }

  async apply(batch: EngineEvent[]): Promise<{ applied: number; skipped: number }> {
    if (batch.length === 0) return { applied: 0, skipped: 0 };
    // definitions deployed elsewhere (another instance, the engine's own tools) are fetched before
    // the transaction: no engine call while rows are locked
    await this.models.ensure(batch.flatMap((e) => (e.type === 'task.created' && e.definitionId ? [e.definitionId] : [])));
    const effects: Effects = { events: [], duplicates: [], steps: new Map() };
    let applied = 0;
    await this.ctx.db.transaction(async (trx) => {
      collectInserts(trx);
      const fresh = await unseen(trx, batch, Date.now());
      applied = fresh.length;
      const known = await prefetch(trx, fresh);
      for (const e of fresh) {
        const before = effects.events.length;
        await this.applyOne(trx, e, known, effects);
        // Legal clocks start when the engine says the step began — never later than the back office's
        // own (controllable, audited) clock, which is the one deadlines are kept on.
        for (const d of effects.events.slice(before)) {
          await followEvent(this.ctx, trx, d, Math.min(e.at, this.ctx.clock.now()), d.type === 'task.created' ? effects.steps.get(d.task.userTaskKey) : undefined);
        }
      }
      await flushInserts(trx);
    });
    this.ctx.events.publish(effects.events);
    for (const d of effects.duplicates) await this.cancelDuplicate(d.caseId, d.instanceId);
    return { applied, skipped: batch.length - applied };
  }

  private async cancelDuplicate(caseId: string, instanceId: string): Promise<void> {
    await cancelDuplicate(this.ctx, caseId, instanceId).catch((err: unknown) => this.ctx.log.error({ err, caseId, instanceId }, 'could not cancel duplicate process instance'));
  }

  private async applyOne(trx: Trx, e: EngineEvent, known: Prefetched, fx: Effects): Promise<void> {
    const caseOf = async (): Promise<CaseRow | null> => {
      if (!known.cases.has(e.instanceId)) known.cases.set(e.instanceId, (await caseByInstance(trx, e.instanceId)) ?? null);
      return known.cases.get(e.instanceId) ?? null;
    };
    // a task this batch already wrote is read afresh; otherwise the batch's snapshot is current
    const taskRow = (key: string): TaskRow | null | undefined => (known.touched.has(key) ? undefined : (known.tasks.get(key) ?? null));

    switch (e.type) {
      case 'instance.started': {
        if (!e.businessKey) return; // not started by a back office: not a case of ours
        const outcome = await linkInstance(trx, e.businessKey, e.instanceId, e.at, e.definitionId);
        if (outcome.kind === 'linked') fx.events.push(outcome.event);
        if (outcome.kind === 'duplicate') fx.duplicates.push({ caseId: e.businessKey, instanceId: e.instanceId });
        if (outcome.kind === 'linked' || outcome.kind === 'already') known.cases.set(e.instanceId, outcome.row);
        else known.cases.delete(e.instanceId);
        return;
      }
      case 'task.created':
        return this.taskCreated(trx, e, await caseOf(), taskRow(e.taskId), known, fx);
      case 'task.completed': {
        const before = taskRow(e.taskId);
        const row = before === undefined ? ((await loadWithCaseNo(trx, e.taskId)) ?? null) : before;
        const d = await markTaskCompleted(trx, e.taskId, { decision: e.decision, opinion: e.opinion, completedBy: null, at: e.at }, row);
        known.touched.add(e.taskId);
        if (!d) return;
        fx.events.push(d);
        // the back office marks every completion it asks for before asking (tasks/service.ts): one
        // without the mark was done on the engine directly, past our authorization
        if (row && !row.completing_by) await this.flagOutsideCompletion(trx, row, e);
        return;
      }
      case 'task.canceled': {
        const before = taskRow(e.taskId);
        const row = before === undefined ? ((await loadWithCaseNo(trx, e.taskId)) ?? null) : before;
        // a token moved away by our own 退回 or jump back carries the completion mark it was moved
        // under (operations/moves.ts): for the case it was decided, not cancelled
        const d =
          row?.state === 'open' && row.completing_by && (await movedUnderMark(trx, e.taskId))
            ? await markTaskCompleted(trx, e.taskId, { decision: null, opinion: null, completedBy: null, at: e.at }, row)
            : await markTaskCanceled(trx, e.taskId, e.at, row, e.reason);
        known.touched.add(e.taskId);
        if (d) fx.events.push(d);
        return;
      }
      case 'instance.ended': {
        const c = await caseOf();
        if (!c) return;
        const d = await concludeCase(trx, c, e.outcome === 'completed' ? 'completed' : 'terminated', e.at);
        if (d) fx.events.push(d);
        return;
      }
      case 'end.reached': {
        const c = await caseOf();
        if (c && e.topLevel) await recordOutcome(trx, c, e.elementId, e.at);
        return;
      }
      case 'wait.started':
      case 'wait.ended': {
        const c = await caseOf();
        if (!c) return;
        const fresh = (await trx('cases').where({ id: c.id }).first<CaseRow>()) ?? c;
        await setAwaiting(trx, fresh, e.type === 'wait.started' ? e.elementId : null, e.at);
        return;
      }
      case 'incident': {
        const c = await caseOf();
        if (c) {
          await appendEvent(trx, { caseId: c.id, type: 'engine.incident', elementId: e.elementId, data: { errorMessage: e.message }, at: e.at });
          this.ctx.log.warn({ caseId: c.id, elementId: e.elementId, message: e.message }, 'engine incident');
        }
        return;
      }
      default:
        // task.assigned / task.updated: the task table owns assignment and due dates
        return;
    }
  }

  private async flagOutsideCompletion(trx: Trx, row: TaskRow, e: Extract<EngineEvent, { type: 'task.completed' }>): Promise<void> {
    await appendEvent(trx, { caseId: row.case_id, type: 'task.completed_outside', elementId: row.element_id, userTaskKey: row.user_task_key, data: { name: row.element_name, decision: e.decision }, at: e.at });
    await appendAudit(trx, { actor: null, action: 'task.completed_outside', subject: 'task', subjectId: row.user_task_key, caseId: row.case_id, reason: `step ${row.element_name} completed on the engine (decision ${e.decision ?? 'none'}) without a back-office command`, at: this.ctx.clock.now() });
    this.ctx.log.warn({ caseId: row.case_id, userTaskKey: row.user_task_key }, 'a task was completed on the engine without a back-office command');
  }

  /**
   * A new user task. Its step clock is planned first so that the task row is written with its
   * deadline and the clock is then only inserted: two statements, no read-back.
   */
  private async taskCreated(trx: Trx, e: Extract<EngineEvent, { type: 'task.created' }>, c: CaseRow | null, existing: TaskRow | null | undefined, known: Prefetched, fx: Effects): Promise<void> {
    if (!c) return; // an instance that is not one of our cases (another tenant, a duplicate)
    if (!c.process_definition_key && e.definitionId) {
      await noteDefinition(trx, c.id, e.definitionId);
      c.process_definition_key = e.definitionId;
    }
    const key = e.taskId;
    if (existing === undefined ? await trx('tasks').where({ user_task_key: key }).first('user_task_key') : existing) return; // redelivered
    const model = e.definitionId ? await this.models.userTask(trx, e.definitionId, e.elementId) : null;
    const stepLimitDays = model?.stepLimitDays ?? null;
    // a step reopened by 退回 / 撤回 goes to the person named when the token was moved
    const handover = await takeHandover(trx, c.id, e.elementId, key);
    const clockAt = Math.min(e.at, this.ctx.clock.now());
    const clock = stepLimitDays ? await planClockStart(this.ctx, trx, { id: stepClockId(key), kind: 'step', caseId: c.id, userTaskKey: key, regionCode: String(c.region_code), limitDays: stepLimitDays, at: clockAt }) : null;
    const d = await recordTaskCreated(
      trx,
      {
        userTaskKey: key,
        caseId: c.id,
        caseNo: c.case_no,
        processInstanceKey: e.instanceId,
        elementId: e.elementId,
        elementName: model?.name ?? e.name ?? e.elementId,
        itemCode: c.item_code,
        candidateGroups: e.candidateGroups,
        candidateUsers: e.candidateUsers,
        decisions: model ? decisionsFromSettings(model) : [],
        stepLimitDays,
        assignee: handover?.assignee ?? e.assignee,
        returnTo: handover?.returnTo ?? null,
        provinceCode: c.province_code,
        cityCode: c.city_code,
        countyCode: c.county_code,
        at: e.at,
        due: clock ? { dueAt: clock.plan.dueAt, dueOn: clock.plan.dueOn, provisional: clock.plan.provisional } : null,
      },
      false,
    );
    known.touched.add(key);
    if (!d) return;
    fx.events.push(d);
    fx.steps.set(key, clock);
  }
}

/** The events of a batch not applied before, remembered in the same transaction. */
async function unseen(trx: Trx, batch: EngineEvent[], now: number): Promise<EngineEvent[]> {
  const ids = [...new Set(batch.map((e) => e.eventId))];
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await trx('engine_events_seen').whereIn('event_id', ids.slice(i, i + 500)).select<Array<{ event_id: string }>>('event_id')) seen.add(r.event_id);
  }
  const fresh: EngineEvent[] = [];
  for (const e of batch) {
    if (seen.has(e.eventId)) continue;
    seen.add(e.eventId);
    fresh.push(e);
  }
  for (let i = 0; i < fresh.length; i += 500) {
    await trx('engine_events_seen').insert(fresh.slice(i, i + 500).map((e) => ({ event_id: e.eventId, seen_at: now })));
  }
  return fresh;
}

/** The cases and tasks a batch's events refer to, one query each. */
async function prefetch(trx: Trx, events: EngineEvent[]): Promise<Prefetched> {
  const instances = new Set<string>();
  const keys = new Set<string>();
  for (const e of events) {
    if (e.type !== 'instance.started') instances.add(e.instanceId);
    if (TASK_EVENTS.has(e.type)) keys.add((e as { taskId: string }).taskId);
  }
  const found = instances.size > 0 ? await casesByInstances(trx, [...instances]) : new Map<string, CaseRow>();
  const cases = new Map<string, CaseRow | null>([...instances].map((k) => [k, found.get(k) ?? null]));
  const tasks = new Map<string, TaskRow>();
  const wanted = [...keys];
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await trx('tasks').join('cases', 'cases.id', 'tasks.case_id').whereIn('tasks.user_task_key', wanted.slice(i, i + 500)).select<TaskRow[]>('tasks.*', 'cases.case_no');
    for (const t of rows) tasks.set(String(t.user_task_key), t);
  }
  return { cases, tasks, touched: new Set() };
}
