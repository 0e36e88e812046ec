/** The service-item catalogue (事项库): what licences are offered, their limits and their process. */
import type { Db } from '../../db/knex.ts';
import { json } from '../../context.ts';

export interface ServiceItem {
  code: string;
  name: string;
  itemType: string;
  department: string;
  handlingLevel: 'county' | 'city' | 'province';
  implementingBody: string;
  legalBasis: string;
  statutoryLimitDays: number;
  promisedLimitDays: number;
  materials: Array<{ name: string; required: boolean }>;
  processId: string;
  processVersion: number | null;
  processSettings: ProcessSettings;
  active: boolean;
}

/** Per-item inputs the BPMN needs besides the case itself. */
export interface ProcessSettings {
  /** departments that countersign in a joint approval, e.g. ["NR","EE","WR"] at the handling level */
  jointDepartments?: string[];
  leadDepartment?: string;
  /** how long the applicant has to supplement materials (ISO-8601 duration) */
  correctionWindow?: string;
}

type Row = Record<string, unknown>;

function toItem(r: Row): ServiceItem {
  return {
    code: String(r.code),
    name: String(r.name),
    itemType: String(r.item_type),
    department: String(r.department),
    handlingLevel: r.handling_level as ServiceItem['handlingLevel'],
    implementingBody: String(r.implementing_body),
    legalBasis: String(r.legal_basis),
    statutoryLimitDays: Number(r.statutory_limit_days),
    promisedLimitDays: Number(r.promised_limit_days),
    materials: json.parse(r.materials as string, []),
    processId: String(r.process_id),
    processVersion: r.process_version === null || r.process_version === undefined ? null : Number(r.process_version),
    processSettings: json.parse(r.process_settings as string, {}),
    active: Boolean(r.active),
  };
}

export async function listItems(db: Db): Promise<ServiceItem[]> {
  const rows = await db('service_items').where({ active: true }).orderBy('code');
  return rows.map(toItem);
}

export async function findItem(db: Db, code: string): Promise<ServiceItem | null> {
  const row = await db('service_items').where({ code }).first();
  return row ? toItem(row) : null;
}
