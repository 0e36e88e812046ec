/**
 * The region a supervision board looks at: the caller's own region or one below it. Asking for a
 * region outside that scope is answered like an unknown one (404): a county supervisor learns
 * nothing about the neighbouring county, not even that it exists.
 */
import type { Knex } from 'knex';
import type { Ctx, Identity, Level } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { has } from '../../authz/ability.ts';
import { z } from '../../http/zod.ts';
import { findUnit, type OrgUnit } from '../org/service.ts';

export const RegionCode = z.string().regex(/^[A-Z]{2}(-\d{2}){0,2}$/, 'a region code like JN, JN-01 or JN-01-02');

export function assertBoardViewer(who: Identity): void {
  // the same people as the supervision feed: supervisors (their region and below) and leaders (their unit's cases)
  if (!has(who, 'supervisor', 'leader')) throw new AppError('FORBIDDEN', 'the supervision board is for supervisors and leaders');
}

export async function boardRegion(ctx: Ctx, who: Identity, code: string | undefined): Promise<OrgUnit> {
  assertBoardViewer(who);
  const wanted = code ?? who.regionCode;
  const inScope = wanted === who.regionCode || wanted.startsWith(`${who.regionCode}-`);
  const unit = inScope ? await findUnit(ctx.db, wanted) : null;
  if (!unit || unit.kind !== 'region') throw new AppError('NOT_FOUND', `region ${wanted} does not exist or is outside your scope (${who.regionCode} and below)`);
  return unit;
}

const LEVEL_COLUMN: Record<Level, string> = { province: 'cases.province_code', city: 'cases.city_code', county: 'cases.county_code' };

/** Cases filed in `unit` or anywhere below it: indexed equality on the case's region column of that level. */
export const casesIn = (unit: OrgUnit) => (q: Knex.QueryBuilder) => void q.where(LEVEL_COLUMN[unit.level], unit.code);

/** The case column naming the next level down (province → city, city → county); none below a county. */
export const childColumn = (unit: OrgUnit): string | null => (unit.level === 'province' ? LEVEL_COLUMN.city : unit.level === 'city' ? LEVEL_COLUMN.county : null);
