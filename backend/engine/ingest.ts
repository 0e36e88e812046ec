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
import { caseByInstance, concludeCase, linkInstance, noteDefinition, recordOutcome, setAwaiting } from '../modules/cases/commands.ts';
import type { CaseRow } from '../modules/cases/records.ts';
import { markTaskCanceled, markTaskCompleted, recordTaskCreated } from '../modules/tasks/commands.ts';
import { list, str, type EngineRecord } from './records.ts';
import { decisionsFromHeaders, ProcessModels } from './process-models.ts';
import { cancelDuplicate } from './starter.ts';
import { followEvent } from '../modules/deadlines/follow.ts';

interface Effects {
  events: DomainEvent[];
  duplicates: Array<{ caseId: string; processInstanceKey: string }>;
}

export class Ingest {
  readonly models: ProcessModels;

  constructor(private readonly ctx: Ctx) {
    this.models = new ProcessModels(ctx.db);
  }

  async apply(records: EngineRecord[]): Promise<{ applied: number; skipped: number }> {
    const byPartition = new Map<number, EngineRecord[]>();
    for (const r of records) byPartition.set(r.partitionId, [...(byPartition.get(r.partitionId) ?? []), r]);
    let applied = 0;
    let skipped = 0;
    for (const [partition, recs] of byPartition) {
      const effects: Effects = { events: [], duplicates: [] };
      await this.ctx.db.transaction(async (trx) => {
        const last = await lockPosition(trx, partition, this.ctx.clock.now());
        let highest = last;
        const cases = new Map<string, CaseRow | null>();
        for (const r of recs) {
          const pos = BigInt(r.position);
          if (pos <= highest) {
            skipped++;
            continue;
          }
          highest = pos;
          applied++;
          const before = effects.events.length;
          await this.applyOne(trx, r, cases, effects);
          // Legal clocks start when the engine says the step began — never later than the back office's
          // own (controllable, audited) clock, which is the one deadlines are kept on.
          for (const e of effects.events.slice(before)) await followEvent(this.ctx, trx, e, Math.min(r.timestamp, this.ctx.clock.now()));
        }
        if (highest > last) await trx('engine_positions').where({ partition_id: partition }).update({ position: highest.toString(), updated_at: this.ctx.clock.now() });
      });
      this.ctx.events.publish(effects.events);
      for (const d of effects.duplicates) {
        await cancelDuplicate(this.ctx, d.caseId, d.processInstanceKey).catch((err: unknown) => this.ctx.log.error({ err, ...d }, 'could not cancel duplicate process instance'));
      }
    }
    return { applied, skipped };
  }

  private async applyOne(trx: Trx, r: EngineRecord, cases: Map<string, CaseRow | null>, fx: Effects): Promise<void> {
    if (r.recordType !== 'EVENT') return;
    const v = r.value;
    const pik = str(v.processInstanceKey);
    const caseOf = async (): Promise<CaseRow | null> => {
      if (!cases.has(pik)) cases.set(pik, (await caseByInstance(trx, pik)) ?? null);
      return cases.get(pik) ?? null;
    };
    const at = r.timestamp;

    switch (`${r.valueType}:${r.intent}`) {
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
        cases.delete(pik);
        return;
      }
      case 'USER_TASK:CREATED': {
        const c = await caseOf();
        if (!c) return; // an instance that is not one of our cases (another tenant, a duplicate)
        if (!c.process_definition_key && str(v.processDefinitionKey)) await noteDefinition(trx, c.id, str(v.processDefinitionKey));
        const headers = (v.customHeaders ?? {}) as Record<string, string>;
        const elementId = str(v.elementId);
        const model = await this.models.userTask(trx, str(v.processDefinitionKey), elementId);
        const e = await recordTaskCreated(trx, {
          userTaskKey: str(v.userTaskKey) || r.key,
          caseId: c.id,
          caseNo: c.case_no,
          processInstanceKey: pik,
          elementId,
          elementName: model?.name ?? elementId,
          itemCode: c.item_code,
          candidateGroups: list(v.candidateGroupsList ?? v.candidateGroups),
          candidateUsers: list(v.candidateUsersList ?? v.candidateUsers),
          decisions: decisionsFromHeaders(headers) ?? model?.decisions ?? [],
          stepLimitDays: Number(headers.stepLimitDays) > 0 ? Number(headers.stepLimitDays) : (model?.stepLimitDays ?? null),
          assignee: str(v.assignee) || null,
          provinceCode: c.province_code,
          cityCode: c.city_code,
          countyCode: c.county_code,
          at,
        });
        if (e) fx.events.push(e);
        return;
      }
      case 'USER_TASK:COMPLETED': {
        const vars = (v.variables ?? {}) as Record<string, unknown>;
        const e = await markTaskCompleted(trx, str(v.userTaskKey) || r.key, {
          decision: typeof vars.decision === 'string' ? vars.decision : null,
          opinion: typeof vars.opinion === 'string' ? vars.opinion : null,
          completedBy: null,
          at,
        });
        if (e) fx.events.push(e);
        return;
      }
      case 'USER_TASK:CANCELED': {
        const e = await markTaskCanceled(trx, str(v.userTaskKey) || r.key, at);
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
          await trx('case_events').insert({ case_id: c.id, type: 'engine.incident', element_id: str(v.elementId) || null, data: JSON.stringify({ errorType: v.errorType, errorMessage: v.errorMessage }), at });
          this.ctx.log.warn({ caseId: c.id, errorType: v.errorType, errorMessage: v.errorMessage }, 'engine incident');
        }
        return;
      }
      default:
        return;
    }
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

async function lockPosition(trx: Trx, partition: number, now: number): Promise<bigint> {
  await trx('engine_positions').insert({ partition_id: partition, position: '-1', updated_at: now }).onConflict('partition_id').ignore();
  const q = trx('engine_positions').where({ partition_id: partition });
  // Serialises concurrent deliveries of one partition (a timed-out batch retried while the first
  // attempt still runs). SQLite has a single writer already.
  if (dialectOf(trx) === 'mysql') q.forUpdate();
  const row = await q.first<{ position: string }>('position');
  return BigInt(row?.position ?? '-1');
}
