/**
 * Login (password, forced or expired password change, second factor), token refresh, logout, and
 * turning a token's user id into an Identity. This is the seam an external identity provider
 * (统一身份认证, OIDC) would replace: it must only produce the same Identity.
 *
 * A login is one request repeated with more in it until it succeeds: the password alone; then with
 * `newPassword` when the account must change it; then with `totpCode` (after enrolling, when the
 * role requires a second factor). Every repetition re-checks the password and counts against the
 * lock-out, so the steps add no unauthenticated state.
 */
import type { Ctx, Identity, Role } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import { findUnit } from '../org/service.ts';
import { open, seal } from '../cases/personal-data.ts';
import { burnVerification, verifyPassword } from './passwords.ts';
import { groupsOf, isRole } from './roles.ts';
import { issueRefreshToken, revokeAccessToken, revokeRefreshToken, signAccessToken, spendRefreshToken } from './tokens.ts';
import { recordFailure, recordSuccess, reserveAttempt } from './lockout.ts';
import { isExpired } from './password-policy.ts';
import { setPassword } from './passwords-service.ts';
import { newSecret, otpauthUri, stepOfCode } from './totp.ts';

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  sessionExpiresAt: string;
  user: Identity;
}

/** What a login answers when the password was right but the login is not complete yet. */
export type LoginStep =
  | { next: 'change_password'; reason: 'initial' | 'expired' }
  | { next: 'totp' }
  | { next: 'enrol_totp'; totp: { secret: string; otpauthUri: string } };

// one answer for an unknown account, a wrong password and a locked account: none tells which names exist
const WRONG = 'wrong username or password (after repeated failures an account is locked for a while)';

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

async function session(ctx: Ctx, userId: string, family?: { id: string; startedAt: number }): Promise<Session> {
  const user = await loadIdentity(ctx, userId);
  if (!user) throw new AppError('UNAUTHENTICATED', 'this account is disabled');
  const access = await signAccessToken(ctx, userId);
  const refresh = await issueRefreshToken(ctx, userId, family);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: new Date(access.expiresAt).toISOString(),
    refreshToken: refresh.token,
    refreshTokenExpiresAt: new Date(refresh.expiresAt).toISOString(),
    sessionExpiresAt: new Date(refresh.sessionEndsAt).toISOString(),
    user,
  };
}

export interface LoginInput {
  username: string;
  password: string;
  newPassword?: string | undefined;
  totpCode?: string | undefined;
  ip: string | null;
}

export async function login(ctx: Ctx, input: LoginInput): Promise<Session | LoginStep> {
  const now = ctx.clock.now();
  const user = await ctx.db('users').where({ username: input.username }).first();
  if (!user || !user.active || !(await reserveAttempt(ctx, String(user.id)))) {
    await burnVerification(input.password);
    throw new AppError('UNAUTHENTICATED', WRONG);
  }
  const userId = String(user.id);
  if (!(await verifyPassword(String(user.password_hash), input.password))) {
    await recordFailure(ctx, userId, input.ip, 'password');
    throw new AppError('UNAUTHENTICATED', WRONG);
  }
  // the password is right: from here the answers may say what is still missing
  const mustChange = user.must_change_password ? 'initial' : isExpired(ctx.config, user.password_changed_at === null ? null : Number(user.password_changed_at), now) ? 'expired' : null;
  if (mustChange) {
    if (input.newPassword === undefined) {
      await recordSuccess(ctx, userId);
      return { next: 'change_password', reason: mustChange };
    }
    await setPassword(ctx, userId, input.newPassword, { by: userId, ip: input.ip, current: input.password });
  }
  const roles = (await ctx.db('user_roles').where({ user_id: userId }).pluck('role')).map(String);
  const required = roles.some((r) => ctx.config.TOTP_REQUIRED_ROLES.includes(r));
  if (user.totp_enabled || required) {
    const step = await secondFactor(ctx, user, input);
    if (step) return step;
  }
  await recordSuccess(ctx, userId);
  await appendAudit(ctx.db, { actor: userId, action: 'login', subject: 'User', subjectId: userId, ip: input.ip, at: now });
  return session(ctx, userId);
}

/** Null when the code is good; the step to show when it is missing; throws when it is wrong. */
async function secondFactor(ctx: Ctx, user: Record<string, unknown>, input: LoginInput): Promise<LoginStep | null> {
  const userId = String(user.id);
  let secret = user.totp_secret ? open<string>(ctx.applicantKeys, String(user.totp_secret)) : null;
  if (!secret) {
    secret = newSecret();
    // the pending secret is kept until a first code confirms it, so a reload shows the same one
    await ctx.db('users').where({ id: userId }).update({ totp_secret: seal(ctx.applicantKeys, secret), totp_enabled: false });
  }
  if (input.totpCode === undefined) {
    await recordSuccess(ctx, userId);
    return user.totp_enabled ? { next: 'totp' } : { next: 'enrol_totp', totp: { secret, otpauthUri: otpauthUri(secret, String(user.username)) } };
  }
  const step = stepOfCode(secret, input.totpCode);
  const accepted =
    step !== null &&
    Number(
      await ctx.db('users')
        .where({ id: userId })
        .andWhere((q) => void q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
        .update({ totp_last_step: step, totp_enabled: true }),
    ) === 1;
  if (!accepted) {
    await recordFailure(ctx, userId, input.ip, 'totp');
    throw new AppError('UNAUTHENTICATED', 'the authenticator code is wrong or was already used');
  }
  if (!user.totp_enabled) await appendAudit(ctx.db, { actor: userId, action: 'totp.enrolled', subject: 'User', subjectId: userId, ip: input.ip, at: ctx.clock.now() });
  return null;
}

export async function refresh(ctx: Ctx, refreshToken: string, ip: string | null): Promise<Session> {
  const { userId, family, startedAt } = await spendRefreshToken(ctx, refreshToken, ip);
  return session(ctx, userId, { id: family, startedAt });
}

export async function logout(ctx: Ctx, input: { refreshToken?: string | undefined; accessToken?: string | undefined; ip: string | null }): Promise<void> {
  const userId = input.refreshToken ? await revokeRefreshToken(ctx, input.refreshToken) : null;
  const accessUser = input.accessToken ? await revokeAccessToken(ctx, input.accessToken) : null;
  const who = userId ?? accessUser;
  if (who) {
    await appendAudit(ctx.db, { actor: who, action: 'logout', subject: 'User', subjectId: who, ip: input.ip, at: ctx.clock.now() });
    ctx.events.publish({ type: 'session.ended', userId: who, reason: 'logout' });
  }
}
