/**
 * The rectification screens' reads: the list of those in the caller's remit (the responsible unit's
 * heads and leaders see their unit's, supervisors their region's), filtered in SQL by the same CASL
 * rules, and one rectification with the rating that opened it and what the applicant said.
 */
import type { Knex } from 'knex';
import type { Ctx, Identity } from '../../context.ts';
import { json } from '../../context.ts';
import { abilityFor } from '../../authz/ability.ts';
import { accessibleBy, column, type FieldMap } from '../../authz/sql.ts';
import { forbidden, notFound } from '../../errors.ts';
import { beijingDate } from '../calendar/index.ts';
import { LEVEL_OF_SCORE } from './levels.ts';
import { rectificationSubject, rectificationView } from './service.ts';

const fields: FieldMap = { unitCode: column('rectifications.unit_code'), provinceCode: column('rectifications.province_code'), cityCode: column('rectifications.city_code'), countyCode: column('rectifications.county_code') };

export interface RectificationFilter {
  /** open: not rectified yet; the four states otherwise */
  state?: 'open' | 'verified' | 'answered' | 'rectified' | 'pending' | undefined;
  level?: 'none' | 'yellow' | 'red' | undefined;
  unit?: string | undefined;
}

const COLUMNS = ['rectifications.*', 'cases.case_no', 'cases.item_code', 'ratings.service', 'ratings.score', 'ratings.comment', 'ratings.aspects', 'ratings.rated_at', 'org_units.name as unit_name', 'service_items.name as item_name'];
const named = (q: Knex.QueryBuilder) => void q.leftJoin('org_units', 'org_units.code', 'rectifications.unit_code').leftJoin('service_items', 'service_items.code', 'cases.item_code');

function present(r: Record<string, unknown>, who: Identity) {
  const ability = abilityFor(who);
  return {
    ...rectificationView(r),
    caseNo: String(r.case_no),
    itemCode: String(r.item_code),
    itemName: String(r.item_name ?? r.item_code),
    unitName: String(r.unit_name ?? r.unit_code),
    rating: { service: String(r.service), level: LEVEL_OF_SCORE[Number(r.score)] ?? null, comment: (r.comment as string | null) ?? null, aspects: json.parse<string[]>(r.aspects as string, []), ratedOn: beijingDate(Number(r.rated_at)) },
    mayHandle: r.state !== 'rectified' && ability.can('rectify', rectificationSubject(r)),
  };
}

/** Most urgent first: red, yellow, then by the 整改 date; the rectified ones after, newest first. */
export async function listRectifications(ctx: Ctx, who: Identity, f: RectificationFilter) {
  const ability = abilityFor(who);
  if (!ability.can('read', 'Rectification')) throw forbidden('rectifications are read by the responsible unit’s heads and leaders and by supervisors');
  const q = ctx.db('rectifications')
    .join('cases', 'cases.id', 'rectifications.case_id')
    .join('ratings', 'ratings.id', 'rectifications.rating_id')
    .modify(named)
    .modify(accessibleBy(ability, 'read', 'Rectification', fields))
    .orderByRaw("case when rectifications.state = 'rectified' then 1 else 0 end")
    .orderByRaw("case rectifications.level when 'red' then 0 when 'yellow' then 1 else 2 end")
    .orderBy('rectifications.rectify_due_at')
    .orderBy('rectifications.id', 'desc')
    .limit(500)
    .select(COLUMNS);
  if (f.state === 'pending') void q.whereNot('rectifications.state', 'rectified');
  else if (f.state) void q.where('rectifications.state', f.state);
  if (f.level) void q.where('rectifications.level', f.level);
  if (f.unit) void q.where('rectifications.unit_code', f.unit);
  const rows = (await q) as Array<Record<string, unknown>>;
  return { items: rows.map((r) => present(r, who)) };
}

export async function rectificationDetail(ctx: Ctx, who: Identity, id: number) {
  const r = (await ctx.db('rectifications').join('cases', 'cases.id', 'rectifications.case_id').join('ratings', 'ratings.id', 'rectifications.rating_id').modify(named).where('rectifications.id', id).first(COLUMNS)) as Record<string, unknown> | undefined;
  if (!r || !abilityFor(who).can('read', rectificationSubject(r))) throw notFound('rectification', String(id));
  return present(r, who);
}
