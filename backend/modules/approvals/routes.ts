import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { approveChange, listChangeRequests, rejectChange } from './service.ts';

const IdParams = z.object({ id: z.string().uuid('a change request id') });
const RejectBody = z.object({ note: z.string().trim().min(1).max(500) }).strict().openapi('ChangeRejection');
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({ method: 'get', path: '/api/change-requests', tags: ['approvals'], summary: '四眼原则: changes to live items’ processes waiting for a second person (own region)', responses: { 200: { description: 'requests' } } });
registry.registerPath({ method: 'post', path: '/api/change-requests/{id}/approve', tags: ['approvals'], summary: 'Approve and apply (not one’s own request)', request: { params: IdParams }, responses: { 200: { description: 'applied' }, 403: problem('own request, or not of the owning department'), 404: problem('unknown'), 409: problem('already decided') } });
registry.registerPath({ method: 'post', path: '/api/change-requests/{id}/reject', tags: ['approvals'], request: { params: IdParams, body: { content: { 'application/json': { schema: RejectBody } } } }, responses: { 200: { description: 'refused' }, 403: problem('own request, or not of the owning department'), 404: problem('unknown'), 409: problem('already decided') } });

export function approvalRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/change-requests', async (req, res) => {
    res.json({ items: await listChangeRequests(ctx, identityOf(req)) });
  });
  r.post('/change-requests/:id/approve', async (req, res) => {
    res.json(await approveChange(ctx, identityOf(req), parse(IdParams, req.params, 'params').id, req.ip ?? null));
  });
  r.post('/change-requests/:id/reject', async (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(await rejectChange(ctx, identityOf(req), id, parse(RejectBody, req.body, 'body').note, req.ip ?? null));
  });
  return r;
}
