/**
 * The identity seam. For now (AUTH_MODE=dev) the caller says who it is in two headers; the
 * authorization issue replaces this file with token verification, and nothing else changes:
 * handlers only ever see `req.identity`.
 */
import type { RequestHandler } from 'express';
import type { Identity } from '../context.ts';
import { AppError } from '../errors.ts';

declare module 'express-serve-static-core' {
  interface Request {
    identity?: Identity;
  }
}

const USER = /^[A-Za-z0-9_.@-]{1,64}$/;
const GROUP = /^[A-Za-z0-9_.:-]{1,100}$/;

export function identityFrom(userId: unknown, groups: unknown): Identity {
  if (typeof userId !== 'string' || !USER.test(userId)) {
    throw new AppError('UNAUTHENTICATED', 'who is calling? send x-user-id (letters, digits, _ . @ -)');
  }
  const list = typeof groups === 'string' ? groups.split(',').map((g) => g.trim()).filter(Boolean) : Array.isArray(groups) ? groups.map(String) : [];
  const bad = list.find((g) => !GROUP.test(g));
  if (bad !== undefined) throw new AppError('UNAUTHENTICATED', `invalid group name ${JSON.stringify(bad)}`);
  return { userId, groups: [...new Set(list)] };
}

export const authenticate: RequestHandler = (req, _res, next) => {
  req.identity = identityFrom(req.header('x-user-id'), req.header('x-user-groups'));
  next();
};

export function identityOf(req: { identity?: Identity }): Identity {
  if (!req.identity) throw new AppError('UNAUTHENTICATED', 'not authenticated');
  return req.identity;
}
