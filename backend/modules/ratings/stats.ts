/**
 * The board's 好差评 view, counted in SQL within the caller's rules: the distribution of levels, the
 * 差评 rate per unit and per item, the on-time rate of rectifications, the late ones, and the cases
 * behind any figure (drill-down).
 */
import type { Knex } from 'knex';
import type { Ctx, Identity } from '../../context.ts';
import { abilityFor } from '../../authz/ability.ts';
import { accessibleBy, column, type FieldMap } from '../../authz/sql.ts';
import { AppError } from '../../errors.ts';
import { beijingDate } from '../calendar/index.ts';
import { LEVEL_OF_SCORE, LEVELS } from './levels.ts';
import { rectificationView } from './service.ts';

const fields = (table: string): FieldMap => ({ unitCode: column(`${table}.unit_code`), provinceCode: column(`${table}.province_code`), cityCode: column(`${table}.city_code`), countyCode: column(`${table}.county_code`) });

export interface StatsFilter {
  region?: string | undefined;
}

const inRegion = (table: string, region?: string) => (q: Knex.QueryBuilder) => {
  if (region) void q.where((w) => w.where(`${table}.province_code`, region).orWhere(`${table}.city_code`, region).orWhere(`${table}.county_code`, region));
};

function assertBoard(who: Identity) {
  if (!who.roles.includes('supervisor') && !who.roles.includes('leader') && !who.roles.includes('section_head')) throw new AppError('FORBIDDEN', 'the 好差评 board is for supervisors, heads and leaders');
}

export async function ratingStats(ctx: Ctx, who: Identity, f: StatsFilter) {
  assertBoard(who);
  const ability = abilityFor(who);
  const ratings = () => ctx.db('ratings').modify(accessibleBy(ability, 'read', 'Rating', fields('ratings'))).modify(inRegion('ratings', f.region));
  const rects = () => ctx.db('rectifications').modify(accessibleBy(ability, 'read', 'Rectification', fields('rectifications'))).modify(inRegion('rectifications', f.region));
  const group = (col: string) => ratings().groupBy(col).select(`${col} as k`, ctx.db.raw('count(*) as n'), ctx.db.raw('sum(case when score <= 2 then 1 else 0 end) as bad'));
  const rectByUnit = () =>
    rects()
      .groupBy('rectifications.unit_code')
      .select('rectifications.unit_code as k', ctx.db.raw("sum(case when state = 'rectified' then 1 else 0 end) as rectified"), ctx.db.raw("sum(case when state = 'rectified' and rectified_at <= rectify_due_at then 1 else 0 end) as on_time"), ctx.db.raw("sum(case when state <> 'rectified' then 1 else 0 end) as pending"), ctx.db.raw("sum(case when state <> 'rectified' and level <> 'none' then 1 else 0 end) as late"));
  const [byScore, byUnit, byItem, rectTotals, late, pending, unitRects] = await Promise.all([
    ratings().groupBy('score').select('score', ctx.db.raw('count(*) as n')),
    group('ratings.unit_code'),
    group('ratings.item_code'),
    rects().whereNotNull('rectified_at').select(ctx.db.raw('count(*) as n'), ctx.db.raw('sum(case when rectified_at <= rectify_due_at then 1 else 0 end) as on_time')),
    rects().join('cases', 'cases.id', 'rectifications.case_id').leftJoin('org_units', 'org_units.code', 'rectifications.unit_code').whereNot('rectifications.state', 'rectified').whereIn('rectifications.level', ['yellow', 'red']).orderBy('rectifications.rectify_due_at').limit(200).select('rectifications.*', 'cases.case_no', 'org_units.name as unit_name'),
    rects().whereNot('state', 'rectified').groupBy('level').select('level', ctx.db.raw('count(*) as n')),
    rectByUnit(),
  ]);
  const names = await namesOf(ctx, (byUnit as Array<Record<string, unknown>>).map((r) => String(r.k)), (byItem as Array<Record<string, unknown>>).map((r) => String(r.k)));
  const perUnit = new Map((unitRects as Array<Record<string, unknown>>).map((r) => [String(r.k), r]));
  const open = Object.fromEntries(['none', 'yellow', 'red'].map((l) => [l, Number((pending as Array<Record<string, unknown>>).find((p) => p.level === l)?.n ?? 0)])) as Record<'none' | 'yellow' | 'red', number>;
  const distribution = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<(typeof LEVELS)[number], number>;
  for (const r of byScore as Array<Record<string, unknown>>) {
    const l = LEVEL_OF_SCORE[Number(r.score)];
    if (l) distribution[l] = Number(r.n);
  }
  const total = Object.values(distribution).reduce((a, b) => a + b, 0);
  const bad = distribution.dissatisfied + distribution.very_dissatisfied;
  const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 10000) / 10000);
  const rows = (rs: Array<Record<string, unknown>>, named: Map<string, string>) => rs.map((r) => ({ code: String(r.k), name: named.get(String(r.k)) ?? String(r.k), total: Number(r.n), bad: Number(r.bad ?? 0), badRate: rate(Number(r.bad ?? 0), Number(r.n)) })).sort((a, b) => b.bad - a.bad || a.code.localeCompare(b.code));
  const unitRows = rows(byUnit as Array<Record<string, unknown>>, names.units).map((u) => {
    const r = perUnit.get(u.code);
    const rectified = Number(r?.rectified ?? 0);
    const onTime = Number(r?.on_time ?? 0);
    return { ...u, rectification: { rectified, onTime, onTimeRate: rate(onTime, rectified), pending: Number(r?.pending ?? 0), late: Number(r?.late ?? 0) } };
  });
  const closed = Number(rectTotals[0]?.n ?? 0);
  const onTime = Number(rectTotals[0]?.on_time ?? 0);
  return {
    total,
    distribution,
    badRate: rate(bad, total),
    byUnit: unitRows,
    byItem: rows(byItem as Array<Record<string, unknown>>, names.items),
    rectification: { rectified: closed, onTime, onTimeRate: rate(onTime, closed), pending: open.none + open.yellow + open.red, yellow: open.yellow, red: open.red },
    late: (late as Array<Record<string, unknown>>).map((r) => ({ ...rectificationView(r), caseNo: String(r.case_no), unitName: String(r.unit_name ?? r.unit_code) })),
  };
}

/** The board speaks in names: units from the org tree, items from the catalogue. */
async function namesOf(ctx: Ctx, units: string[], items: string[]) {
  const [u, i] = await Promise.all([units.length ? ctx.db('org_units').whereIn('code', units).select('code', 'name') : [], items.length ? ctx.db('service_items').whereIn('code', items).select('code', 'name') : []]);
  const map = (rs: Array<Record<string, unknown>>) => new Map(rs.map((r) => [String(r.code), String(r.name)]));
  return { units: map(u as Array<Record<string, unknown>>), items: map(i as Array<Record<string, unknown>>) };
}

export interface DrillFilter extends StatsFilter {
  unit?: string | undefined;
  item?: string | undefined;
  bad?: boolean | undefined;
  level?: (typeof LEVELS)[number] | undefined;
  /** the late rectifications behind a count: yellow or red, not rectified yet */
  rectification?: 'yellow' | 'red' | undefined;
}

/** The cases behind a figure: ratings with their case and rectification, newest first. */
export async function ratedCases(ctx: Ctx, who: Identity, f: DrillFilter) {
  assertBoard(who);
  const q = ctx.db('ratings')
    .join('cases', 'cases.id', 'ratings.case_id')
    .leftJoin('rectifications', 'rectifications.rating_id', 'ratings.id')
    .modify(accessibleBy(abilityFor(who), 'read', 'Rating', fields('ratings')))
    .modify(inRegion('ratings', f.region))
    .orderBy('ratings.id', 'desc')
    .limit(200)
    .select('ratings.id', 'ratings.case_id', 'cases.case_no', 'ratings.service', 'ratings.score', 'ratings.unit_code', 'ratings.item_code', 'ratings.rated_at', 'ratings.comment', 'rectifications.id as rid', 'rectifications.state', 'rectifications.level');
  if (f.unit) void q.where('ratings.unit_code', f.unit);
  if (f.item) void q.where('ratings.item_code', f.item);
  if (f.bad) void q.where('ratings.score', '<=', 2);
  if (f.rectification) void q.where('rectifications.level', f.rectification).whereNot('rectifications.state', 'rectified');
  if (f.level) void q.where('ratings.score', Object.entries(LEVEL_OF_SCORE).find(([, l]) => l === f.level)?.[0] ?? 0);
  return {
    items: ((await q) as Array<Record<string, unknown>>).map((r) => ({ ratingId: Number(r.id), caseId: String(r.case_id), caseNo: String(r.case_no), service: String(r.service), level: LEVEL_OF_SCORE[Number(r.score)], unitCode: String(r.unit_code), itemCode: String(r.item_code), ratedOn: beijingDate(Number(r.rated_at)), comment: r.comment ?? null, rectification: r.rid ? { id: Number(r.rid), state: String(r.state), level: String(r.level) } : null })),
  };
}
