/**
 * Keeping the catalogue: administrators create items and edit them. Each change writes a new version
 * (a full snapshot) and is audited; cases keep the version they were filed under. Which process
 * version a live item starts is not edited here: that binding goes through the four-eyes change
 * request of bindProcess, and so does moving a live item to another process.
 */
import type { Ctx, Identity } from '../../context.ts';
import { json } from '../../context.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { authorize } from '../../authz/ability.ts';
import { appendAudit } from '../audit/service.ts';
import { checkItemCode } from './code.ts';
import { checkFormSchema } from '../forms/form-js.ts';
import type { ItemFields } from './schema.ts';
import { findItem, recordVersion, type ServiceItem } from './service.ts';

const invalid = (problems: Array<{ path: string; message: string }>) => new AppError('VALIDATION_FAILED', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);

/** Cross-field and cross-table checks zod cannot make: the code's structure, the department, the process. */
async function check(ctx: Ctx, fields: ItemFields, code?: string): Promise<void> {
  const problems: Array<{ path: string; message: string }> = [];
  if (code !== undefined) for (const message of checkItemCode(code, fields.itemType).problems) problems.push({ path: 'body.code', message });
  if (!(await ctx.db('org_units').where({ kind: 'department', department: fields.department }).first('code'))) problems.push({ path: 'body.department', message: `no department ${fields.department} in the organisation` });
  if (!(await ctx.db('process_definitions').where({ bpmn_process_id: fields.processId }).first('definition_key'))) problems.push({ path: 'body.processId', message: `process ${fields.processId} is not deployed` });
  if (fields.applicationForm) problems.push(...checkFormSchema(fields.applicationForm, 'body.applicationForm'));
  if (problems.length > 0) throw invalid(problems);
}

const columns = (f: ItemFields) => ({
  name: f.name,
  item_type: f.itemType,
  department: f.department,
  handling_level: f.handlingLevel,
  implementing_body: f.implementingBody,
  legal_basis: f.legalBasis,
  statutory_limit_days: f.statutoryLimitDays,
  promised_limit_days: f.promisedLimitDays,
  materials: json.stringify(f.materials),
  fees: json.stringify(f.fees),
  process_id: f.processId,
  process_settings: json.stringify(f.processSettings),
  active: f.active,
  // left out of the body: the form stays as it is
  ...(f.applicationForm === undefined ? {} : { application_form: f.applicationForm === null ? null : json.stringify(f.applicationForm) }),
});

export async function createItem(ctx: Ctx, who: Identity, input: ItemFields & { code: string }, ip: string | null): Promise<ServiceItem> {
  authorize(who, 'manage', 'Item');
  const { code, ...fields } = input;
  await check(ctx, fields, code);
  if (await findItem(ctx.db, code)) throw conflict(`service item ${code} already exists`);
  const at = ctx.clock.now();
  return ctx.db.transaction(async (trx) => {
    await trx('service_items').insert({ code, ...columns(fields), process_version: null, version: 1, created_at: at, updated_at: at });
    const item = await recordVersion(trx, code, who.userId, at);
    await appendAudit(trx, { actor: who.userId, action: 'item.created', subject: 'Item', subjectId: code, reason: `v1 ${fields.name}`, ip, at });
    return item;
  });
}

const EDITABLE: Array<keyof ItemFields> = ['name', 'itemType', 'department', 'handlingLevel', 'implementingBody', 'legalBasis', 'statutoryLimitDays', 'promisedLimitDays', 'materials', 'fees', 'processId', 'processSettings', 'active', 'applicationForm'];

export async function updateItem(ctx: Ctx, who: Identity, code: string, fields: ItemFields, ip: string | null): Promise<ServiceItem> {
  authorize(who, 'manage', 'Item');
  const item = await findItem(ctx.db, code);
  if (!item) throw notFound('service item', code);
  const changed = EDITABLE.filter((k) => fields[k] !== undefined && json.stringify(item[k]) !== json.stringify(fields[k]));
  if (changed.length === 0) return item; // a retry writes no second version
  if (changed.includes('processId') && item.active) throw conflict(`item ${code} is live: moving it to another process is a binding, which a second person approves (PUT /api/items/${code}/process after deactivating, or a change request)`);
  if (changed.includes('itemType') && checkItemCode(code, fields.itemType).problems.length > 0) throw invalid([{ path: 'body.itemType', message: `code ${code} names another item type` }]);
  await check(ctx, fields);
  const at = ctx.clock.now();
  const next = item.version + 1;
  return ctx.db.transaction(async (trx) => {
    // the version is taken from the row as read: two editors racing cannot both write version `next`
    const updated = await trx('service_items').where({ code, version: item.version }).update({ ...columns(fields), version: next, updated_at: at });
    if (Number(updated) !== 1) throw conflict(`item ${code} was changed meanwhile: reload it and edit again`);
    const saved = await recordVersion(trx, code, who.userId, at);
    await appendAudit(trx, { actor: who.userId, action: 'item.updated', subject: 'Item', subjectId: code, reason: `v${item.version} → v${next}: ${changed.join(', ')}`, ip, at });
    return saved;
  });
}

export async function itemVersions(ctx: Ctx, code: string) {
  if (!(await findItem(ctx.db, code))) throw notFound('service item', code);
  const rows = await ctx.db('service_item_versions').where({ item_code: code }).orderBy('version', 'desc');
  return rows.map((r) => ({ version: Number(r.version), createdBy: r.created_by ?? null, createdAt: new Date(Number(r.created_at)).toISOString(), item: json.parse<Record<string, unknown>>(String(r.content), {}) }));
}
