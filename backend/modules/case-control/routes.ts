import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { CaseIdParams, CaseSchema } from '../cases/schema.ts';
import { ResumeBody, SuspendBody, TerminateBody } from './schema.ts';
import { resumeCase, suspendCase, terminateCase } from './service.ts';

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });
const kase = (description: string) => ({ description, content: { 'application/json': { schema: CaseSchema } } });
const body = (schema: typeof SuspendBody | typeof ResumeBody | typeof TerminateBody) => ({ content: { 'application/json': { schema } } });
const refusals = { 400: problem('bad input'), 403: problem('not a leader of a unit handling the case'), 404: problem('unknown or not visible'), 409: problem('concluded, not started, already in that state, or being terminated'), 503: problem('engine unavailable: nothing changed, retry') };

registry.registerPath({ method: 'post', path: '/api/cases/{id}/suspend', tags: ['cases'], summary: '挂起: suspend the case (no decisions until resumed; the clock pauses only for a special procedure)', request: { params: CaseIdParams, body: body(SuspendBody) }, responses: { 200: kase('suspended'), ...refusals } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/resume', tags: ['cases'], summary: '激活: resume a suspended case', request: { params: CaseIdParams, body: body(ResumeBody) }, responses: { 200: kase('resumed; a paused clock moved by the working days paused'), ...refusals } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/terminate', tags: ['cases'], summary: '终止: end the case (applicant withdrew, or the law ends it); the reason goes to the applicant’s notice', request: { params: CaseIdParams, body: body(TerminateBody) }, responses: { 202: kase('recorded; the engine ends the instance and the case concludes'), ...refusals } });

export function caseControlRoutes(ctx: Ctx): Router {
  const r = Router();
  r.post('/cases/:id/suspend', async (req, res) => {
    const { id } = parse(CaseIdParams, req.params, 'params');
    res.json(await suspendCase(ctx, identityOf(req), id, parse(SuspendBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/cases/:id/resume', async (req, res) => {
    const { id } = parse(CaseIdParams, req.params, 'params');
    res.json(await resumeCase(ctx, identityOf(req), id, parse(ResumeBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/cases/:id/terminate', async (req, res) => {
    const { id } = parse(CaseIdParams, req.params, 'params');
    res.status(202).json(await terminateCase(ctx, identityOf(req), id, parse(TerminateBody, req.body, 'body'), req.ip ?? null));
  });
  return r;
}
