/** Task rows ↔ the shapes the API and domain events use. */
import { json } from '../../context.ts';
import { regionsOf, type TaskSummary } from '../../events.ts';
import { column, type FieldMap } from '../../authz/sql.ts';
import { subjectOf } from '../../authz/ability.ts';

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
  province_code?: string | null;
  city_code?: string | null;
  county_code?: string | null;
  sort_key?: string;
  /** the step clock's due moment and day, and the level it reached (deadlines module) */
  due_at?: number | null;
  due_on?: string | null;
  due_provisional?: boolean | number | null;
  level?: DeadlineLevel;
  /** 委派: the delegating owner while the assignee (the delegate) holds the task */
  owner?: string | null;
  /** 退回 "straight back to me": after the correction the task jumps to this step and person */
  return_to_element?: string | null;
  return_to_user?: string | null;
  /** the step's approval form as decided (JSON; migration 0200) */
  form_data?: string | null;
  /** 加签: the person added as a signer while they hold the task, in which position, added by whom */
  signer?: string | null;
  sign_position?: 'before' | 'after' | null;
  sign_by?: string | null;
}

export type DeadlineLevel = 'none' | 'warning' | 'yellow' | 'red';

/**
 * The queue's tie-breaker after created_at: any total order will do, so the engine's opaque task id
 * itself (numeric ids are zero-padded so that they sort as numbers, as rows from before 0010 do).
 */
export const sortKeyOf = (userTaskKey: string): string => (/^\d+$/.test(userTaskKey) ? userTaskKey.padStart(20, '0') : userTaskKey);

/** The task as the authorization rules see it. */
export const taskSubject = (r: TaskRow) =>
  subjectOf('Task', {
    candidateGroups: json.parse<string[]>(r.candidate_groups, []),
    assignee: r.assignee,
    completedBy: r.completed_by,
    owner: r.owner ?? null,
    signer: r.signer ?? null,
    provinceCode: r.province_code ?? null,
    cityCode: r.city_code ?? null,
    countyCode: r.county_code ?? null,
  });

/** The same fields in SQL, for lists filtered by the rules. */
export const taskFields: FieldMap = {
  candidateGroups: (q, _op, value) =>
    void q.whereExists((s) =>
      s.select(s.client.raw('1')).from('task_candidates as tc').whereRaw('tc.user_task_key = tasks.user_task_key').andWhere('tc.kind', 'group').whereIn('tc.name', ([] as unknown[]).concat(value) as string[]),
    ),
  assignee: column('tasks.assignee'),
  completedBy: column('tasks.completed_by'),
  owner: column('tasks.owner'),
  signer: column('tasks.signer'),
  provinceCode: column('tasks.province_code'),
  cityCode: column('tasks.city_code'),
  countyCode: column('tasks.county_code'),
};

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
    dueAt: iso(r.due_at ?? null),
    dueOn: r.due_on ?? null,
    /** the due day rests on a year not yet published (暂定) */
    dueProvisional: Boolean(r.due_provisional),
    level: r.level ?? 'none',
    owner: r.owner ?? null,
    returnToElement: r.return_to_element ?? null,
    signer: r.signer ?? null,
    signPosition: r.sign_position ?? null,
    signBy: r.sign_by ?? null,
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
    regions: regionsOf(r),
  };
}
