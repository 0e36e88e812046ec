/**
 * Case writes that follow the engine: linking a case to its process instance, the outcome reached,
 * conclusion. Idempotent like the task commands; each returns an event only when something changed.
 */
import type { Trx } from '../../db/knex.ts';
import { regionsOf, type DomainEvent } from '../../events.ts';
import { appendEvent } from './timeline.ts';
import type { CaseRow } from './records.ts';

export type LinkOutcome =
  | { kind: 'linked'; event: DomainEvent; row: CaseRow }
  | { kind: 'already'; row: CaseRow }
  /** the case already runs on another instance: this one is a duplicate from a retried start */
  | { kind: 'duplicate'; keep: string }
  | { kind: 'unknown' };

export async function linkInstance(trx: Trx, caseId: string, processInstanceKey: string, at: number, processDefinitionKey: string | null = null): Promise<LinkOutcome> {
  const changed = await trx('cases')
    .where({ id: caseId })
    .whereNull('process_instance_key')
    .update({ process_instance_key: processInstanceKey, process_definition_key: processDefinitionKey, status: 'in_progress', started_at: at, next_start_at: null, last_start_error: null });
  const row = await trx('cases').where({ id: caseId }).first<CaseRow>();
  if (!row) return { kind: 'unknown' };
  if (changed === 0) {
    if (row.process_instance_key === processInstanceKey) {
      if (processDefinitionKey && !row.process_definition_key) {
        await noteDefinition(trx, caseId, processDefinitionKey);
        row.process_definition_key = processDefinitionKey;
      }
      return { kind: 'already', row };
    }
    // Only a case visibly linked to another instance makes this one a duplicate to cancel.
    return row.process_instance_key ? { kind: 'duplicate', keep: row.process_instance_key } : { kind: 'unknown' };
  }
  await appendEvent(trx, { caseId, type: 'case.started', data: { processInstanceKey }, at });
  return { kind: 'linked', event: { type: 'case.started', caseId, caseNo: row.case_no, processInstanceKey, regions: regionsOf(row) }, row };
}

/**
 * Which definition the case runs. Set when linking; engine records (which all carry the key) fill it
 * in for a case linked before the column existed.
 */
export async function noteDefinition(trx: Trx, caseId: string, processDefinitionKey: string): Promise<void> {
  await trx('cases').where({ id: caseId }).whereNull('process_definition_key').update({ process_definition_key: processDefinitionKey });
}

export async function caseByInstance(trx: Trx, processInstanceKey: string): Promise<CaseRow | undefined> {
  return trx('cases').where({ process_instance_key: processInstanceKey }).first<CaseRow>();
}

/** The cases of many process instances at once (the ingest reads a whole batch's with one query). */
export async function casesByInstances(trx: Trx, processInstanceKeys: string[]): Promise<Map<string, CaseRow>> {
  const out = new Map<string, CaseRow>();
  for (let i = 0; i < processInstanceKeys.length; i += 500) {
    const rows = await trx('cases').whereIn('process_instance_key', processInstanceKeys.slice(i, i + 500)).select<CaseRow[]>('*');
    for (const r of rows) out.set(String(r.process_instance_key), r);
  }
  return out;
}

/** End events are named `end_<result>`; the outcome is kept until the process itself completes. */
export async function recordOutcome(trx: Trx, c: CaseRow, endEventId: string, at: number): Promise<void> {
  const m = /^end_([a-z_]+)$/.exec(endEventId);
  if (!m?.[1] || c.status === 'concluded') return;
  await trx('cases').where({ id: c.id }).update({ result: m[1] });
  await appendEvent(trx, { caseId: c.id, type: 'case.outcome', elementId: endEventId, data: { result: m[1] }, at });
}

/** The case's result when a 终止 of this kind ends it. */
export const TERMINATION_RESULT: Record<string, string> = { withdrawn: 'applicant_withdrew', statutory: 'terminated' };

export async function concludeCase(trx: Trx, c: CaseRow, how: 'completed' | 'terminated', at: number): Promise<DomainEvent | null> {
  const now = await trx('cases').where({ id: c.id }).first<CaseRow>('result', 'termination_kind');
  // a 终止 recorded before the engine was asked names the result; an outcome already reached stands
  // (a 驳回 moving the token to a refusal's end event ends the instance by cancelling its last step,
  // operations/reject.ts, yet the case was refused); an instance deleted otherwise is 'cancelled'
  const result = how === 'terminated' ? (now?.termination_kind ? (TERMINATION_RESULT[now.termination_kind] ?? 'terminated') : (now?.result ?? 'cancelled')) : (now?.result ?? 'concluded');
  const changed = await trx('cases').where({ id: c.id }).whereNot({ status: 'concluded' }).update({ status: 'concluded', result, concluded_at: at, awaiting: null, suspended_at: null, suspended_clock: false });
  if (changed === 0) return null;
  await appendEvent(trx, { caseId: c.id, type: 'case.concluded', data: { result }, at });
  return { type: 'case.concluded', caseId: c.id, caseNo: c.case_no, itemCode: c.item_code, result, regions: regionsOf(c) };
}

export async function setAwaiting(trx: Trx, c: CaseRow, elementId: string | null, at: number): Promise<void> {
  if (c.awaiting === elementId) return;
  await trx('cases').where({ id: c.id }).update({ awaiting: elementId });
  if (elementId) await appendEvent(trx, { caseId: c.id, type: 'case.awaiting', elementId, at });
}
