import { column, type FieldMap } from '../../authz/sql.ts';
import { subjectOf } from '../../authz/ability.ts';

export type CaseStatus = 'submitted' | 'in_progress' | 'concluded';

export interface CaseRow {
  id: string;
  case_no: string;
  item_code: string;
  applicant: string;
  county_code: string | null;
  city_code: string | null;
  province_code: string | null;
  region_code: string | null;
  status: CaseStatus;
  result: string | null;
  awaiting: string | null;
  bpmn_process_id: string;
  process_version: number | null;
  /** the catalogue version the case was filed under (null: filed before items were versioned) */
  item_version?: number | null;
  process_instance_key: string | null;
  /** the exact definition (deployed version) the instance runs; null until started */
  process_definition_key: string | null;
  idempotency_key: string | null;
  submitted_by: string;
  start_attempts: number;
  next_start_at: number | null;
  last_start_error: string | null;
  submitted_at: number;
  started_at: number | null;
  concluded_at: number | null;
  /** 挂起: set while the case is suspended (migration 0125) */
  suspended_at?: number | null;
  suspended_by?: string | null;
  suspend_reason?: string | null;
  suspend_procedure?: string | null;
  /** the suspension paused the decision clock (a special procedure) */
  suspended_clock?: boolean | number | null;
  /** 终止: why the case was ended before its process did (withdrawn | statutory) */
  termination_kind?: string | null;
  termination_reason?: string | null;
  terminated_by?: string | null;
  terminated_at?: number | null;
  /** the application form (申请表) as filed, JSON (migration 0200) */
  form_data?: string | null;
}

const iso = (ms: number | null) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

/**
 * The case as the authorization rules see it; involvedGroups = candidate groups of its tasks (open
 * or closed), openGroups = those of its open tasks only, copiedTo = the people it was copied to.
 */
export const caseSubject = (r: CaseRow, involvedGroups: string[], openGroups: string[] = [], copiedTo: string[] = []) =>
  subjectOf('Case', {
    regionCode: r.region_code,
    provinceCode: r.province_code,
    cityCode: r.city_code,
    countyCode: r.county_code,
    submittedBy: r.submitted_by,
    involvedGroups,
    openGroups,
    /** 抄送: the people it was copied to (only the reader's own row is loaded) */
    copiedTo,
  });

export const caseFields: FieldMap = {
  regionCode: column('cases.region_code'),
  provinceCode: column('cases.province_code'),
  cityCode: column('cases.city_code'),
  countyCode: column('cases.county_code'),
  submittedBy: column('cases.submitted_by'),
  involvedGroups: (q, _op, value) =>
    void q.whereExists((s) =>
      s
        .select(s.client.raw('1'))
        .from('tasks as it')
        .join('task_candidates as ic', 'ic.user_task_key', 'it.user_task_key')
        .whereRaw('it.case_id = cases.id')
        .andWhere('ic.kind', 'group')
        .whereIn('ic.name', ([] as unknown[]).concat(value) as string[]),
    ),
  openGroups: (q, _op, value) =>
    void q.whereExists((s) =>
      s
        .select(s.client.raw('1'))
        .from('tasks as ot')
        .join('task_candidates as oc', 'oc.user_task_key', 'ot.user_task_key')
        .whereRaw('ot.case_id = cases.id')
        .andWhere('ot.state', 'open')
        .andWhere('oc.kind', 'group')
        .whereIn('oc.name', ([] as unknown[]).concat(value) as string[]),
    ),
  copiedTo: (q, _op, value) =>
    void q.whereExists((s) =>
      s
        .select(s.client.raw('1'))
        .from('case_copies as cc')
        .whereRaw('cc.case_id = cases.id')
        .whereIn('cc.user_id', ([] as unknown[]).concat(value) as string[]),
    ),
};

/** The view of a case; the applicant is passed in already masked (or opened, where allowed). */
export function toCaseView(r: CaseRow, applicant: Record<string, unknown>) {
  return {
    id: r.id,
    caseNo: r.case_no,
    itemCode: r.item_code,
    status: r.status,
    result: r.result,
    awaiting: r.awaiting,
    processInstanceKey: r.process_instance_key,
    applicant,
    regionCode: r.region_code ?? r.county_code ?? r.city_code ?? r.province_code,
    submittedAt: iso(r.submitted_at) as string,
    startedAt: iso(r.started_at),
    concludedAt: iso(r.concluded_at),
    suspension: r.suspended_at ? { since: iso(r.suspended_at) as string, by: r.suspended_by ?? null, reason: r.suspend_reason ?? '', procedure: r.suspend_procedure ?? null, clockPaused: Boolean(r.suspended_clock) } : null,
    // what the applicant's notice says about an early end (终止): kept on the case, not only the timeline
    termination: r.termination_kind ? { kind: r.termination_kind, reason: r.termination_reason ?? '', by: r.terminated_by ?? null, at: iso(r.terminated_at ?? null) } : null,
  };
}
