/**
 * Forms in the life of a case: the item's application form (申请表) checked at intake and kept with
 * the case, a step's own approval form (the step setting `approvalForm`) checked at the decision and
 * kept with it, and both handed to the process as variables so a gateway condition can read them.
 * The schema a case is checked against is the one of the item version it is filed under, and the
 * approval form the one of the definition it runs, so an edited form never changes a running case.
 */
import type { Ctx } from '../../context.ts';
import { json } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Variables, VariableValue } from '../../engine/port.ts';
import { itemAsFiled, type ServiceItem } from '../catalogue/service.ts';
import { stepModel } from '../operations/shared.ts';
import type { TaskRow } from '../tasks/records.ts';
import { checkFormSchema, validateFormData, type FormData, type FormProblem, type FormSchema } from './form-js.ts';

/** Process variables: application form fields as form_<key>, a step's approval form fields as approval_<key>. */
export const APPLICATION_PREFIX = 'form_';
export const APPROVAL_PREFIX = 'approval_';

const invalid = (what: string, problems: FormProblem[]) =>
  new AppError('VALIDATION_FAILED', `${what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`.slice(0, 2000), problems);

/**
 * The application data as it will be stored (JSON), or null for an item without a form. Filing data
 * for an item that has no form is refused too: it would be kept nowhere anyone looks.
 */
export function checkApplication(item: ServiceItem, data: unknown): string | null {
  if (!item.applicationForm) {
    if (data !== undefined && data !== null) throw invalid(`item ${item.code} has no application form`, [{ path: 'body.form', message: 'this item has no application form' }]);
    return null;
  }
  const { data: clean, problems } = validateFormData(item.applicationForm, data, 'body.form');
  if (problems.length > 0) throw invalid('the application form', problems);
  return json.stringify(clean);
}

/** Form data as engine variables: lists stay lists (comma-joined on the wire), objects never occur. */
export function formVariables(data: FormData | null, prefix: string): Variables {
  const out: Variables = {};
  for (const [k, v] of Object.entries(data ?? {})) {
    out[`${prefix}${k}`] = Array.isArray(v) ? v.map(String) : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? (v as VariableValue) : String(v);
  }
  return out;
}

export const applicationVariables = (formData: string | null | undefined): Variables => formVariables(json.parse<FormData | null>(formData, null), APPLICATION_PREFIX);

/** The application form of a case as filed: the schema of its item version and the data. */
export async function caseApplicationForm(ctx: Ctx, r: { item_code: string; item_version?: number | null; form_data?: string | null }) {
  const item = await itemAsFiled(ctx.db, r.item_code, r.item_version);
  if (!item?.applicationForm && !r.form_data) return null;
  return { itemVersion: item?.version ?? null, schema: item?.applicationForm ?? null, data: json.parse<FormData>(r.form_data, {}) };
}

/**
 * A step's approval form, from the step setting `approvalForm` of the definition the case runs: a
 * form-js schema as JSON. One that does not parse or that the server could not check is reported,
 * never silently skipped (deploying it is refused the same way: engine/bpmn.ts).
 */
export function parseApprovalForm(raw: string | undefined, where: string): FormSchema | null {
  if (raw === undefined || raw.trim() === '') return null;
  let schema: unknown;
  try {
    schema = JSON.parse(raw);
  } catch {
    throw new AppError('INVALID_BPMN', `${where}: the step setting approvalForm is not JSON (a form-js schema)`);
  }
  const problems = checkFormSchema(schema, 'approvalForm');
  if (problems.length > 0) throw new AppError('INVALID_BPMN', `${where}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  return schema as FormSchema;
}

export async function approvalFormOf(ctx: Ctx, t: TaskRow): Promise<FormSchema | null> {
  const step = await stepModel(ctx, t);
  return parseApprovalForm(step?.settings.approvalForm, `step ${t.element_id}`);
}

/** The approval data as it will be stored (JSON) and as variables; null when the step has no form. */
export async function checkApproval(ctx: Ctx, t: TaskRow, data: unknown): Promise<{ stored: string; variables: Variables } | null> {
  const schema = await approvalFormOf(ctx, t);
  if (!schema) {
    if (data !== undefined && data !== null) throw invalid(`step ${t.element_name} has no approval form`, [{ path: 'body.form', message: 'this step has no approval form' }]);
    return null;
  }
  const { data: clean, problems } = validateFormData(schema, data, 'body.form');
  if (problems.length > 0) throw invalid(`the approval form of ${t.element_name}`, problems);
  return { stored: json.stringify(clean), variables: formVariables(clean, APPROVAL_PREFIX) };
}

/** The approval forms filled in on a case's decided steps, oldest first, for the case page. */
export async function caseApprovalForms(ctx: Ctx, caseId: string) {
  const rows = await ctx.db('tasks').where({ case_id: caseId, state: 'completed' }).whereNotNull('form_data').orderBy('ended_at', 'asc').select<TaskRow[]>('*');
  const out = [];
  for (const r of rows) {
    const schema = await approvalFormOf(ctx, r).catch(() => null);
    out.push({ userTaskKey: r.user_task_key, elementId: r.element_id, name: r.element_name, completedBy: r.completed_by, decision: r.decision, schema, data: json.parse<FormData>((r as TaskRow & { form_data: string }).form_data, {}) });
  }
  return out;
}
