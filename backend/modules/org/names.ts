/**
 * Names for codes: people read "示范市一区水利局承办人", not `jn-01-01.wr.reviewer` or `JN-01-01.WR`.
 * Lists look the names of one page up in two queries (users, units) after the page is chosen, so
 * the queue's index-driven legs stay as they are.
 */
import type { Db, Trx } from '../../db/knex.ts';

export interface Names {
  user(id: string | null | undefined): string | null;
  unit(code: string | null | undefined): string | null;
}

/** A candidate group `JN-01-01.WR:reviewer` as its unit and role group (the role is worded by the UI). */
export function splitGroup(group: string): { unitCode: string; role: string } {
  const i = group.lastIndexOf(':');
  return i < 0 ? { unitCode: group, role: '' } : { unitCode: group.slice(0, i), role: group.slice(i + 1) };
}

export async function namesFor(db: Db | Trx, want: { users?: Iterable<string | null | undefined>; units?: Iterable<string | null | undefined> }): Promise<Names> {
  const ids = [...new Set([...(want.users ?? [])].filter((x): x is string => typeof x === 'string' && x !== ''))];
  const codes = [...new Set([...(want.units ?? [])].filter((x): x is string => typeof x === 'string' && x !== ''))];
  const [users, units] = await Promise.all([
    ids.length ? (db('users').whereIn('id', ids).select('id', 'display_name') as Promise<Array<{ id: string; display_name: string }>>) : Promise.resolve([]),
    codes.length ? (db('org_units').whereIn('code', codes).select('code', 'name') as Promise<Array<{ code: string; name: string }>>) : Promise.resolve([]),
  ]);
  const u = new Map(users.map((r) => [String(r.id), String(r.display_name)]));
  const o = new Map(units.map((r) => [String(r.code), String(r.name)]));
  return { user: (id) => (id ? (u.get(id) ?? null) : null), unit: (code) => (code ? (o.get(code) ?? null) : null) };
}

/** A group with its unit's name beside it, for views. */
export const namedGroup = (names: Names, group: string) => {
  const { unitCode, role } = splitGroup(group);
  return { group, unitCode, unitName: names.unit(unitCode), role };
};
