/**
 * Authentication at the edge: a Bearer access token becomes `req.identity` (user, unit, roles,
 * groups). Handlers only ever see the Identity, so an external provider (OIDC) can replace the token
 * check here without touching a domain module.
 */
import type { RequestHandler } from 'express';
import type { Ctx, Identity } from '../context.ts';
import { AppError } from '../errors.ts';
import { loadIdentity } from '../modules/identity/service.ts';
import { verifyAccessToken } from '../modules/identity/tokens.ts';

declare module 'express-serve-static-core' {
  interface Request {
    identity?: Identity;
  }
}

export async function identityFromToken(ctx: Ctx, token: unknown): Promise<Identity> {
  return (await sessionFromToken(ctx, token)).who;
}

/** The identity and when its token expires (sockets are dropped then). */
export async function sessionFromToken(ctx: Ctx, token: unknown): Promise<{ who: Identity; expiresAt: number }> {
  if (typeof token !== 'string' || token === '') throw new AppError('UNAUTHENTICATED', 'log in first: send Authorization: Bearer <access token>');
  const claims = await verifyAccessToken(ctx, token);
  const who = await loadIdentity(ctx, claims.userId);
  if (!who) throw new AppError('UNAUTHENTICATED', 'this account no longer exists or is disabled');
  return { who, expiresAt: claims.expiresAt };
}

export const bearerOf = (header: string | undefined): string | undefined => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

export function authenticate(ctx: Ctx): RequestHandler {
  return async (req, _res, next) => {
    req.identity = await identityFromToken(ctx, bearerOf(req.header('authorization')));
    next();
  };
}

export function identityOf(req: { identity?: Identity }): Identity {
  if (!req.identity) throw new AppError('UNAUTHENTICATED', 'not authenticated');
  return req.identity;
}
