/** Extra accounts a test needs beyond the demo ones (same demo password). */
import type { Knex } from 'knex';
import { hashPassword } from '../../backend/modules/identity/passwords.ts';
import { DEMO_PASSWORD } from '../../db/seeds/02-demo-org.ts';

export async function addUser(db: Knex, username: string, unitCode: string, roles: string[]): Promise<void> {
  await db('users').insert({ id: username, username, display_name: username, unit_code: unitCode, password_hash: await hashPassword(DEMO_PASSWORD), failed_logins: 0, active: true, created_at: Date.now() });
  for (const role of roles) await db('user_roles').insert({ user_id: username, role });
}
