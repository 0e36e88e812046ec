/**
 * The case register (办件库). Submission records the case first and starts the engine second: the
 * row is the durable promise, the starter (engine/starter.ts) keeps it until a process instance runs.
 * A broker outage therefore never loses a submission — it is accepted (202) and started later.
 */
import { randomUUID } from 'node:crypto';
import type { Variables } from '../../engine/port.ts';
import type { Ctx, Identity } from '../../context.ts';
import type { Db, Trx } from '../../db/knex.ts';
import { json } from '../../context.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';
import { abilityFor, type Action } from '../../authz/ability.ts';
import { regionsOf } from '../../events.ts';
import { appendAudit } from '../audit/service.ts';
import { findItem, type ServiceItem } from '../catalogue/service.ts';
import { appendEvent, timelineOf } from './timeline.ts';
import { caseSubject, toCaseView, type CaseRow } from './records.ts';
import { mask, open, seal } from './personal-data.ts';
import { applicantDigests } from './search-index.ts';
import { casePageExtras } from './page.ts';
import { namedGroup, namesFor, splitGroup } from '../org/names.ts';
import type { SubmitCaseBody } from './schema.ts';
import { applicationVariables, checkApplication } from '../forms/index.ts';

const LEVEL_DEPTH = { province: 1, city: 2, county: 3 } as const;

export interface Region {
  provinceCode: string;
  cityCode: string | null;
  countyCode: string | null;
}

export function regionOf(code: string): Region {
  const parts = code.split('-');
  return {
    provinceCode: parts[0] as string,
    cityCode: parts.length >= 2 ? parts.slice(0, 2).join('-') : null,
    countyCode: parts.length >= 3 ? parts.join('-') : null,
  };
}

/** The variables a case's process starts with; the BPMN builds candidate groups from them. */
export function processVariables(c: Pick<CaseRow, 'id' | 'case_no' | 'item_code' | 'county_code' | 'city_code' | 'province_code' | 'form_data'>, item: ServiceItem): Variables {
  const s = item.processSettings;
  const levelUnit = item.handlingLevel === 'county' ? c.county_code : item.handlingLevel === 'city' ? c.city_code : c.province_code;
  return {
    caseId: c.id,
    caseNo: c.case_no,
    itemCode: c.item_code,
    provinceCode: c.province_code,
    cityCode: c.city_code,
    countyCode: c.county_code,
    correctionWindow: s.correctionWindow ?? 'P30D',
    ...(s.jointDepartments ? { departments: s.jointDepartments.map((d) => `${levelUnit}.${d}`) } : {}),
    ...(s.leadDepartment ? { leadDepartment: `${levelUnit}.${s.leadDepartment}` } : {}),
    // the application form's fields, for gateway conditions: ${form_volume > 100000}
    ...applicationVariables(c.form_data),
  };
}

async function nextCaseNo(trx: Trx, at: number): Promise<string> {
  const day = new Date(at + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', ''); // Beijing date
  const name = `case_no:${day}`;
  await trx('counters').insert({ name, value: 1 }).onConflict('name').merge({ value: trx.raw('?? + 1', ['counters.value']) });
  const row = await trx('counters').where({ name }).first<{ value: number }>('value');
  return `LD${day}${String(row?.value ?? 1).padStart(6, '0')}`;
}

/** The view with the applicant masked: what every list and case page shows. */
export function maskedView(ctx: Ctx, r: CaseRow) {
  return toCaseView(r, mask(open<Record<string, unknown>>(ctx.applicantKeys, r.applicant)));
}

async function groupsOfCase(db: Db | Trx, caseId: string): Promise<{ involved: string[]; open: string[] }> {
  const rows = (await db('tasks as t').join('task_candidates as c', 'c.user_task_key', 't.user_task_key').where('t.case_id', caseId).andWhere('c.kind', 'group').distinct('c.name', 't.state')) as { name: string; state: string }[];
  return { involved: [...new Set(rows.map((r) => r.name))], open: [...new Set(rows.filter((r) => r.state === 'open').map((r) => r.name))] };
}

/** Loads a case the user may read: unknown and invisible cases are both a 404 (no existence leak). */
export async function loadReadable(ctx: Ctx, who: Identity, id: string): Promise<{ row: CaseRow; may: (a: Action) => boolean }> {
  const row = await ctx.db('cases').where({ id }).first<CaseRow>();
  const copied = row ? await ctx.db('case_copies').where({ case_id: id, user_id: who.userId }).first('id') : undefined;
  const groups = row ? await groupsOfCase(ctx.db, id) : null;
  const subject = row && groups ? caseSubject(row, groups.involved, groups.open, copied ? [who.userId] : []) : null;
  const ability = abilityFor(who);
  if (!row || !subject || !ability.can('read', subject)) throw notFound('case', id);
  return { row, may: (a) => ability.can(a, subject) };
}

export async function canReadCase(ctx: Ctx, who: Identity, id: string): Promise<boolean> {
  return loadReadable(ctx, who, id).then(
    () => true,
    () => false,
  );
}

export interface Submitted {
  view: ReturnType<typeof toCaseView>;
  /** false when an Idempotency-Key matched an earlier submission */
  created: boolean;
}

export async function submitCase(ctx: Ctx, who: Identity, body: SubmitCaseBody, idempotencyKey?: string): Promise<Submitted> {
  const { db } = ctx;
  if (idempotencyKey) {
    const earlier = await db('cases').where({ idempotency_key: idempotencyKey }).first<CaseRow>();
    if (earlier) return replay(ctx, earlier, who, body);
  }
  const item = await findItem(db, body.itemCode);
  if (!item || !item.active) throw new AppError('VALIDATION_FAILED', `body.itemCode: no active service item "${body.itemCode}"`, [{ path: 'body.itemCode', message: 'unknown item' }]);
  const depth = body.regionCode.split('-').length;
  if (depth !== LEVEL_DEPTH[item.handlingLevel]) {
    throw new AppError('VALIDATION_FAILED', `body.regionCode: ${item.name} is handled at ${item.handlingLevel} level; give a ${item.handlingLevel} code`, [{ path: 'body.regionCode', message: `a ${item.handlingLevel} code` }]);
  }
  if (!abilityFor(who).can('create', caseSubject({ region_code: body.regionCode, submitted_by: who.userId } as CaseRow, []))) {
    throw forbidden(`you may not file applications for region ${body.regionCode}: only its window clerks can`);
  }
  await assertProcessDeployed(db, item);
  const formData = checkApplication(item, body.form);
  const region = regionOf(body.regionCode);
  const at = ctx.clock.now();
  const id = randomUUID();
  try {
    await db.transaction(async (trx) => {
      const caseNo = await nextCaseNo(trx, at);
      await trx('cases').insert({
        id,
        case_no: caseNo,
        item_code: item.code,
        applicant: seal(ctx.applicantKeys, body.applicant),
        ...applicantDigests(ctx.applicantKeys.indexKey, body.applicant),
        region_code: body.regionCode,
        county_code: region.countyCode,
        city_code: region.cityCode,
        province_code: region.provinceCode,
        status: 'submitted',
        bpmn_process_id: item.processId,
        process_version: item.processVersion,
        item_version: item.version,
        form_data: formData,
        idempotency_key: idempotencyKey ?? null,
        submitted_by: who.userId,
        start_attempts: 0,
        next_start_at: at,
        submitted_at: at,
      });
      await appendEvent(trx, { caseId: id, type: 'case.submitted', actor: who.userId, data: { materials: body.materials.map((m) => m.name) }, at });
    });
  } catch (err) {
    // Two concurrent submissions with one Idempotency-Key: the unique index lets one win.
    const earlier = idempotencyKey ? await db('cases').where({ idempotency_key: idempotencyKey }).first<CaseRow>() : undefined;
    if (earlier) return replay(ctx, earlier, who, body);
    throw err;
  }
  const row = (await db('cases').where({ id }).first<CaseRow>()) as CaseRow;
  ctx.events.publish({ type: 'case.submitted', caseId: id, caseNo: row.case_no, itemCode: item.code, regions: regionsOf(row) });
  ctx.log.info({ caseId: id, caseNo: row.case_no, itemCode: item.code }, 'case submitted');
  return { view: maskedView(ctx, row), created: true };
}

function replay(ctx: Ctx, earlier: CaseRow, who: Identity, body: SubmitCaseBody): Submitted {
  if (earlier.submitted_by !== who.userId || earlier.item_code !== body.itemCode) {
    throw conflict('this Idempotency-Key was already used for a different submission');
  }
  return { view: maskedView(ctx, earlier), created: false };
}

async function assertProcessDeployed(db: Db, item: ServiceItem): Promise<void> {
  const q = db('process_definitions').where({ bpmn_process_id: item.processId });
  if (item.processVersion !== null) q.where({ version: item.processVersion });
  if (!(await q.first('definition_key'))) {
    throw conflict(`item ${item.code} is bound to process ${item.processId}${item.processVersion ? ` v${item.processVersion}` : ''}, which is not deployed`);
  }
}

/** Case-level operations the page offers when the rules allow them (the UI cannot evaluate involvedGroups itself). */
const CASE_ACTIONS = ['suspend', 'terminate', 'pause', 'extend', 'supervise', 'copy', 'attach'] as const;

export async function getCase(ctx: Ctx, who: Identity, id: string) {
  const { row, may } = await loadReadable(ctx, who, id);
  const [timeline, steps, extras, people] = await Promise.all([timelineOf(ctx.db, id), openStepsOf(ctx.db, id), casePageExtras(ctx, row), namesFor(ctx.db, { users: [row.suspended_by, row.terminated_by] })]);
  const view = maskedView(ctx, row);
  // who suspended or terminated it, by name
  if (view.suspension) Object.assign(view.suspension, { byName: people.user(view.suspension.by) });
  if (view.termination) Object.assign(view.termination, { byName: people.user(view.termination.by) });
  return { ...view, ...extras, currentSteps: steps, timeline, mayReadPersonalData: may('readPersonalData'), actions: CASE_ACTIONS.filter((a) => may(a)) };
}

/**
 * The applicant in clear, for those who handle the case; every such read is audited with its reason,
 * and so is every refused one (outside one's remit, or a role that does not need it).
 */
export async function readApplicant(ctx: Ctx, who: Identity, id: string, reason: string, ip: string | null) {
  const refused = (why: string) => appendAudit(ctx.db, { actor: who.userId, action: 'personal-data.refused', subject: 'Case', subjectId: id, caseId: id, reason: `${why}; asked for: ${reason}`.slice(0, 500), ip, at: ctx.clock.now() });
  const readable = await loadReadable(ctx, who, id).catch(async (err: unknown) => {
    await refused('not in the reader’s remit (answered 404)');
    throw err;
  });
  const { row, may } = readable;
  if (!may('readPersonalData')) {
    await refused('role does not need it (answered 403)');
    throw forbidden('your role does not need this applicant’s personal data for this case');
  }
  await appendAudit(ctx.db, { actor: who.userId, action: 'personal-data.read', subject: 'Case', subjectId: id, caseId: id, reason, ip, at: ctx.clock.now() });
  return { caseId: id, caseNo: row.case_no, applicant: open<Record<string, unknown>>(ctx.applicantKeys, row.applicant) };
}

async function openStepsOf(db: Db, caseId: string) {
  const rows = await db('tasks').where({ case_id: caseId, state: 'open' }).orderBy('created_at');
  const steps = rows.map((r) => ({
    userTaskKey: String(r.user_task_key),
    elementId: String(r.element_id),
    name: String(r.element_name),
    candidateGroups: json.parse<string[]>(r.candidate_groups, []),
    assignee: (r.assignee as string | null) ?? null,
    since: new Date(Number(r.created_at)).toISOString(),
  }));
  const names = await namesFor(db, { users: steps.map((s) => s.assignee), units: steps.flatMap((s) => s.candidateGroups.map((g) => splitGroup(g).unitCode)) });
  return steps.map((s) => ({ ...s, assigneeName: names.user(s.assignee), groups: s.candidateGroups.map((g) => namedGroup(names, g)) }));
}

/** The applicant has handed in what 补正 asked for: the waiting process moves on. */
export async function supplementCase(ctx: Ctx, who: Identity, id: string, materials: Array<{ name: string }>) {
  const { row, may } = await loadReadable(ctx, who, id);
  if (!may('supplement')) throw forbidden('only the window where the application was filed records supplements');
  if (row.suspended_at) throw conflict(`case ${row.case_no} is suspended (挂起): ${row.suspend_reason ?? ''}`);
  if (row.status !== 'in_progress' || row.awaiting !== 'await_supplements') {
    throw conflict(`case ${row.case_no} is not waiting for supplementary materials`);
  }
  await ctx.engine.correlate({ message: 'case.supplemented', businessKey: id, variables: { supplementedMaterials: materials.map((m) => m.name) } });
  await appendEvent(ctx.db, { caseId: id, type: 'case.supplemented', actor: who.userId, data: { materials: materials.map((m) => m.name) }, at: ctx.clock.now() });
  return maskedView(ctx, (await ctx.db('cases').where({ id }).first<CaseRow>()) as CaseRow);
}
