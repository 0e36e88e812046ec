/**
 * Accounts, as an administrator keeps them: create (with a one-time password changed at first
 * login), change roles, disable and enable — each only for users of its own region and below, each
 * audited. Identity is read fresh on every request, so a change bites at the next request; sockets
 * keep the identity of their handshake, so every change here also drops the account's sockets (a
 * reconnect joins the rooms its roles now allow). Disabling also ends every refresh token.
 */
import type { Ctx, Identity } from '../../context.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';
import { abilityFor } from '../../authz/ability.ts';
import { accessibleBy } from '../../authz/sql.ts';
import type { Db, Trx } from '../../db/knex.ts';
import { appendAudit } from '../audit/service.ts';
import { hashPassword } from '../identity/passwords.ts';
import { oneTimePassword } from '../identity/passwords-service.ts';
import { findUnit, userFields } from './service.ts';
import { assertManages } from './units.ts';
import { announceReleased, releaseTasksOf } from '../tasks/release.ts';

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  unitCode: string;
  active: boolean;
  lockedUntil: string | null;
  roles: string[];
}

const COLUMNS = ['users.id', 'users.username', 'users.display_name', 'users.unit_code', 'users.active', 'users.locked_until'];

/** The users `who` may `action` (read | manage), as the admin pages show them. */
export async function listUsers(db: Db, who: Identity, filter: { unitCode?: string | undefined } = {}): Promise<AdminUser[]> {
  const rows: Array<Record<string, unknown>> = await db('users')
    .join('org_units as u', 'u.code', 'users.unit_code')
    .select(COLUMNS)
    .modify(accessibleBy(abilityFor(who), 'read', 'User', userFields))
    .modify((q) => void (filter.unitCode ? q.where('users.unit_code', filter.unitCode) : q))
    .orderBy('users.username');
  return withRoles(db, rows);
}

async function withRoles(db: Db | Trx, rows: Array<Record<string, unknown>>): Promise<AdminUser[]> {
  const roles = rows.length === 0 ? [] : await db('user_roles').whereIn('user_id', rows.map((u) => String(u.id)));
  return rows.map((u) => ({
    id: String(u.id),
    username: String(u.username),
    displayName: String(u.display_name),
    unitCode: String(u.unit_code),
    active: Boolean(u.active),
    lockedUntil: u.locked_until ? new Date(Number(u.locked_until)).toISOString() : null,
    roles: roles.filter((x) => x.user_id === u.id).map((x) => String(x.role)).sort(),
  }));
}

/** A user `who` manages; outside one's remit looks the same as absent (404). */
async function manageable(ctx: Ctx, who: Identity, id: string): Promise<AdminUser> {
  const row = await ctx.db('users').join('org_units as u', 'u.code', 'users.unit_code').where('users.id', id).modify(accessibleBy(abilityFor(who), 'manage', 'User', userFields)).first(COLUMNS);
  if (!row) throw notFound('user', id);
  return (await withRoles(ctx.db, [row]))[0] as AdminUser;
}

const notOneself = (who: Identity, id: string, what: string) => {
  // an administrator locking itself out, or granting itself more, needs a second administrator
  if (who.userId === id) throw forbidden(`an administrator does not ${what} its own account: another administrator does`);
};

export async function createUser(ctx: Ctx, who: Identity, input: { username: string; displayName: string; unitCode: string; roles: string[] }, ip: string | null): Promise<{ user: AdminUser; temporaryPassword: string }> {
  const unit = await findUnit(ctx.db, input.unitCode);
  if (!unit || unit.kind !== 'department') {
    throw new AppError('VALIDATION_FAILED', `body.unitCode: ${input.unitCode} is not a department of the tree`, [{ path: 'body.unitCode', message: 'users sit in a department, e.g. JN-01-01.WR' }]);
  }
  assertManages(who, unit.regionCode, `a user in ${unit.code}`);
  if (await ctx.db('users').where({ username: input.username }).first('id')) throw conflict(`user ${input.username} already exists`);
  const temporaryPassword = oneTimePassword();
  const hash = await hashPassword(temporaryPassword);
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    await trx('users').insert({ id: input.username, username: input.username, display_name: input.displayName, unit_code: unit.code, password_hash: hash, failed_logins: 0, active: true, created_at: at, must_change_password: true, password_changed_at: null });
    for (const role of input.roles) await trx('user_roles').insert({ user_id: input.username, role });
    await appendAudit(trx, { actor: who.userId, action: 'user.created', subject: 'User', subjectId: input.username, reason: `${unit.code}: ${input.roles.join(', ') || 'no roles'}`, ip, at });
  });
  return { user: await manageable(ctx, who, input.username), temporaryPassword };
}

export async function setRoles(ctx: Ctx, who: Identity, id: string, roles: string[], ip: string | null): Promise<AdminUser> {
  const target = await manageable(ctx, who, id);
  notOneself(who, id, 'change the roles of');
  const next = [...roles].sort();
  if (next.join() === target.roles.join()) return target;
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    await trx('user_roles').where({ user_id: id }).delete();
    for (const role of next) await trx('user_roles').insert({ user_id: id, role });
    await appendAudit(trx, { actor: who.userId, action: 'user.roles-changed', subject: 'User', subjectId: id, reason: `${target.roles.join(', ') || '—'} → ${next.join(', ') || '—'}`, ip, at });
  });
  ctx.events.publish({ type: 'session.ended', userId: id, reason: 'roles' });
  ctx.log.info({ by: who.userId, userId: id, roles: next }, 'roles changed');
  return manageable(ctx, who, id);
}

/**
 * Renames an account or moves it to another department of one's region (both ends must be in it).
 * A move changes the groups the account acts for: identity is read fresh on every request, so HTTP
 * follows at once; its sockets are dropped (a reconnect joins the new rooms) and the tasks it holds
 * go back to their groups, as when it is disabled.
 */
export async function updateUser(ctx: Ctx, who: Identity, id: string, input: { displayName?: string | undefined; unitCode?: string | undefined; reason?: string | undefined }, ip: string | null): Promise<AdminUser> {
  const target = await manageable(ctx, who, id);
  const moving = input.unitCode !== undefined && input.unitCode !== target.unitCode;
  if (moving) {
    notOneself(who, id, 'move');
    const unit = await findUnit(ctx.db, String(input.unitCode));
    if (!unit || unit.kind !== 'department') {
      throw new AppError('VALIDATION_FAILED', `body.unitCode: ${input.unitCode} is not a department of the tree`, [{ path: 'body.unitCode', message: 'users sit in a department, e.g. JN-01-01.WR' }]);
    }
    assertManages(who, unit.regionCode, `a user in ${unit.code}`);
  }
  const renaming = input.displayName !== undefined && input.displayName !== target.displayName;
  if (!moving && !renaming) return target; // a retry changes nothing and audits nothing
  const at = ctx.clock.now();
  const released = await ctx.db.transaction(async (trx) => {
    if (renaming) {
      await trx('users').where({ id }).update({ display_name: input.displayName });
      await appendAudit(trx, { actor: who.userId, action: 'user.renamed', subject: 'User', subjectId: id, reason: `${target.displayName} → ${input.displayName}`, ip, at });
    }
    if (!moving) return [];
    await trx('users').where({ id }).update({ unit_code: input.unitCode });
    await appendAudit(trx, { actor: who.userId, action: 'user.moved', subject: 'User', subjectId: id, reason: `${target.unitCode} → ${input.unitCode}: ${input.reason}`, ip, at });
    return releaseTasksOf(trx, id, who.userId, at, 'account-moved');
  });
  if (moving) ctx.events.publish({ type: 'session.ended', userId: id, reason: 'moved' });
  await announceReleased(ctx, released);
  ctx.log.info({ by: who.userId, userId: id, moved: moving, renamed: renaming }, 'user updated');
  return manageable(ctx, who, id);
}

export async function setActive(ctx: Ctx, who: Identity, id: string, active: boolean, reason: string | null, ip: string | null): Promise<AdminUser> {
  const target = await manageable(ctx, who, id);
  notOneself(who, id, active ? 'enable' : 'disable');
  if (target.active === active) return target; // a retry changes nothing and audits nothing
  const at = ctx.clock.now();
  const released = await ctx.db.transaction(async (trx) => {
    await trx('users').where({ id }).update({ active });
    if (!active) await trx('refresh_tokens').where({ user_id: id }).whereNull('revoked_at').update({ revoked_at: at });
    await appendAudit(trx, { actor: who.userId, action: active ? 'user.enabled' : 'user.disabled', subject: 'User', subjectId: id, reason, ip, at });
    return active ? [] : releaseTasksOf(trx, id, who.userId, at, 'account-disabled');
  });
  if (!active) ctx.events.publish({ type: 'session.ended', userId: id, reason: 'disabled' });
  await announceReleased(ctx, released);
  ctx.log.info({ by: who.userId, userId: id, active }, active ? 'user enabled' : 'user disabled');
  return manageable(ctx, who, id);
}
