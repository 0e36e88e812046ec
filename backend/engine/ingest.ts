/**
 * Applies engine records to the case register and task table. This is how the back office stays in
 * step with Zeebe: tasks appear (USER_TASK CREATED), close (COMPLETED) or vanish when the engine
 * cancels them (CANCELED — boundary events, terminations), and cases conclude (PROCESS completed).
 *
 * Delivery is at least once. Each batch is applied in one transaction together with the highest
 * position seen per partition, so a redelivered record is skipped and a half-applied batch cannot
 * exist. Domain events are published only after the commit.
 */
import type { Ctx } from '../context.ts';
import type { Trx } from '../db/knex.ts';
import { dialectOf } from '../db/knex.ts';
import type { DomainEvent } from '../events.ts';
import { caseByInstance, casesByInstances, concludeCase, linkInstance, noteDefinition, recordOutcome, setAwaiting } from '../modules/cases/commands.ts';
import { appendEvent } from '../modules/cases/timeline.ts';
import { collectInserts, flushInserts } from '../db/batch.ts';
import type { CaseRow } from '../modules/cases/records.ts';
import { markTaskCanceled, markTaskCompleted, recordTaskCreated } from '../modules/tasks/commands.ts';
import type { TaskRow } from '../modules/tasks/records.ts';
import { list, str, type EngineRecord } from './records.ts';
import { decisionsFromHeaders, ProcessModels } from './process-models.ts';
import { cancelDuplicate } from './starter.ts';
import { followEvent } from '../modules/deadlines/follow.ts';
import { planClockStart, stepClockId, type PlannedClock } from '../modules/deadlines/commands.ts';

interface Effects {
  events: DomainEvent[];
  duplicates: Array<{ caseId: string; processInstanceKey: string }>;
  /** for each task created, its step clock as planned before the task was written (null: none) */
  steps: Map<string, PlannedClock | null>;
}

/**
 * What one batch reads up front: the cases of its process instances and its user tasks, each with
 * one query, instead of a round trip per record. A task written earlier in the same batch is read
 * again when a later record needs it, so nothing acts on a row this batch itself has changed.
 */
interface Prefetched {
  cases: Map<string, CaseRow | null>;
  tasks: Map<string, TaskRow>;
  touched: Set<string>;
}

const NEEDS_CASE = new Set(['USER_TASK:CREATED', 'PROCESS_INSTANCE:ELEMENT_ACTIVATED', 'PROCESS_INSTANCE:ELEMENT_COMPLETED', 'PROCESS_INSTANCE:ELEMENT_TERMINATED', 'INCIDENT:CREATED']);
const TASK_RECORD = new Set(['USER_TASK:CREATED', 'USER_TASK:COMPLETED', 'USER_TASK:CANCELED']);
const kindOf = (r: EngineRecord) => `${r.valueType}:${r.intent}`;
const taskKeyOf = (r: EngineRecord) => str(r.value.userTaskKey) || r.key;

export class Ingest {
  readonly models: ProcessModels;

  constructor(private readonly ctx: Ctx) {
    this.models = new ProcessModels(ctx.db);
  }

  async apply(records: EngineRecord[]): Promise<{ applied: number; skipped: number }> {
    const byPartition = new Map<number, EngineRecord[]>();
    for (const r of records) {
      const list = byPartition.get(r.partitionId);
      if (list) list.push(r);
      else byPartition.set(r.partitionId, [r]);
    }
    let applied = 0;
    let skipped = 0;
    for (const [partition, recs] of byPartition) {
      const effects: Effects = { events: [], duplicates: [], steps: new Map() };
      await this.ctx.db.transaction(async (trx) => {
        collectInserts(trx);
        const last = await lockPosition(trx, partition, this.ctx.clock.now());
        let highest = last;
        const fresh: EngineRecord[] = [];
        for (const r of recs) {
          const pos = BigInt(r.position);
          if (pos <= highest) {
            skipped++;
            continue;
          }
          highest = pos;
          fresh.push(r);
        }
        applied += fresh.length;
        const known = await prefetch(trx, fresh);
        for (const r of fresh) {
          const before = effects.events.length;
          await this.applyOne(trx, r, known, effects);
          // Legal clocks start when the engine says the step began — never later than the back office's
          // own (controllable, audited) clock, which is the one deadlines are kept on.
          for (const e of effects.events.slice(before)) {
            await followEvent(this.ctx, trx, e, Math.min(r.timestamp, this.ctx.clock.now()), e.type === 'task.created' ? effects.steps.get(e.task.userTaskKey) : undefined);
          }
        }
        await flushInserts(trx);
        if (highest > last) await trx('engine_positions').where({ partition_id: partition }).update({ position: highest.toString(), updated_at: this.ctx.clock.now() });
      });
      this.ctx.events.publish(effects.events);
      for (const d of effects.duplicates) {
        await cancelDuplicate(this.ctx, d.caseId, d.processInstanceKey).catch((err: unknown) => this.ctx.log.error({ err, ...d }, 'could not cancel duplicate process instance'));
      }
    }
    return { applied, skipped };
  }

  private async applyOne(trx: Trx, r: EngineRecord, known: Prefetched, fx: Effects): Promise<void> {
    if (r.recordType !== 'EVENT') return;
    const v = r.value;
    const pik = str(v.processInstanceKey);
    const caseOf = async (): Promise<CaseRow | null> => {
      if (!known.cases.has(pik)) known.cases.set(pik, (await caseByInstance(trx, pik)) ?? null);
      return known.cases.get(pik) ?? null;
    };
    // a task this batch already wrote is read afresh; otherwise the batch's snapshot is current
    const taskRow = (key: string): TaskRow | null | undefined => (known.touched.has(key) ? undefined : (known.tasks.get(key) ?? null));
    const at = r.timestamp;

    switch (kindOf(r)) {
      case 'PROCESS:CREATED':
        await this.models.record(trx, v);
        return;
      case 'VARIABLE:CREATED': {
        if (v.name !== 'caseId' || str(v.scopeKey) !== pik) return;
        const caseId = JSON.parse(str(v.value)) as unknown;
        if (typeof caseId !== 'string') return;
        const outcome = await linkInstance(trx, caseId, pik, at, str(v.processDefinitionKey) || null);
        if (outcome.kind === 'linked') fx.events.push(outcome.event);
        if (outcome.kind === 'duplicate') fx.duplicates.push({ caseId, processInstanceKey: pik });
        if (outcome.kind === 'linked' || outcome.kind === 'already') known.cases.set(pik, outcome.row);
        else known.cases.delete(pik);
        return;
      }
      case 'USER_TASK:CREATED':
        return this.taskCreated(trx, r, await caseOf(), taskRow(taskKeyOf(r)), known, fx);
      case 'USER_TASK:COMPLETED': {
        const vars = (v.variables ?? {}) as Record<string, unknown>;
        const key = taskKeyOf(r);
        const e = await markTaskCompleted(trx, key, { decision: typeof vars.decision === 'string' ? vars.decision : null, opinion: typeof vars.opinion === 'string' ? vars.opinion : null, completedBy: null, at }, taskRow(key));
        known.touched.add(key);
        if (e) fx.events.push(e);
        return;
      }
      case 'USER_TASK:CANCELED': {
        const key = taskKeyOf(r);
        const e = await markTaskCanceled(trx, key, at, taskRow(key));
        known.touched.add(key);
        if (e) fx.events.push(e);
        return;
      }
      case 'PROCESS_INSTANCE:ELEMENT_ACTIVATED':
      case 'PROCESS_INSTANCE:ELEMENT_COMPLETED':
      case 'PROCESS_INSTANCE:ELEMENT_TERMINATED':
        return this.applyElement(trx, r, await caseOf(), fx);
      case 'INCIDENT:CREATED': {
        const c = await caseOf();
        if (c) {
          await appendEvent(trx, { caseId: c.id, type: 'engine.incident', elementId: str(v.elementId) || null, data: { errorType: v.errorType, errorMessage: v.errorMessage }, at });
          this.ctx.log.warn({ caseId: c.id, errorType: v.errorType, errorMessage: v.errorMessage }, 'engine incident');
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * A new user task. Its step clock is planned first so that the task row is written with its
   * deadline and the clock is then only inserted: two statements, no read-back.
   */
  private async taskCreated(trx: Trx, r: EngineRecord, c: CaseRow | null, existing: TaskRow | null | undefined, known: Prefetched, fx: Effects): Promise<void> {
    if (!c) return; // an instance that is not one of our cases (another tenant, a duplicate)
    const v = r.value;
    // a case linked through this record stream (crash healing) learns its definition here
    if (!c.process_definition_key && str(v.processDefinitionKey)) {
      await noteDefinition(trx, c.id, str(v.processDefinitionKey));
      c.process_definition_key = str(v.processDefinitionKey);
    }
    const key = taskKeyOf(r);
    if (existing === undefined ? await trx('tasks').where({ user_task_key: key }).first('user_task_key') : existing) return; // redelivered
    const headers = (v.customHeaders ?? {}) as Record<string, string>;
    const elementId = str(v.elementId);
    const model = await this.models.userTask(trx, str(v.processDefinitionKey), elementId);
    const stepLimitDays = Number(headers.stepLimitDays) > 0 ? Number(headers.stepLimitDays) : (model?.stepLimitDays ?? null);
    // Legal clocks start when the engine says the step began — never later than the back office's
    // own (controllable, audited) clock, which is the one deadlines are kept on.
    const clockAt = Math.min(r.timestamp, this.ctx.clock.now());
    const clock = stepLimitDays ? await planClockStart(this.ctx, trx, { id: stepClockId(key), kind: 'step', caseId: c.id, userTaskKey: key, regionCode: String(c.region_code), limitDays: stepLimitDays, at: clockAt }) : null;
    const e = await recordTaskCreated(
      trx,
      {
        userTaskKey: key,
        caseId: c.id,
        caseNo: c.case_no,
        processInstanceKey: str(v.processInstanceKey),
        elementId,
        elementName: model?.name ?? elementId,
        itemCode: c.item_code,
        candidateGroups: list(v.candidateGroupsList ?? v.candidateGroups),
        candidateUsers: list(v.candidateUsersList ?? v.candidateUsers),
        decisions: decisionsFromHeaders(headers) ?? model?.decisions ?? [],
        stepLimitDays,
        assignee: str(v.assignee) || null,
        provinceCode: c.province_code,
        cityCode: c.city_code,
        countyCode: c.county_code,
        at: r.timestamp,
        due: clock ? { dueAt: clock.plan.dueAt, dueOn: clock.plan.dueOn } : null,
      },
      false,
    );
    known.touched.add(key);
    if (!e) return;
    fx.events.push(e);
    fx.steps.set(key, clock);
  }

  private async applyElement(trx: Trx, r: EngineRecord, c: CaseRow | null, fx: Effects): Promise<void> {
    if (!c) return;
    const v = r.value;
    const type = str(v.bpmnElementType);
    const elementId = str(v.elementId);
    if (type === 'PROCESS' && str(v.processInstanceKey) === r.key) {
      if (r.intent === 'ELEMENT_ACTIVATED') return;
      const e = await concludeCase(trx, c, r.intent === 'ELEMENT_COMPLETED' ? 'completed' : 'terminated', r.timestamp);
      if (e) fx.events.push(e);
    } else if (type === 'END_EVENT' && r.intent === 'ELEMENT_COMPLETED' && str(v.flowScopeKey) === str(v.processInstanceKey)) {
      await recordOutcome(trx, c, elementId, r.timestamp);
    } else if (type === 'INTERMEDIATE_CATCH_EVENT' || type === 'RECEIVE_TASK') {
      const fresh = (await trx('cases').where({ id: c.id }).first<CaseRow>()) ?? c;
      await setAwaiting(trx, fresh, r.intent === 'ELEMENT_ACTIVATED' ? elementId : null, r.timestamp);
    }
  }
}

/** The cases and user tasks a batch's records refer to, one query each. */
async function prefetch(trx: Trx, records: EngineRecord[]): Promise<Prefetched> {
  const piks = new Set<string>();
  const keys = new Set<string>();
  for (const r of records) {
    if (r.recordType !== 'EVENT') continue;
    const kind = kindOf(r);
    if (NEEDS_CASE.has(kind)) piks.add(str(r.value.processInstanceKey));
    if (TASK_RECORD.has(kind)) keys.add(taskKeyOf(r));
  }
  const found = piks.size > 0 ? await casesByInstances(trx, [...piks]) : new Map<string, CaseRow>();
  const cases = new Map<string, CaseRow | null>([...piks].map((k) => [k, found.get(k) ?? null]));
  const tasks = new Map<string, TaskRow>();
  const wanted = [...keys];
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await trx('tasks').join('cases', 'cases.id', 'tasks.case_id').whereIn('tasks.user_task_key', wanted.slice(i, i + 500)).select<TaskRow[]>('tasks.*', 'cases.case_no');
    for (const t of rows) tasks.set(String(t.user_task_key), t);
  }
  return { cases, tasks, touched: new Set() };
}

async function lockPosition(trx: Trx, partition: number, now: number): Promise<bigint> {
  // Serialises concurrent deliveries of one partition (a timed-out batch retried while the first
  // attempt still runs). SQLite has a single writer already.
  const read = () => {
    const q = trx('engine_positions').where({ partition_id: partition });
    if (dialectOf(trx) === 'mysql') q.forUpdate();
    return q.first<{ position: string }>('position');
  };
  let row = await read();
  if (!row) {
    await trx('engine_positions').insert({ partition_id: partition, position: '-1', updated_at: now }).onConflict('partition_id').ignore();
    row = await read();
  }
  return BigInt(row?.position ?? '-1');
}
