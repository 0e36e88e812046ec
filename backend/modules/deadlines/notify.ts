/** Stored notifications (so a clerk who reconnects sees what was missed) and urgings (催办). */
import type { Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import { json } from '../../context.ts';
import { appendEvent } from '../cases/timeline.ts';
import { usersOfGroups } from '../identity/directory.ts';

export async function notify(trx: Trx, users: string[], n: { kind: string; caseId: string | null; userTaskKey: string | null; data: Record<string, unknown>; at: number }): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for (const userId of [...new Set(users)]) {
    const [id] = await trx('notifications').insert({ user_id: userId, type: n.kind, case_id: n.caseId, user_task_key: n.userTaskKey, data: json.stringify(n.data), created_at: n.at }, ['id']);
    const notificationId = Number(typeof id === 'object' ? (id as { id: number }).id : id);
    events.push({ type: 'notification.new', userId, notificationId, kind: n.kind, caseId: n.caseId, data: n.data });
  }
  return events;
}

/** Whoever holds a step: its assignee, else everyone of its candidate groups. */
export async function holdersOf(trx: Trx, task: { assignee: string | null; candidate_groups: string }): Promise<string[]> {
  return task.assignee ? [task.assignee] : usersOfGroups(trx, JSON.parse(task.candidate_groups) as string[]);
}

export async function urge(trx: Trx, u: { userTaskKey: string; by: string | null; message: string; at: number }): Promise<DomainEvent[]> {
  const task = await trx('tasks').join('cases', 'cases.id', 'tasks.case_id').where('tasks.user_task_key', u.userTaskKey).first('tasks.*', 'cases.case_no', 'cases.province_code as c_province', 'cases.city_code as c_city', 'cases.county_code as c_county');
  if (!task) return [];
  const [id] = await trx('urgings').insert({ case_id: task.case_id, user_task_key: u.userTaskKey, urged_by: u.by, message: u.message, at: u.at }, ['id']);
  const urgingId = Number(typeof id === 'object' ? (id as { id: number }).id : id);
  await appendEvent(trx, { caseId: task.case_id, type: 'task.urged', actor: u.by, elementId: task.element_id, userTaskKey: u.userTaskKey, data: { message: u.message, urgingId }, at: u.at });
  const recipients = await holdersOf(trx, task);
  const regions = [task.c_province, task.c_city, task.c_county].filter(Boolean) as string[];
  const byName = u.by ? ((await trx('users').where({ id: u.by }).first('display_name'))?.display_name ?? null) : null;
  const notes = await notify(trx, recipients, { kind: 'urge', caseId: task.case_id, userTaskKey: u.userTaskKey, data: { urgingId, message: u.message, by: u.by, byName, caseNo: task.case_no, step: task.element_name }, at: u.at });
  return [{ type: 'task.urged', urgingId, caseId: task.case_id, caseNo: task.case_no, userTaskKey: u.userTaskKey, message: u.message, urgedBy: u.by, urgedByName: byName, recipients, regions }, ...notes];
}
