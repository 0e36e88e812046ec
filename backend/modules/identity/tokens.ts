/**
 * Short-lived access tokens (JWT, HS256, jose) carry only the user id: roles and unit are read fresh
 * on each request, so a change or a lock takes effect at once. Refresh tokens are opaque, stored
 * hashed, rotated on every use; presenting a rotated one again revokes its whole family (theft).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Ctx } from '../../context.ts';
import { AppError } from '../../errors.ts';

const ISSUER = 'licence-desk';
const AUDIENCE = 'licence-desk-api';
const keyOf = (secret: string) => new TextEncoder().encode(secret);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function signAccessToken(ctx: Ctx, userId: string): Promise<{ token: string; expiresAt: number }> {
  const now = Math.floor(ctx.clock.now() / 1000);
  const exp = now + ctx.config.ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt(now).setExpirationTime(exp).sign(keyOf(ctx.config.AUTH_TOKEN_SECRET));
  return { token, expiresAt: exp * 1000 };
}

export async function verifyAccessToken(ctx: Ctx, token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, keyOf(ctx.config.AUTH_TOKEN_SECRET), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: new Date(ctx.clock.now()),
    });
    if (typeof payload.sub !== 'string') throw new AppError('UNAUTHENTICATED', 'the access token names no user');
    return payload.sub;
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof errors.JWTExpired) throw new AppError('UNAUTHENTICATED', 'the access token has expired: refresh it or log in again');
    throw new AppError('UNAUTHENTICATED', 'the access token is not valid');
  }
}

export async function issueRefreshToken(ctx: Ctx, userId: string, family: string = randomUUID()): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = now + ctx.config.REFRESH_TOKEN_TTL_SECONDS * 1000;
  await ctx.db('refresh_tokens').insert({ id: randomUUID(), user_id: userId, token_hash: sha256(token), family, expires_at: expiresAt, created_at: now });
  return { token, expiresAt };
}

/** Spends a refresh token: returns its user and family, or throws (and revokes on reuse). */
export async function spendRefreshToken(ctx: Ctx, token: string): Promise<{ userId: string; family: string }> {
  const now = ctx.clock.now();
  const row = await ctx.db('refresh_tokens').where({ token_hash: sha256(token) }).first();
  if (!row) throw new AppError('UNAUTHENTICATED', 'unknown refresh token: log in again');
  if (row.revoked_at !== null && row.revoked_at !== undefined) {
    await ctx.db('refresh_tokens').where({ family: row.family }).whereNull('revoked_at').update({ revoked_at: now });
    throw new AppError('UNAUTHENTICATED', 'this refresh token was already used; every session of this login is now closed');
  }
  if (Number(row.expires_at) <= now) throw new AppError('UNAUTHENTICATED', 'the refresh token has expired: log in again');
  const spent = await ctx.db('refresh_tokens').where({ id: row.id }).whereNull('revoked_at').update({ revoked_at: now });
  if (spent === 0) throw new AppError('UNAUTHENTICATED', 'this refresh token was already used');
  return { userId: String(row.user_id), family: String(row.family) };
}

export async function revokeRefreshToken(ctx: Ctx, token: string): Promise<void> {
  const row = await ctx.db('refresh_tokens').where({ token_hash: sha256(token) }).first('family');
  if (row) await ctx.db('refresh_tokens').where({ family: row.family }).whereNull('revoked_at').update({ revoked_at: ctx.clock.now() });
}
