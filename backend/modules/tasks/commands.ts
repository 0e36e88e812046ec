/**
 * Writes that follow the engine. Each is idempotent — a redelivered engine record or a retried API
 * call finds the row already in the target state and changes nothing — and returns the domain event
 * to publish only when it actually changed something, so an event is raised exactly once.
 */
import type { Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import { json } from '../../context.ts';
import { insertRows, updateCollected } from '../../db/batch.ts';
import { appendEvent } from '../cases/timeline.ts';
import { sortKeyOf, toSummary, type TaskRow } from './records.ts';

export interface NewTask {
  userTaskKey: string;
  caseId: string;
  caseNo: string;
  processInstanceKey: string;
  elementId: string;
  elementName: string;
  itemCode: string;
  candidateGroups: string[];
  candidateUsers: string[];
  decisions: string[];
  stepLimitDays: number | null;
  assignee: string | null;
  /** the case's region codes, copied so supervision scopes filter tasks without a join */
  provinceCode: string | null;
  cityCode: string | null;
  countyCode: string | null;
  at: number;
  /** the step clock's deadline, when it was planned before the task is written */
  due?: { dueAt: number; dueOn: string; provisional?: boolean } | null;
  /** 退回 "straight back to me": where the task jumps after the correction (operations module) */
  returnTo?: { elementId: string; userId: string | null } | null;
}

/**
 * `exists` here and `known` below let a caller that already read the rows in this transaction (the
 * engine ingest reads a whole batch's tasks with one query) spare the lookup; left out, it is done.
 * A row read earlier is safe to pass: every write below is conditional on the state it expects.
 */
export async function recordTaskCreated(trx: Trx, t: NewTask, exists?: boolean): Promise<DomainEvent | null> {
  if (exists ?? (await trx('tasks').where({ user_task_key: t.userTaskKey }).first('user_task_key'))) return null;
  const row: TaskRow = {
    user_task_key: t.userTaskKey,
    case_id: t.caseId,
    process_instance_key: t.processInstanceKey,
    element_id: t.elementId,
    element_name: t.elementName,
    item_code: t.itemCode,
    candidate_groups: json.stringify(t.candidateGroups),
    candidate_users: json.stringify(t.candidateUsers),
    decisions: json.stringify(t.decisions),
    step_limit_days: t.stepLimitDays,
    assignee: t.assignee,
    state: 'open',
    completing_by: null,
    decision: null,
    opinion: null,
    completed_by: null,
    created_at: t.at,
    claimed_at: t.assignee ? t.at : null,
    ended_at: null,
    province_code: t.provinceCode,
    city_code: t.cityCode,
    county_code: t.countyCode,
    sort_key: sortKeyOf(t.userTaskKey),
    due_at: t.due?.dueAt ?? null,
    due_on: t.due?.dueOn ?? null,
    due_provisional: t.due?.provisional ?? false,
    level: 'none',
    ...(t.returnTo ? { return_to_element: t.returnTo.elementId, return_to_user: t.returnTo.userId } : {}),
  };
  await trx('tasks').insert(row);
  const candidates = [
    ...new Set(t.candidateGroups.map((g) => `group\u0000${g}`).concat(t.candidateUsers.map((u) => `user\u0000${u}`))),
  ].map((k) => {
    const [kind, name] = k.split('\u0000');
    // state and sort keys copied so a group's queue is one index range (migration 0009)
    return { user_task_key: t.userTaskKey, kind, name, state: 'open', created_at: t.at, sort_key: row.sort_key, due_at: row.due_at, level: row.level };
  });
  await insertRows(trx, 'task_candidates', candidates);
  await appendEvent(trx, {
    caseId: t.caseId,
    type: 'task.created',
    elementId: t.elementId,
    userTaskKey: t.userTaskKey,
    data: { name: t.elementName, candidateGroups: t.candidateGroups },
    at: t.at,
  });
  return { type: 'task.created', task: toSummary(row, t.caseNo) };
}

/**
 * The candidate rows carry copies of their task's state, due date and level, which group queues
 * sort and filter by (migration 0009): every write that changes those on a task calls this in the
 * same transaction — also for rows an ingest batch has collected but not written yet.
 */
export async function copyToCandidates(trx: Trx, key: string, fields: { state?: TaskRow['state']; due_at?: number | null; level?: string }): Promise<void> {
  const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return;
  updateCollected(trx, 'task_candidates', { user_task_key: key }, set);
  await trx('task_candidates').where({ user_task_key: key }).update(set);
}

/** A task row with its case number, as every close of a task reads it. */
export async function loadWithCaseNo(trx: Trx, key: string): Promise<TaskRow | undefined> {
  return trx('tasks').join('cases', 'cases.id', 'tasks.case_id').where('tasks.user_task_key', key).first<TaskRow>('tasks.*', 'cases.case_no');
}

export async function markTaskCompleted(
  trx: Trx,
  key: string,
  c: { decision: string | null; opinion: string | null; completedBy: string | null; at: number },
  known?: TaskRow | null,
): Promise<DomainEvent | null> {
  const before = known === undefined ? await loadWithCaseNo(trx, key) : known;
  if (!before || before.state !== 'open') return null;
  const completedBy = before.completing_by ?? c.completedBy ?? before.assignee;
  const changed = await trx('tasks')
    .where({ user_task_key: key, state: 'open' })
    .update({ state: 'completed', decision: c.decision ?? before.decision, opinion: c.opinion ?? before.opinion, completed_by: completedBy, ended_at: c.at });
  if (changed === 0) return null;
  await copyToCandidates(trx, key, { state: 'completed' });
  await appendEvent(trx, {
    caseId: before.case_id,
    type: 'task.completed',
    actor: completedBy,
    elementId: before.element_id,
    userTaskKey: key,
    data: { name: before.element_name, decision: c.decision ?? before.decision, opinion: c.opinion ?? before.opinion },
    at: c.at,
  });
  return { type: 'task.completed', task: toSummary(before, before.case_no ?? ''), decision: c.decision ?? before.decision, completedBy };
}

/** `reason`: how the engine removed it (boundary event, modification, completion condition, delete). */
export async function markTaskCanceled(trx: Trx, key: string, at: number, known?: TaskRow | null, reason: string | null = null): Promise<DomainEvent | null> {
  const before = known === undefined ? await loadWithCaseNo(trx, key) : known;
  if (!before || before.state !== 'open') return null;
  const changed = await trx('tasks').where({ user_task_key: key, state: 'open' }).update({ state: 'canceled', ended_at: at });
  if (changed === 0) return null;
  await copyToCandidates(trx, key, { state: 'canceled' });
  await appendEvent(trx, {
    caseId: before.case_id,
    type: 'task.canceled',
    elementId: before.element_id,
    userTaskKey: key,
    data: { name: before.element_name, ...(reason ? { reason } : {}) },
    at,
  });
  return { type: 'task.canceled', task: toSummary(before, before.case_no ?? '') };
}
