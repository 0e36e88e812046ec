import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import type { Limits } from '../../http/rate-limits.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { publicNotice, publicStatus, reissueCode } from './service.ts';
import { sendPdf } from '../notices/index.ts';

export const CaseNoParams = z.object({ caseNo: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9]+$/, 'letters and digits, as printed on the receipt') });
export const CodeQuery = z.object({ code: z.string().trim().min(1).max(32).openapi({ description: 'the query code printed on the receipt (XXXX-XXXX; case and dash do not matter)' }) });
const CaseId = z.object({ id: z.string().uuid() });
const NoticeParams = CaseNoParams.extend({ noticeId: z.coerce.number().int().positive() });
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({
  method: 'get',
  path: '/public/cases/{caseNo}',
  tags: ['public'],
  summary: 'The applicant’s status query: no account, the case number and its query code',
  request: { params: CaseNoParams, query: CodeQuery },
  responses: { 200: { description: 'item, accepting unit, status in plain words, steps done, due dates, pauses, what is missing, the decision, the notices' }, 400: problem('malformed'), 404: problem('no case matches this number and code (the same for an unknown number and a wrong code)'), 429: problem('too many queries from this address or for this case') },
});
registry.registerPath({ method: 'get', path: '/public/cases/{caseNo}/notices/{noticeId}', tags: ['public'], summary: 'A notice of the case (PDF), opened by the same number and code', request: { params: NoticeParams, query: CodeQuery }, responses: { 200: { description: 'application/pdf' }, 404: problem('no case matches, or no such notice'), 429: problem('too many queries') } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/query-code', tags: ['public'], summary: 'Issue a new query code (lost receipt): the old one stops working', request: { params: CaseId }, responses: { 201: { description: 'the new code, shown once' }, 403: problem('not the filing window'), 404: problem('unknown or not visible') } });

/** Mounted at /public, outside the authenticated API, behind its own rate limits. */
export function publicQueryRoutes(ctx: Ctx, limits: Limits): Router {
  const r = Router();
  r.get('/cases/:caseNo', limits.publicPerClient, limits.publicPerCase, async (req, res) => {
    const { caseNo } = parse(CaseNoParams, req.params, 'params');
    const { code } = parse(CodeQuery, req.query, 'query');
    res.set('cache-control', 'no-store').json(await publicStatus(ctx, caseNo, code));
  });
  r.get('/cases/:caseNo/notices/:noticeId', limits.publicPerClient, limits.publicPerCase, async (req, res) => {
    const { caseNo, noticeId } = parse(NoticeParams, req.params, 'params');
    const { code } = parse(CodeQuery, req.query, 'query');
    const n = await publicNotice(ctx, caseNo, code, noticeId);
    sendPdf(res, n, n.caseNo);
  });
  return r;
}

/** Staff routes (inside the authenticated API). */
export function queryCodeRoutes(ctx: Ctx): Router {
  const r = Router();
  r.post('/cases/:id/query-code', async (req, res) => {
    res.status(201).set('cache-control', 'no-store').json(await reissueCode(ctx, identityOf(req), parse(CaseId, req.params, 'params').id));
  });
  return r;
}
