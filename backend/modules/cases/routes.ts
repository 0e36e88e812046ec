import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { getCase, readApplicant, submitCase, supplementCase } from './service.ts';
import { listCases } from './register.ts';
import { exportCases } from './export.ts';
import { ApplicantQuery, CaseExportQuery, CaseIdParams, CaseListQuery, CaseSchema, IdempotencyHeader, SubmitCaseBody, SupplementBody } from './schema.ts';
import { z } from '../../http/zod.ts';

export interface CaseStarterPort {
  /** Try to start the case's process now; resolves with whether it runs. */
  startNow(caseId: string): Promise<boolean>;
}

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });
const kase = (description: string) => ({ description, content: { 'application/json': { schema: CaseSchema } } });
registry.registerPath({
  method: 'post',
  path: '/api/cases',
  tags: ['cases'],
  summary: 'Submit an application for a service item; returns the case number',
  request: { headers: z.object({ 'idempotency-key': IdempotencyHeader }), body: { content: { 'application/json': { schema: SubmitCaseBody } } } },
  responses: { 201: kase('recorded and started'), 202: kase('recorded; the engine is unreachable and the start is retried'), 200: kase('a repeated Idempotency-Key: the earlier case'), 400: problem('invalid'), 409: problem('item not deployed / key reused') },
});
const CasePage = z.object({ items: z.array(CaseSchema), next: z.string().nullable().openapi({ description: 'pass as `after` for the next page; null on the last' }) }).openapi('CasePage');
registry.registerPath({ method: 'get', path: '/api/cases', tags: ['cases'], summary: 'The case register: search within your remit, newest first, keyset pages', request: { query: CaseListQuery }, responses: { 200: { description: 'a page', content: { 'application/json': { schema: CasePage } } }, 400: problem('bad filter or cursor') } });
registry.registerPath({
  method: 'get',
  path: '/api/cases/export',
  tags: ['cases'],
  summary: 'The register search as an XLSX file (applicant masked; audited)',
  request: { query: CaseExportQuery },
  responses: { 200: { description: 'the workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } } }, 400: problem('bad filter / too many rows'), 403: problem('your roles may not list cases') },
});
registry.registerPath({ method: 'get', path: '/api/cases/{id}', tags: ['cases'], summary: 'A case with its timeline and current steps', request: { params: CaseIdParams }, responses: { 200: kase('the case'), 404: problem('unknown') } });
registry.registerPath({ method: 'get', path: '/api/cases/{id}/applicant', tags: ['cases'], summary: 'The applicant’s personal data in clear (audited, with a reason)', request: { params: CaseIdParams, query: ApplicantQuery }, responses: { 200: { description: 'applicant' }, 403: problem('your role does not need it'), 404: problem('unknown or not visible') } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/supplements', tags: ['cases'], summary: '补正: supplementary materials received', request: { params: CaseIdParams, body: { content: { 'application/json': { schema: SupplementBody } } } }, responses: { 200: kase('the case'), 409: problem('not waiting for supplements') } });

export function caseRoutes(ctx: Ctx, starter: CaseStarterPort): Router {
  const r = Router();
  r.post('/cases', async (req, res) => {
    const who = identityOf(req);
    const key = parse(IdempotencyHeader, req.header('idempotency-key'), 'headers');
    const { view, created } = await submitCase(ctx, who, parse(SubmitCaseBody, req.body, 'body'), key);
    if (!created) {
      res.status(200).json(view);
      return;
    }
    const started = await starter.startNow(view.id);
    const c = await getCase(ctx, who, view.id);
    res.status(started ? 201 : 202).location(`/api/cases/${view.id}`).json(c);
  });
  r.get('/cases', async (req, res) => {
    res.json(await listCases(ctx, identityOf(req), parse(CaseListQuery, req.query, 'query')));
  });
  r.get('/cases/export', async (req, res) => {
    const { lang, ...search } = parse(CaseExportQuery, req.query, 'query');
    const file = await exportCases(ctx, identityOf(req), search, lang, req.ip ?? null);
    res
      .set('cache-control', 'no-store')
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment(file.filename)
      .send(file.body);
  });
  r.get('/cases/:id', async (req, res) => {
    res.json(await getCase(ctx, identityOf(req), parse(CaseIdParams, req.params, 'params').id));
  });
  r.get('/cases/:id/applicant', async (req, res) => {
    const { id } = parse(CaseIdParams, req.params, 'params');
    const { reason } = parse(ApplicantQuery, req.query, 'query');
    res.set('cache-control', 'no-store').json(await readApplicant(ctx, identityOf(req), id, reason, req.ip ?? null));
  });
  r.post('/cases/:id/supplements', async (req, res) => {
    const { id } = parse(CaseIdParams, req.params, 'params');
    res.json(await supplementCase(ctx, identityOf(req), id, parse(SupplementBody, req.body, 'body').materials));
  });
  return r;
}
