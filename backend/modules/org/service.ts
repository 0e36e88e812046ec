/** The organisation tree (province → city → county, departments at each level). */
import { column, type FieldMap } from '../../authz/sql.ts';
import type { Db } from '../../db/knex.ts';
import type { Level } from '../../context.ts';

export interface OrgUnit {
  code: string;
  name: string;
  kind: 'region' | 'department';
  level: Level;
  regionCode: string;
  department: string | null;
  parentCode: string | null;
  path: string;
}

type Row = Record<string, unknown>;
const toUnit = (r: Row): OrgUnit => ({
  code: String(r.code),
  name: String(r.name),
  kind: r.kind as OrgUnit['kind'],
  level: r.level as Level,
  regionCode: String(r.region_code),
  department: (r.department as string | null) ?? null,
  parentCode: (r.parent_code as string | null) ?? null,
  path: String(r.path),
});

export async function findUnit(db: Db, code: string): Promise<OrgUnit | null> {
  const row = await db('org_units').where({ code }).first();
  return row ? toUnit(row) : null;
}

/** The unit and everything below it: one indexed prefix scan on the materialised path. */
export async function subtree(db: Db, code: string): Promise<OrgUnit[]> {
  const root = await findUnit(db, code);
  if (!root) return [];
  const rows = await db('org_units').where('path', 'like', `${root.path}%`).orderBy('path');
  return rows.map(toUnit);
}

export async function allUnits(db: Db): Promise<OrgUnit[]> {
  return (await db('org_units').orderBy('path')).map(toUnit);
}

/** Region codes from the province down to this region: "JN-01-01" → JN, JN-01, JN-01-01. */
export function regionChain(regionCode: string): string[] {
  const parts = regionCode.split('-');
  return parts.map((_, i) => parts.slice(0, i + 1).join('-'));
}

export const levelOfRegion = (regionCode: string): Level => (['province', 'city', 'county'] as const)[regionCode.split('-').length - 1] ?? 'county';

/** users.unit_code → the unit's region codes, for the admin's "my region and below" rule (users joined with org_units as u). */
const underRegion: FieldMap[string] = (q, _op, v) => void q.where('u.path', 'like', `%/${String(v)}/%`);
export const userFields: FieldMap = { id: column('users.id'), provinceCode: underRegion, cityCode: underRegion, countyCode: underRegion };
