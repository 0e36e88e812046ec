/** Task rows ↔ the shapes the API and domain events use. */
import { json } from '../../context.ts';
import type { TaskSummary } from '../../events.ts';

export type TaskState = 'open' | 'completed' | 'canceled';

export interface TaskRow {
  user_task_key: string;
  case_id: string;
  case_no?: string;
  process_instance_key: string;
  element_id: string;
  element_name: string;
  item_code: string;
  candidate_groups: string;
  candidate_users: string;
  decisions: string;
  step_limit_days: number | null;
  assignee: string | null;
  state: TaskState;
  completing_by: string | null;
  decision: string | null;
  opinion: string | null;
  completed_by: string | null;
  created_at: number;
  claimed_at: number | null;
  ended_at: number | null;
}

const iso = (ms: number | null) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export function toTaskView(r: TaskRow) {
  return {
    userTaskKey: String(r.user_task_key),
    caseId: r.case_id,
    caseNo: r.case_no ?? null,
    itemCode: r.item_code,
    elementId: r.element_id,
    name: r.element_name,
    candidateGroups: json.parse<string[]>(r.candidate_groups, []),
    candidateUsers: json.parse<string[]>(r.candidate_users, []),
    decisions: json.parse<string[]>(r.decisions, []),
    stepLimitDays: r.step_limit_days === null ? null : Number(r.step_limit_days),
    assignee: r.assignee,
    state: r.state,
    decision: r.decision,
    opinion: r.opinion,
    completedBy: r.completed_by,
    createdAt: iso(r.created_at),
    claimedAt: iso(r.claimed_at),
    endedAt: iso(r.ended_at),
  };
}

export type TaskView = ReturnType<typeof toTaskView>;

export function toSummary(r: TaskRow, caseNo: string): TaskSummary {
  return {
    userTaskKey: String(r.user_task_key),
    caseId: r.case_id,
    caseNo,
    itemCode: r.item_code,
    elementId: r.element_id,
    elementName: r.element_name,
    candidateGroups: json.parse<string[]>(r.candidate_groups, []),
    candidateUsers: json.parse<string[]>(r.candidate_users, []),
    assignee: r.assignee,
  };
}
