/**
 * The case register (办件库 search): one query for the list and its export, so both show exactly the
 * rows the caller's CASL rules allow (authz/sql.ts turns them into the WHERE clause). Pages are a
 * keyset on (submitted_at, id), newest first — never OFFSET, so page 500 costs what page 1 costs and a
 * case filed while someone pages neither repeats nor hides a row.
 */
import type { Knex } from 'knex';
import type { Ctx, Identity } from '../../context.ts';
import type { Db } from '../../db/knex.ts';
import { AppError } from '../../errors.ts';
import { abilityFor } from '../../authz/ability.ts';
import { accessibleBy } from '../../authz/sql.ts';
import { endOfBeijingDay, startOfBeijingDay } from '../calendar/calendar.ts';
import { decisionClockId } from '../deadlines/commands.ts';
import { caseFields, type CaseRow } from './records.ts';
import { DIGEST_COLUMNS, digest, type SearchField } from './search-index.ts';
import { maskedView } from './service.ts';
import type { CaseListQuery, CaseSearchQuery } from './schema.ts';

export interface Cursor {
  submittedAt: number;
  id: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.submittedAt, c.id])).toString('base64url');

export function decodeCursor(s: string): Cursor {
  try {
    const [submittedAt, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof submittedAt === 'number' && Number.isSafeInteger(submittedAt) && typeof id === 'string' && id.length <= 36) return { submittedAt, id };
  } catch {
    /* answered below */
  }
  throw new AppError('VALIDATION_FAILED', 'query.after: not a cursor this list gave out (use the `next` of the previous page)', [{ path: 'query.after', message: 'invalid cursor' }]);
}

const APPLICANT_FILTERS: Array<[keyof CaseSearchQuery, SearchField]> = [
  ['applicantIdNumber', 'idNumber'],
  ['applicantPhone', 'phone'],
  ['applicantName', 'name'],
];

/** `'case:' || cases.id` in either dialect: the decision clock's id (deadlines/commands.ts). */
function decisionClockOf(db: Db): Knex.Raw {
  const prefix = decisionClockId('');
  return db.client.config.client === 'better-sqlite3' ? db.raw(`? || cases.id`, [prefix]) : db.raw(`CONCAT(?, cases.id)`, [prefix]);
}

/** The register's rows the caller may read, filtered; unordered and unpaged. */
export function searchQuery(ctx: Ctx, who: Identity, q: CaseSearchQuery): Knex.QueryBuilder {
  const { db } = ctx;
  const query = db('cases').modify(accessibleBy(abilityFor(who), 'read', 'Case', caseFields));
  if (q.caseNo) void query.where('cases.case_no', 'like', `${q.caseNo}%`); // letters and digits only (schema)
  if (q.status) void query.where('cases.status', q.status);
  if (q.itemCode) void query.where('cases.item_code', q.itemCode);
  if (q.regionCode) {
    const depth = q.regionCode.split('-').length;
    void query.where(depth === 1 ? 'cases.province_code' : depth === 2 ? 'cases.city_code' : 'cases.county_code', q.regionCode);
  }
  for (const [param, field] of APPLICANT_FILTERS) {
    const v = q[param];
    if (typeof v === 'string') void query.where(`cases.${DIGEST_COLUMNS[field]}`, digest(ctx.applicantKeys.indexKey, field, v));
  }
  if (q.submittedFrom) void query.where('cases.submitted_at', '>=', startOfBeijingDay(q.submittedFrom));
  if (q.submittedTo) void query.where('cases.submitted_at', '<=', endOfBeijingDay(q.submittedTo));
  const clockRange = (col: string, from?: string, to?: string) => {
    if (!from && !to) return;
    void query.whereExists((s) => {
      void s.select(db.raw('1')).from('clocks as dc').where('dc.id', decisionClockOf(db));
      if (from) void s.where(`dc.${col}`, '>=', from);
      if (to) void s.where(`dc.${col}`, '<=', to);
    });
  };
  clockRange('started_on', q.acceptedFrom, q.acceptedTo);
  clockRange('due_on', q.dueFrom, q.dueTo);
  if (q.level) void query.whereExists((s) => void s.select(db.raw('1')).from('clocks as lc').whereRaw('lc.case_id = cases.id').whereNot('lc.state', 'stopped').where('lc.level', q.level));
  const completedByMe = (s: Knex.QueryBuilder) => void s.select(db.raw('1')).from('tasks as mt').whereRaw('mt.case_id = cases.id').where('mt.completed_by', who.userId);
  if (q.mine === 'done') void query.whereExists(completedByMe);
  if (q.mine === 'involved') {
    void query.where((w) =>
      w
        .where('cases.submitted_by', who.userId)
        .orWhereExists(completedByMe)
        .orWhereExists((s) => void s.select(db.raw('1')).from('case_events as me').whereRaw('me.case_id = cases.id').where('me.actor', who.userId)),
    );
  }
  return query;
}

/** Newest first, after the cursor. */
export function inPageOrder(query: Knex.QueryBuilder, after: Cursor | null): Knex.QueryBuilder {
  if (after) {
    void query.where((w) => w.where('cases.submitted_at', '<', after.submittedAt).orWhere((e) => e.where('cases.submitted_at', after.submittedAt).andWhere('cases.id', '<', after.id)));
  }
  return query.orderBy([
    { column: 'cases.submitted_at', order: 'desc' },
    { column: 'cases.id', order: 'desc' },
  ]);
}

export interface RegisterRow extends CaseRow {
  item_name: string | null;
  region_name: string | null;
  due_on: string | null;
  accepted_on: string | null;
  clock_level: string | null;
  clock_provisional: number | boolean | null;
}

/** One page's rows with what the list shows beside the case: item and region names, decision clock. */
export async function pageRows(ctx: Ctx, who: Identity, q: CaseSearchQuery, after: Cursor | null, limit: number): Promise<RegisterRow[]> {
  const { db } = ctx;
  const query = inPageOrder(searchQuery(ctx, who, q), after)
    .leftJoin('service_items as si', 'si.code', 'cases.item_code')
    .leftJoin('org_units as ou', 'ou.code', 'cases.region_code')
    .leftJoin('clocks as dc', (j) => void j.on('dc.id', '=', decisionClockOf(db)))
    .select('cases.*', 'si.name as item_name', 'ou.name as region_name', 'dc.due_on as due_on', 'dc.started_on as accepted_on', 'dc.level as clock_level', 'dc.provisional as clock_provisional')
    .limit(limit);
  return (await query) as RegisterRow[];
}

export function registerView(ctx: Ctx, r: RegisterRow) {
  return {
    ...maskedView(ctx, r),
    itemName: r.item_name,
    regionName: r.region_name,
    acceptedOn: r.accepted_on,
    dueOn: r.due_on,
    level: r.clock_level ?? null,
    provisional: r.due_on ? Boolean(r.clock_provisional) : null,
  };
}

export async function listCases(ctx: Ctx, who: Identity, q: CaseListQuery) {
  const { limit, after, ...search } = q;
  // one row beyond the page tells whether there is a next one
  const rows = await pageRows(ctx, who, search, after ? decodeCursor(after) : null, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => registerView(ctx, r)),
    next: rows.length > limit && last ? encodeCursor({ submittedAt: Number(last.submitted_at), id: last.id }) : null,
  };
}
