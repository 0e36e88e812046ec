/**
 * Shaping the tree: an administrator adds cities, counties and departments and renames units, only
 * in its own region and below (a city administrator cannot touch the province or another city).
 * Units are never deleted here: cases, tasks and the audit trail keep naming them.
 */
import type { Ctx, Identity } from '../../context.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';
import { abilityFor, subjectOf } from '../../authz/ability.ts';
import { appendAudit } from '../audit/service.ts';
import { findUnit, levelOfRegion, regionChain, type OrgUnit } from './service.ts';

/** The condition fields of anything sitting in a region: its province, city and county codes. */
export const regionFields = (regionCode: string) => {
  const [provinceCode, cityCode, countyCode] = regionChain(regionCode);
  return { provinceCode: provinceCode ?? null, cityCode: cityCode ?? null, countyCode: countyCode ?? null };
};

export function assertManages(who: Identity, regionCode: string, what: string): void {
  if (!abilityFor(who).can('manage', subjectOf('OrgUnit', regionFields(regionCode)))) {
    throw forbidden(`administrators of ${who.regionCode} manage only ${who.regionCode} and the units below it, not ${what}`);
  }
}

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message }]);

export async function createUnit(ctx: Ctx, who: Identity, input: { parentCode: string; kind: 'region' | 'department'; key: string; name: string }, ip: string | null): Promise<OrgUnit> {
  const parent = await findUnit(ctx.db, input.parentCode);
  if (!parent || parent.kind !== 'region') throw invalid('body.parentCode', `${input.parentCode} is not a region of the tree`);
  const region = input.kind === 'region';
  if (region && !/^\d{2}$/.test(input.key)) throw invalid('body.key', 'a region below another is numbered with two digits');
  if (!region && !/^[A-Z]{2,4}$/.test(input.key)) throw invalid('body.key', 'a department is named by 2–4 capital letters (WR, NR, ASC)');
  if (region && parent.level === 'county') throw invalid('body.parentCode', 'the tree ends at the county: a county has departments, not regions');
  const code = region ? `${parent.code}-${input.key}` : `${parent.code}.${input.key}`;
  const regionCode = region ? code : parent.code;
  assertManages(who, regionCode, code);
  if (await findUnit(ctx.db, code)) throw conflict(`unit ${code} already exists`);
  const unit = {
    code,
    name: input.name,
    kind: input.kind,
    level: region ? levelOfRegion(code) : parent.level,
    region_code: regionCode,
    department: region ? null : input.key,
    parent_code: parent.code,
    path: `${parent.path}${code}/`,
  };
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    await trx('org_units').insert(unit);
    await appendAudit(trx, { actor: who.userId, action: 'unit.created', subject: 'OrgUnit', subjectId: code, reason: `${input.kind} ${input.name} under ${parent.code}`, ip, at });
  });
  return (await findUnit(ctx.db, code)) as OrgUnit;
}

export async function renameUnit(ctx: Ctx, who: Identity, code: string, name: string, ip: string | null): Promise<OrgUnit> {
  const unit = await findUnit(ctx.db, code);
  if (!unit) throw notFound('unit', code);
  assertManages(who, unit.regionCode, code);
  if (unit.name === name) return unit;
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    await trx('org_units').where({ code }).update({ name });
    await appendAudit(trx, { actor: who.userId, action: 'unit.renamed', subject: 'OrgUnit', subjectId: code, reason: `${unit.name} → ${name}`, ip, at });
  });
  return { ...unit, name };
}
