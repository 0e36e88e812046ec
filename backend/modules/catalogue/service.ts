/** The service-item catalogue (事项库): what licences are offered, their limits and their process. */
import type { Db, Trx } from '../../db/knex.ts';
import { json, type Ctx, type Identity } from '../../context.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { abilityFor, subjectOf } from '../../authz/ability.ts';
import { appendAudit } from '../audit/service.ts';
import type { FormSchema } from '../forms/form-js.ts';
import { registerApplier, requestChange, type ChangeRequestView } from '../approvals/service.ts';

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
  materials: Array<{ name: string; required: boolean; rules?: Record<string, unknown> }>;
  fees: Array<{ name: string; amountYuan: number; basis: string }>;
  /** the current catalogue version (a case keeps the one it was filed under) */
  version: number;
  processId: string;
  processVersion: number | null;
  processSettings: ProcessSettings;
  active: boolean;
  /** the application form (申请表), a form-js schema; null: the item has none */
  applicationForm: FormSchema | null;
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
    fees: json.parse(r.fees as string | null, []),
    version: r.version === null || r.version === undefined ? 1 : Number(r.version),
    processId: String(r.process_id),
    processVersion: r.process_version === null || r.process_version === undefined ? null : Number(r.process_version),
    processSettings: json.parse(r.process_settings as string, {}),
    active: Boolean(r.active),
    applicationForm: json.parse<FormSchema | null>(r.application_form as string | null, null),
  };
}

export async function listItems(db: Db, includeInactive = false): Promise<ServiceItem[]> {
  const rows = await db('service_items').modify((q) => void (includeInactive ? q : q.where({ active: true }))).orderBy('code');
  return rows.map(toItem);
}

export async function findItem(db: Db | Trx, code: string): Promise<ServiceItem | null> {
  const row = await db('service_items').where({ code }).first();
  return row ? toItem(row) : null;
}

/** The item as a case filed under `version` sees it (the current item when that version was never recorded). */
export async function itemAsFiled(db: Db | Trx, code: string, version: number | null | undefined): Promise<ServiceItem | null> {
  if (version !== null && version !== undefined) {
    const row = await db('service_item_versions').where({ item_code: code, version }).first('content');
    // a snapshot written before forms existed has no applicationForm: that version had none
    if (row) {
      const item = json.parse<ServiceItem | null>(String(row.content), null);
      return item ? { ...item, applicationForm: item.applicationForm ?? null } : null;
    }
  }
  return findItem(db, code);
}

/** Writes the item's current row as its version snapshot (in the transaction that changed it). */
export async function recordVersion(trx: Db | Trx, code: string, by: string | null, at: number): Promise<ServiceItem> {
  const item = (await findItem(trx, code)) as ServiceItem;
  await trx('service_item_versions').insert({ item_code: code, version: item.version, content: json.stringify(item), created_by: by, created_at: at }).onConflict(['item_code', 'version']).merge(['content']);
  return item;
}

/**
 * Binds the version new cases of an item start (null: always the latest deployed). Cases already
 * running keep their version; the case starter reads the binding when it starts a case. Audited,
 * because it changes how applications are handled from then on.
 */
export async function bindProcess(ctx: Ctx, who: Identity, code: string, version: number | null, ip: string | null): Promise<ServiceItem | { pending: ChangeRequestView }> {
  const item = await findItem(ctx.db, code);
  if (!item) throw notFound('service item', code);
  const owner = await ctx.db('process_owners').where({ bpmn_process_id: item.processId }).first('department');
  const processDepartment = owner ? String(owner.department) : null;
  if (!abilityFor(who).can('bind', subjectOf('Item', { processDepartment }))) {
    throw forbidden(`only designers of ${processDepartment ? `department ${processDepartment}, which owns process ${item.processId},` : 'the owning department'} or administrators choose the version item ${code} starts`);
  }
  if (version !== null && !(await ctx.db('process_definitions').where({ bpmn_process_id: item.processId, version }).first('definition_key'))) {
    throw new AppError('VALIDATION_FAILED', `body.version: version ${version} of process ${item.processId} is not deployed`, [{ path: 'body.version', message: `a deployed version of ${item.processId}` }]);
  }
  const label = (v: number | null) => (v === null ? 'latest' : `v${v}`);
  // a live item changes how applications are handled from the next case on: a second person approves (四眼原则)
  if (item.active) {
    const summary = `bind item ${code} to ${item.processId} ${label(version)} (now ${label(item.processVersion)})`;
    return { pending: await requestChange(ctx, who, { kind: 'bind', department: processDepartment ?? item.department, summary, payload: { code, version }, ip }) };
  }
  return applyBinding(ctx, who.userId, item, version, ip);
}

registerApplier('bind', async (ctx, requester, payload, ip) => {
  const item = await findItem(ctx.db, String(payload.code));
  if (!item) throw notFound('service item', String(payload.code));
  return applyBinding(ctx, requester, item, payload.version === null ? null : Number(payload.version), ip);
});

async function applyBinding(ctx: Ctx, by: string, item: ServiceItem, version: number | null, ip: string | null): Promise<ServiceItem> {
  const code = item.code;
  const at = ctx.clock.now();
  const label = (v: number | null) => (v === null ? 'latest' : `v${v}`);
  await ctx.db.transaction(async (trx) => {
    // a binding is a change of the item like any other: a new version, which cases filed later keep
    await trx('service_items').where({ code }).update({ process_version: version, version: item.version + 1, updated_at: at });
    await recordVersion(trx, code, by, at);
    await appendAudit(trx, { actor: by, action: 'item.process-bound', subject: 'Item', subjectId: code, reason: `${item.processId}: ${label(item.processVersion)} → ${label(version)}`, ip, at });
  });
  ctx.log.info({ by, itemCode: code, processId: item.processId, version }, 'item bound to process version');
  return (await findItem(ctx.db, code)) as ServiceItem;
}
