import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../context.ts';
import { bearerOf, identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { AppError } from '../../errors.ts';
import { packedRulesFor } from '../../authz/ability.ts';
import type { Limits } from '../../http/rate-limits.ts';
import { login, logout, refresh, type Session } from './service.ts';
import { changeOwnPassword, resetPassword } from './passwords-service.ts';

const LoginBody = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(200),
    newPassword: z.string().min(1).max(200).optional().openapi({ description: 'when the answer was next=change_password' }),
    totpCode: z.string().regex(/^\d{6}$/, 'six digits from the authenticator app').optional(),
    refreshIn: z.enum(['body', 'cookie']).default('body').openapi({ description: 'cookie: the refresh token comes as an HttpOnly SameSite=Strict cookie (the web app)' }),
  })
  .strict()
  .openapi('Login');
const RefreshBody = z.object({ refreshToken: z.string().min(20).max(200).optional() }).strict().openapi('Refresh');
const PasswordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }).strict().openapi('PasswordChange');
const UserParams = z.object({ id: z.string().min(1).max(64) });
const SessionSchema = z
  .object({ accessToken: z.string(), accessTokenExpiresAt: z.string(), refreshToken: z.string().optional(), refreshTokenExpiresAt: z.string(), sessionExpiresAt: z.string(), user: z.record(z.string(), z.unknown()) })
  .openapi('Session');
const StepSchema = z.object({ next: z.enum(['change_password', 'totp', 'enrol_totp']), reason: z.string().optional(), totp: z.object({ secret: z.string(), otpauthUri: z.string() }).optional() }).openapi('LoginStep');
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({ method: 'post', path: '/api/auth/login', tags: ['auth'], summary: 'Log in; repeat with newPassword / totpCode as long as the answer names a next step', request: { body: { content: { 'application/json': { schema: LoginBody } } } }, responses: { 200: { description: 'tokens, or the next step', content: { 'application/json': { schema: z.union([SessionSchema, StepSchema]) } } }, 400: problem('the new password breaks the policy'), 401: problem('wrong username, password or code, or locked — one answer'), 429: problem('too many attempts') } });
registry.registerPath({ method: 'post', path: '/api/auth/refresh', tags: ['auth'], request: { body: { content: { 'application/json': { schema: RefreshBody } } } }, responses: { 200: { description: 'new tokens (the old refresh token is spent)', content: { 'application/json': { schema: SessionSchema } } }, 401: problem('unknown, spent or expired') } });
registry.registerPath({ method: 'post', path: '/api/auth/logout', tags: ['auth'], request: { body: { content: { 'application/json': { schema: RefreshBody } } } }, responses: { 204: { description: 'the login’s refresh tokens and the presented access token are revoked, its sockets closed' } } });
registry.registerPath({ method: 'get', path: '/api/auth/me', tags: ['auth'], summary: 'The current user and their packed CASL rules (for the UI)', responses: { 200: { description: 'user and rules' }, 401: problem('not logged in') } });
registry.registerPath({ method: 'post', path: '/api/auth/password', tags: ['auth'], summary: 'Change one’s own password (ends every session of the account)', request: { body: { content: { 'application/json': { schema: PasswordBody } } } }, responses: { 204: { description: 'changed' }, 400: problem('wrong current password, or the policy refuses the new one') } });
registry.registerPath({ method: 'post', path: '/api/users/{id}/password-reset', tags: ['auth'], summary: 'An administrator resets a password: a one-time password, changed at the next login', request: { params: UserParams }, responses: { 200: { description: 'the one-time password' }, 404: problem('unknown or outside your region') } });

const COOKIE = 'ld_refresh';
// the cookie goes only to the three routes that use it, never to a page or the rest of the API
const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'strict' as const, secure: req.secure, path: '/api/auth' });

function answer(req: Request, res: Response, result: Session | object, transport: 'body' | 'cookie'): void {
  res.set('cache-control', 'no-store');
  if (transport === 'cookie' && 'refreshToken' in result) {
    const { refreshToken, ...rest } = result as Session;
    // a browser-session cookie (gone when the browser closes, as a shared office PC wants); the server
    // enforces the idle and absolute limits, so the cookie needs no Expires of its own
    res.cookie(COOKIE, refreshToken, cookieOptions(req));
    res.json(rest);
    return;
  }
  res.json(result);
}

/** A refresh token from the body (API clients) or the cookie (the web app, which must also say so in a header a form cannot set). */
function refreshTokenOf(req: Request, body: { refreshToken?: string | undefined }): { token: string; transport: 'body' | 'cookie' } {
  if (body.refreshToken) return { token: body.refreshToken, transport: 'body' };
  const cookie = (req.cookies as Record<string, string> | undefined)?.[COOKIE];
  if (cookie && req.header('x-requested-with') === 'licence-desk') return { token: cookie, transport: 'cookie' };
  throw new AppError('UNAUTHENTICATED', 'no refresh token: send it in the body, or as the session cookie with X-Requested-With: licence-desk');
}

/** Routes that work without an access token. */
export function authRoutes(ctx: Ctx, limits: Limits): Router {
  const r = Router();
  r.post('/auth/login', limits.loginPerIp, limits.loginPerAccount, async (req, res) => {
    const body = parse(LoginBody, req.body, 'body');
    answer(req, res, await login(ctx, { ...body, ip: req.ip ?? null }), body.refreshIn);
  });
  r.post('/auth/refresh', limits.loginPerIp, async (req, res) => {
    const { token, transport } = refreshTokenOf(req, parse(RefreshBody, req.body ?? {}, 'body'));
    answer(req, res, await refresh(ctx, token, req.ip ?? null), transport);
  });
  r.post('/auth/logout', async (req, res) => {
    const body = parse(RefreshBody, req.body ?? {}, 'body');
    const cookie = (req.cookies as Record<string, string> | undefined)?.[COOKIE];
    await logout(ctx, { refreshToken: body.refreshToken ?? cookie, accessToken: bearerOf(req.header('authorization')), ip: req.ip ?? null });
    res.clearCookie(COOKIE, cookieOptions(req));
    res.status(204).end();
  });
  return r;
}

export function meRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/auth/me', (req, res) => {
    const who = identityOf(req);
    res.json({ user: who, rules: packedRulesFor(who) });
  });
  r.post('/auth/password', async (req, res) => {
    const body = parse(PasswordBody, req.body, 'body');
    await changeOwnPassword(ctx, identityOf(req), { ...body, ip: req.ip ?? null });
    res.status(204).end();
  });
  r.post('/users/:id/password-reset', async (req, res) => {
    const { id } = parse(UserParams, req.params, 'params');
    res.set('cache-control', 'no-store').json(await resetPassword(ctx, identityOf(req), id, req.ip ?? null));
  });
  return r;
}
