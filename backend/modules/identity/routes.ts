import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { packedRulesFor } from '../../authz/ability.ts';
import { login, logout, refresh } from './service.ts';

const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict().openapi('Login');
const RefreshBody = z.object({ refreshToken: z.string().min(20).max(200) }).strict().openapi('Refresh');
const SessionSchema = z
  .object({ accessToken: z.string(), accessTokenExpiresAt: z.string(), refreshToken: z.string(), refreshTokenExpiresAt: z.string(), user: z.record(z.string(), z.unknown()) })
  .openapi('Session');
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({ method: 'post', path: '/api/auth/login', tags: ['auth'], request: { body: { content: { 'application/json': { schema: LoginBody } } } }, responses: { 200: { description: 'tokens', content: { 'application/json': { schema: SessionSchema } } }, 401: problem('wrong username or password'), 423: problem('locked after repeated failures') } });
registry.registerPath({ method: 'post', path: '/api/auth/refresh', tags: ['auth'], request: { body: { content: { 'application/json': { schema: RefreshBody } } } }, responses: { 200: { description: 'new tokens (the old refresh token is spent)', content: { 'application/json': { schema: SessionSchema } } }, 401: problem('unknown, spent or expired') } });
registry.registerPath({ method: 'post', path: '/api/auth/logout', tags: ['auth'], request: { body: { content: { 'application/json': { schema: RefreshBody } } } }, responses: { 204: { description: 'the login’s refresh tokens are revoked' } } });
registry.registerPath({ method: 'get', path: '/api/auth/me', tags: ['auth'], summary: 'The current user and their packed CASL rules (for the UI)', responses: { 200: { description: 'user and rules' }, 401: problem('not logged in') } });

/** Routes that work without an access token. */
export function authRoutes(ctx: Ctx): Router {
  const r = Router();
  r.post('/auth/login', async (req, res) => {
    const body = parse(LoginBody, req.body, 'body');
    res.set('cache-control', 'no-store').json(await login(ctx, { ...body, ip: req.ip ?? null }));
  });
  r.post('/auth/refresh', async (req, res) => {
    res.set('cache-control', 'no-store').json(await refresh(ctx, parse(RefreshBody, req.body, 'body').refreshToken));
  });
  r.post('/auth/logout', async (req, res) => {
    await logout(ctx, parse(RefreshBody, req.body, 'body').refreshToken);
    res.status(204).end();
  });
  return r;
}

export function meRoutes(): Router {
  const r = Router();
  r.get('/auth/me', (req, res) => {
    const who = identityOf(req);
    res.json({ user: who, rules: packedRulesFor(who) });
  });
  return r;
}
