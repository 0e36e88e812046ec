/** Who stands behind a candidate group: the users of that unit holding the matching role. */
import type { Db, Trx } from '../../db/knex.ts';

const ROLE_OF_GROUP: Record<string, string> = { window: 'window_clerk', reviewer: 'reviewer', head: 'section_head', leader: 'leader' };

export async function usersOfGroups(db: Db | Trx, groups: string[]): Promise<string[]> {
  const pairs = groups.flatMap((g) => {
    const [unit, roleGroup] = g.split(':');
    const role = ROLE_OF_GROUP[roleGroup ?? ''];
    return unit && role ? [[unit, role] as const] : [];
  });
  if (pairs.length === 0) return [];
  const rows = await db('users')
    .join('user_roles', 'user_roles.user_id', 'users.id')
    .where('users.active', true)
    .andWhere((q) => {
      for (const [unit, role] of pairs) void q.orWhere((w) => w.where('users.unit_code', unit).andWhere('user_roles.role', role));
    })
    .distinct('users.id');
  return rows.map((r: { id: string }) => r.id);
}
