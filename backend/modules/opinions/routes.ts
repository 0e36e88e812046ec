/**
 * 常用意见: a user's own opinion texts (create, list, change, delete). Nobody sees or touches another
 * user's: another's id is a 404, like an unknown one.
 */
import { Router } from 'express';
import type { Ctx, Identity } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { AppError, notFound } from '../../errors.ts';

const OpinionBody = z.object({ text: z.string().trim().min(1, 'an opinion needs text').max(500) }).strict().openapi('CommonOpinion');
const OpinionId = z.object({ id: z.coerce.number().int().positive() });
const MAX_PER_USER = 100;
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });
const body = { content: { 'application/json': { schema: OpinionBody } } };
registry.registerPath({ method: 'get', path: '/api/opinions', tags: ['opinions'], summary: '常用意见: my common opinions', responses: { 200: { description: 'mine, oldest first' } } });
registry.registerPath({ method: 'post', path: '/api/opinions', tags: ['opinions'], request: { body }, responses: { 201: { description: 'added' }, 400: problem('empty, too long, or too many') } });
registry.registerPath({ method: 'put', path: '/api/opinions/{id}', tags: ['opinions'], request: { params: OpinionId, body }, responses: { 200: { description: 'changed' }, 404: problem('not one of mine') } });
registry.registerPath({ method: 'delete', path: '/api/opinions/{id}', tags: ['opinions'], request: { params: OpinionId }, responses: { 204: { description: 'deleted' }, 404: problem('not one of mine') } });

const view = (r: Record<string, unknown>) => ({ id: Number(r.id), text: String(r.text) });
const mine = (ctx: Ctx, who: Identity) => ctx.db('common_opinions').where({ user_id: who.userId });

export function opinionRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/opinions', async (req, res) => {
    res.json({ items: (await mine(ctx, identityOf(req)).orderBy('id')).map(view) });
  });
  r.post('/opinions', async (req, res) => {
    const who = identityOf(req);
    const { text } = parse(OpinionBody, req.body, 'body');
    const n = Number((await mine(ctx, who).count({ n: '*' }))[0]?.n ?? 0);
    if (n >= MAX_PER_USER) throw new AppError('VALIDATION_FAILED', `you already keep ${MAX_PER_USER} common opinions; delete one first`);
    const [id] = await ctx.db('common_opinions').insert({ user_id: who.userId, text, created_at: ctx.clock.now() }, ['id']);
    res.status(201).json({ id: Number(typeof id === 'object' ? (id as { id: number }).id : id), text });
  });
  r.put('/opinions/:id', async (req, res) => {
    const who = identityOf(req);
    const { id } = parse(OpinionId, req.params, 'params');
    const { text } = parse(OpinionBody, req.body, 'body');
    if ((await mine(ctx, who).where({ id }).update({ text })) === 0) throw notFound('common opinion', String(id));
    res.json({ id, text });
  });
  r.delete('/opinions/:id', async (req, res) => {
    const { id } = parse(OpinionId, req.params, 'params');
    if ((await mine(ctx, identityOf(req)).where({ id }).delete()) === 0) throw notFound('common opinion', String(id));
    res.status(204).end();
  });
  return r;
}
