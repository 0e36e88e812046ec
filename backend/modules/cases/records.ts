import { json } from '../../context.ts';

export type CaseStatus = 'submitted' | 'in_progress' | 'concluded';

export interface CaseRow {
  id: string;
  case_no: string;
  item_code: string;
  applicant: string;
  county_code: string | null;
  city_code: string | null;
  province_code: string | null;
  status: CaseStatus;
  result: string | null;
  awaiting: string | null;
  bpmn_process_id: string;
  process_version: number | null;
  process_instance_key: string | null;
  idempotency_key: string | null;
  submitted_by: string;
  start_attempts: number;
  next_start_at: number | null;
  last_start_error: string | null;
  submitted_at: number;
  started_at: number | null;
  concluded_at: number | null;
}

const iso = (ms: number | null) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export function toCaseView(r: CaseRow) {
  return {
    id: r.id,
    caseNo: r.case_no,
    itemCode: r.item_code,
    status: r.status,
    result: r.result,
    awaiting: r.awaiting,
    processInstanceKey: r.process_instance_key,
    applicant: json.parse<Record<string, unknown>>(r.applicant, {}),
    regionCode: r.county_code ?? r.city_code ?? r.province_code,
    submittedAt: iso(r.submitted_at) as string,
    startedAt: iso(r.started_at),
    concludedAt: iso(r.concluded_at),
  };
}
