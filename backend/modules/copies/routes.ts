import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { CaseIdParams } from '../cases/schema.ts';
import { CopyBody, CopyListQuery } from './schema.ts';
import { caseReceipts, copyCase, markCopyRead, myCopies } from './service.ts';

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/copies', tags: ['cases'], summary: '抄送: copy the case to people or departments (read-only for them)', request: { params: CaseIdParams, body: { content: { 'application/json': { schema: CopyBody } } } }, responses: { 201: { description: 'the recipients added and every receipt' }, 400: problem('unknown person or unit'), 403: problem('you do not work this case'), 404: problem('unknown or not visible') } });
registry.registerPath({ method: 'get', path: '/api/cases/{id}/copies', tags: ['cases'], summary: 'The read receipts of the case’s copies', request: { params: CaseIdParams }, responses: { 200: { description: 'receipts' }, 404: problem('unknown or not visible') } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/copies/read', tags: ['cases'], summary: 'Read receipt: the recipient has opened the case', request: { params: CaseIdParams }, responses: { 200: { description: 'whether this was the first read' }, 404: problem('unknown or not visible') } });
registry.registerPath({ method: 'get', path: '/api/copies', tags: ['cases'], summary: '抄送我的: copies sent to me', request: { query: CopyListQuery }, responses: { 200: { description: 'newest first' } } });

export function copyRoutes(ctx: Ctx): Router {
  const r = Router();
  r.post('/cases/:id/copies', async (req, res) => {
    const { id } = parse(CaseIdParams, req.params, 'params');
    res.status(201).json(await copyCase(ctx, identityOf(req), id, parse(CopyBody, req.body, 'body'), req.ip ?? null));
  });
  r.get('/cases/:id/copies', async (req, res) => {
    res.json(await caseReceipts(ctx, identityOf(req), parse(CaseIdParams, req.params, 'params').id));
  });
  r.post('/cases/:id/copies/read', async (req, res) => {
    res.json(await markCopyRead(ctx, identityOf(req), parse(CaseIdParams, req.params, 'params').id));
  });
  r.get('/copies', async (req, res) => {
    res.json(await myCopies(ctx, identityOf(req), parse(CopyListQuery, req.query, 'query').unread === 'true'));
  });
  return r;
}
