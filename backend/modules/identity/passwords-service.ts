/**
 * Setting a password: one's own change, the change forced at first login or after expiry, and an
 * administrator's reset (which hands out a one-time password and forces a change at next login).
 * Every change ends the account's other sessions.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx, Identity } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { abilityFor } from '../../authz/ability.ts';
import { accessibleBy } from '../../authz/sql.ts';
import { appendAudit } from '../audit/service.ts';
import { userFields } from '../org/service.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { isReused, policyProblems } from './password-policy.ts';
import { revokeAllSessions } from './tokens.ts';

function refuse(problems: string[]): never {
  throw new AppError('VALIDATION_FAILED', `body.newPassword: ${problems.join('; ')}`, problems.map((message) => ({ path: 'body.newPassword', message })));
}

/** Checks the policy and history, then stores the new password (nothing is written when refused). */
export async function setPassword(ctx: Ctx, userId: string, newPassword: string, opts: { by: string; ip: string | null; current?: string }): Promise<void> {
  const user = await ctx.db('users').where({ id: userId }).first('username', 'password_hash');
  if (!user) throw notFound('user', userId);
  const problems = policyProblems(ctx.config, String(user.username), newPassword);
  if (opts.current !== undefined && opts.current === newPassword) problems.push('must differ from the current password');
  if (problems.length > 0) refuse(problems);
  const history = ctx.config.PASSWORD_HISTORY > 0 ? await ctx.db('password_history').where({ user_id: userId }).orderBy('id', 'desc').limit(ctx.config.PASSWORD_HISTORY).pluck('password_hash') : [];
  if (await isReused([String(user.password_hash), ...history.map(String)], newPassword)) refuse([`must not be the current password or one of the last ${ctx.config.PASSWORD_HISTORY}`]);
  const now = ctx.clock.now();
  const hash = await hashPassword(newPassword);
  await ctx.db.transaction(async (trx) => {
    await trx('password_history').insert({ user_id: userId, password_hash: String(user.password_hash), created_at: now });
    await trx('users').where({ id: userId }).update({ password_hash: hash, must_change_password: false, password_changed_at: now });
    await appendAudit(trx, { actor: opts.by, action: 'password.changed', subject: 'User', subjectId: userId, ip: opts.ip, at: now });
  });
  await revokeAllSessions(ctx, userId);
  ctx.events.publish({ type: 'session.ended', userId, reason: 'password' });
}

export async function changeOwnPassword(ctx: Ctx, who: Identity, input: { currentPassword: string; newPassword: string; ip: string | null }): Promise<void> {
  const user = await ctx.db('users').where({ id: who.userId }).first('password_hash');
  if (!user || !(await verifyPassword(String(user.password_hash), input.currentPassword))) {
    throw new AppError('VALIDATION_FAILED', 'body.currentPassword: is not your current password', [{ path: 'body.currentPassword', message: 'is not your current password' }]);
  }
  await setPassword(ctx, who.userId, input.newPassword, { by: who.userId, ip: input.ip, current: input.currentPassword });
}

/** Three classes guaranteed, the rest random: it passes the policy it is about to be replaced under. */
export const oneTimePassword = (): string => `Tmp-${randomBytes(9).toString('base64url')}7a`;

/** An administrator's reset: a random one-time password the user must change at the next login. */
export async function resetPassword(ctx: Ctx, who: Identity, userId: string, ip: string | null): Promise<{ temporaryPassword: string }> {
  const target = await ctx.db('users').join('org_units as u', 'u.code', 'users.unit_code').where('users.id', userId).modify(accessibleBy(abilityFor(who), 'manage', 'User', userFields)).first('users.id');
  if (!target) throw notFound('user', userId); // outside one's remit looks the same as absent
  if (userId === who.userId) throw new AppError('FORBIDDEN', 'administrators change their own password themselves, with the current one');
  const temporaryPassword = oneTimePassword();
  const now = ctx.clock.now();
  const hash = await hashPassword(temporaryPassword);
  await ctx.db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ password_hash: hash, must_change_password: true, failed_logins: 0, locked_until: null, lockouts: 0 });
    await appendAudit(trx, { actor: who.userId, action: 'password.reset', subject: 'User', subjectId: userId, ip, at: now });
  });
  await revokeAllSessions(ctx, userId);
  ctx.events.publish({ type: 'session.ended', userId, reason: 'reset' });
  return { temporaryPassword };
}
