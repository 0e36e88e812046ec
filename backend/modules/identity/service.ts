/**
 * Login, token refresh, logout and lock-out, and turning a token's user id into an Identity.
 * This is the seam an external identity provider (统一身份认证, OIDC) would replace: it must
 * only produce the same Identity.
 */
import type { Ctx, Identity, Role } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import { findUnit } from '../org/service.ts';
import { burnVerification, verifyPassword } from './passwords.ts';
import { groupsOf, isRole } from './roles.ts';
import { issueRefreshToken, revokeRefreshToken, signAccessToken, spendRefreshToken } from './tokens.ts';

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: Identity;
}

const WRONG = 'wrong username or password';

export async function loadIdentity(ctx: Ctx, userId: string): Promise<Identity | null> {
  const user = await ctx.db('users').where({ id: userId, active: true }).first();
  if (!user) return null;
  const unit = await findUnit(ctx.db, String(user.unit_code));
  if (!unit) return null;
  const roles = (await ctx.db('user_roles').where({ user_id: userId }).pluck('role')).map(String).filter(isRole) as Role[];
  return {
    userId: String(user.id),
    username: String(user.username),
    displayName: String(user.display_name),
    unitCode: unit.code,
    regionCode: unit.regionCode,
    level: unit.level,
    department: unit.department,
    roles,
    groups: groupsOf(unit.code, roles),
  };
}

async function session(ctx: Ctx, userId: string, family?: string): Promise<Session> {
  const user = await loadIdentity(ctx, userId);
  if (!user) throw new AppError('UNAUTHENTICATED', 'this account is disabled');
  const access = await signAccessToken(ctx, userId);
  const refresh = await issueRefreshToken(ctx, userId, family);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: new Date(access.expiresAt).toISOString(),
    refreshToken: refresh.token,
    refreshTokenExpiresAt: new Date(refresh.expiresAt).toISOString(),
    user,
  };
}

export async function login(ctx: Ctx, input: { username: string; password: string; ip: string | null }): Promise<Session> {
  const now = ctx.clock.now();
  const user = await ctx.db('users').where({ username: input.username }).first();
  if (!user || !user.active) {
    await burnVerification(input.password);
    throw new AppError('UNAUTHENTICATED', WRONG);
  }
  if (user.locked_until && Number(user.locked_until) > now) {
    throw new AppError('LOCKED', `this account is locked after repeated failed logins until ${new Date(Number(user.locked_until)).toISOString()}`);
  }
  if (!(await verifyPassword(String(user.password_hash), input.password))) {
    const failures = Number(user.failed_logins) + 1;
    const lock = failures >= ctx.config.LOGIN_MAX_FAILURES;
    await ctx.db('users').where({ id: user.id }).update(lock ? { failed_logins: 0, locked_until: now + ctx.config.LOGIN_LOCK_SECONDS * 1000 } : { failed_logins: failures });
    await appendAudit(ctx.db, { actor: String(user.id), action: lock ? 'account.locked' : 'login.failed', subject: 'User', subjectId: String(user.id), ip: input.ip, at: now });
    if (lock) throw new AppError('LOCKED', `too many failed logins: this account is locked for ${Math.round(ctx.config.LOGIN_LOCK_SECONDS / 60)} minutes`);
    throw new AppError('UNAUTHENTICATED', WRONG);
  }
  await ctx.db('users').where({ id: user.id }).update({ failed_logins: 0, locked_until: null });
  await appendAudit(ctx.db, { actor: String(user.id), action: 'login', subject: 'User', subjectId: String(user.id), ip: input.ip, at: now });
  return session(ctx, String(user.id));
}

export async function refresh(ctx: Ctx, refreshToken: string): Promise<Session> {
  const { userId, family } = await spendRefreshToken(ctx, refreshToken);
  return session(ctx, userId, family);
}

export async function logout(ctx: Ctx, refreshToken: string): Promise<void> {
  await revokeRefreshToken(ctx, refreshToken);
}
