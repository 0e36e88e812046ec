/**
 * Short-lived access tokens (JWT, HS256, jose) carry the user id and a token id: roles and unit are
 * read fresh on each request, so a change or a lock takes effect at once, and a logout puts the id
 * on a deny-list kept only until the token would have expired anyway. Refresh tokens are opaque,
 * stored hashed, rotated on every use; each lives REFRESH_TOKEN_TTL_SECONDS (the idle timeout) and
 * never beyond the login's absolute lifetime. Presenting a spent one again — or two uses racing —
 * revokes the whole family (theft), and is audited.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify, errors } from 'jose';
import type { Ctx } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';

const ISSUER = 'licence-desk';
const AUDIENCE = 'licence-desk-api';
const keyOf = (secret: string) => new TextEncoder().encode(secret);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function signAccessToken(ctx: Ctx, userId: string): Promise<{ token: string; expiresAt: number }> {
  const now = Math.floor(ctx.clock.now() / 1000);
  const exp = now + ctx.config.ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(keyOf(ctx.config.AUTH_TOKEN_SECRET));
  return { token, expiresAt: exp * 1000 };
}

export interface AccessClaims {
  userId: string;
  jti: string | null;
  /** epoch ms */
  expiresAt: number;
}

export async function verifyAccessToken(ctx: Ctx, token: string): Promise<AccessClaims> {
  let claims: AccessClaims;
  try {
    const { payload } = await jwtVerify(token, keyOf(ctx.config.AUTH_TOKEN_SECRET), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: new Date(ctx.clock.now()),
    });
    if (typeof payload.sub !== 'string') throw new AppError('UNAUTHENTICATED', 'the access token names no user');
    claims = { userId: payload.sub, jti: typeof payload.jti === 'string' ? payload.jti : null, expiresAt: Number(payload.exp) * 1000 };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof errors.JWTExpired) throw new AppError('UNAUTHENTICATED', 'the access token has expired: refresh it or log in again');
    throw new AppError('UNAUTHENTICATED', 'the access token is not valid');
  }
  if (claims.jti && (await ctx.db('revoked_access_tokens').where({ jti: claims.jti }).first('jti'))) throw new AppError('UNAUTHENTICATED', 'this access token was ended by a logout: log in again');
  return claims;
}

/** Puts a (valid) access token on the deny-list; returns its user, or null if it was not ours. */
export async function revokeAccessToken(ctx: Ctx, token: string): Promise<string | null> {
  let claims: AccessClaims;
  try {
    claims = await verifyAccessToken(ctx, token);
  } catch {
    return null;
  }
  if (!claims.jti) return claims.userId;
  await ctx.db('revoked_access_tokens').insert({ jti: claims.jti, expires_at: claims.expiresAt }).onConflict('jti').ignore();
  // the list stays short: entries are useless once their token has expired
  await ctx.db('revoked_access_tokens').where('expires_at', '<', ctx.clock.now()).delete();
  return claims.userId;
}

/** The expiry (epoch ms) a token claims, without checking it: for dropping a socket on time. */
export const expiryOf = (token: string): number | null => {
  try {
    const exp = decodeJwt(token).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
};

export async function issueRefreshToken(ctx: Ctx, userId: string, family?: { id: string; startedAt: number }): Promise<{ token: string; expiresAt: number; sessionEndsAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const startedAt = family?.startedAt ?? now;
  const sessionEndsAt = startedAt + ctx.config.SESSION_MAX_SECONDS * 1000;
  const expiresAt = Math.min(now + ctx.config.REFRESH_TOKEN_TTL_SECONDS * 1000, sessionEndsAt);
  await ctx.db('refresh_tokens').insert({ id: randomUUID(), user_id: userId, token_hash: sha256(token), family: family?.id ?? randomUUID(), expires_at: expiresAt, created_at: now, session_started_at: startedAt });
  return { token, expiresAt, sessionEndsAt };
}

async function revokeFamily(ctx: Ctx, row: Record<string, unknown>, ip: string | null, why: string): Promise<never> {
  const now = ctx.clock.now();
  await ctx.db('refresh_tokens').where({ family: row.family }).whereNull('revoked_at').update({ revoked_at: now });
  await appendAudit(ctx.db, { actor: String(row.user_id), action: 'refresh.reused', subject: 'User', subjectId: String(row.user_id), reason: why, ip, at: now });
  throw new AppError('UNAUTHENTICATED', 'this refresh token was already used; every session of this login is now closed');
}

/** Spends a refresh token: returns its user and family, or throws (and revokes on reuse). */
export async function spendRefreshToken(ctx: Ctx, token: string, ip: string | null): Promise<{ userId: string; family: string; startedAt: number }> {
  const now = ctx.clock.now();
  const row = await ctx.db('refresh_tokens').where({ token_hash: sha256(token) }).first();
  if (!row) throw new AppError('UNAUTHENTICATED', 'unknown refresh token: log in again');
  if (row.revoked_at !== null && row.revoked_at !== undefined) return revokeFamily(ctx, row, ip, 'a spent refresh token was presented again');
  if (Number(row.expires_at) <= now) throw new AppError('UNAUTHENTICATED', 'the session has expired (idle too long, or past its absolute lifetime): log in again');
  const spent = await ctx.db('refresh_tokens').where({ id: row.id }).whereNull('revoked_at').update({ revoked_at: now });
  // two uses at the same moment: one of them is not the owner
  if (Number(spent) === 0) return revokeFamily(ctx, row, ip, 'two uses of one refresh token raced');
  return { userId: String(row.user_id), family: String(row.family), startedAt: Number(row.session_started_at ?? row.created_at) };
}

/** Revokes the login's family; returns its user (null for an unknown token). */
export async function revokeRefreshToken(ctx: Ctx, token: string): Promise<string | null> {
  const row = await ctx.db('refresh_tokens').where({ token_hash: sha256(token) }).first('family', 'user_id');
  if (!row) return null;
  await ctx.db('refresh_tokens').where({ family: row.family }).whereNull('revoked_at').update({ revoked_at: ctx.clock.now() });
  return String(row.user_id);
}

export async function revokeAllSessions(ctx: Ctx, userId: string): Promise<void> {
  await ctx.db('refresh_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: ctx.clock.now() });
}
