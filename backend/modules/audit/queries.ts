/**
 * Reading the trail for the audit administrator: search with keyset pages (newest first), and the
 * same search as a file. Both are limited to the reader's remit — rows whose actor works in the
 * reader's region or below, or whose case belongs to it; rows of no actor and no case (the
 * system's own: re-chaining, engine-side completions) only for a province-level reader.
 */
import type { Knex } from 'knex';
import type { Identity } from '../../context.ts';
import type { Db } from '../../db/knex.ts';
import type { AuditQuery, ExportQuery } from './schema.ts';

const LEVEL_COLUMN = { province: 'c.province_code', city: 'c.city_code', county: 'c.county_code' } as const;

export interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  actorName: string | null;
  action: string;
  subject: string;
  subjectId: string | null;
  caseId: string | null;
  caseNo: string | null;
  reason: string | null;
  ip: string | null;
}

const regionOf = (db: Db, who: Identity) => db('org_units').where({ code: who.regionCode }).first<{ path: string } | undefined>('path');

// not async: a knex builder is thenable, so returning it from an async function would run it
function scoped(db: Db, who: Identity, region: { path: string } | undefined, q: Omit<AuditQuery, 'before' | 'limit'>): Knex.QueryBuilder {
  const qb = db('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor')
    .leftJoin('org_units as ou', 'ou.code', 'u.unit_code')
    .leftJoin('cases as c', 'c.id', 'a.case_id')
    .select('a.id', 'a.at', 'a.actor', 'u.username as actor_name', 'a.action', 'a.subject', 'a.subject_id', 'a.case_id', 'c.case_no', 'a.reason', 'a.ip');
  // fails closed: a reader whose region is not in the tree sees nothing
  if (!region) return qb.whereRaw('1 = 0');
  qb.where((w) => {
    // unit codes and paths hold no LIKE wildcards (JN/JN-01/…)
    w.where('ou.path', 'like', `${region.path}%`).orWhere(LEVEL_COLUMN[who.level], who.regionCode);
    if (who.level === 'province') w.orWhere((s) => s.whereNull('a.actor').whereNull('a.case_id'));
  });
  if (q.actor) qb.where((w) => w.where('a.actor', q.actor as string).orWhere('u.username', q.actor as string));
  if (q.action) {
    // "login." is the family: login itself and login.failed, login.…
    if (q.action.endsWith('.')) qb.where((w) => w.where('a.action', (q.action as string).slice(0, -1)).orWhere('a.action', 'like', `${q.action}%`));
    else qb.where('a.action', q.action);
  }
  if (q.caseId) qb.where('a.case_id', q.caseId);
  if (q.from !== undefined) qb.where('a.at', '>=', q.from);
  if (q.to !== undefined) qb.where('a.at', '<', q.to);
  return qb;
}

const toRow = (r: Record<string, unknown>): AuditRow => ({
  id: Number(r.id),
  at: new Date(Number(r.at)).toISOString(),
  actor: (r.actor as string | null) ?? null,
  actorName: (r.actor_name as string | null) ?? null,
  action: String(r.action),
  subject: String(r.subject),
  subjectId: (r.subject_id as string | null) ?? null,
  caseId: (r.case_id as string | null) ?? null,
  caseNo: (r.case_no as string | null) ?? null,
  reason: (r.reason as string | null) ?? null,
  ip: (r.ip as string | null) ?? null,
});

export async function searchAudit(db: Db, who: Identity, q: AuditQuery): Promise<{ items: AuditRow[]; next: number | null }> {
  const qb = scoped(db, who, await regionOf(db, who), q);
  if (q.before !== undefined) qb.where('a.id', '<', q.before);
  const rows = (await qb.orderBy('a.id', 'desc').limit(q.limit + 1)) as Record<string, unknown>[];
  const items = rows.slice(0, q.limit).map(toRow);
  return { items, next: rows.length > q.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** At most this many rows in one export: a larger remit is exported by time range. */
export const EXPORT_MAX_ROWS = 100_000;

export async function exportRows(db: Db, who: Identity, q: Omit<ExportQuery, 'format'>): Promise<AuditRow[]> {
  const qb = scoped(db, who, await regionOf(db, who), q);
  return ((await qb.orderBy('a.id', 'asc').limit(EXPORT_MAX_ROWS + 1)) as Record<string, unknown>[]).map(toRow);
}
