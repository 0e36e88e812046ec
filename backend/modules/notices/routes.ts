import { Router, type Response } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { forbidden, notFound } from '../../errors.ts';
import { loadReadable } from '../cases/service.ts';
import { noticePdf, noticesOf } from './service.ts';
import { previewTemplate, resetTemplate, saveTemplate, templatesOf } from './admin.ts';
import { KINDS } from './templates.ts';

const CaseId = z.object({ id: z.string().uuid() });
const NoticeParams = z.object({ id: z.string().uuid(), noticeId: z.coerce.number().int().positive() });
const ItemParams = z.object({ code: z.string().min(1).max(64) });
const TemplateParams = ItemParams.extend({ kind: z.enum(KINDS) });
const TemplateBody = z.object({ title: z.string().trim().min(2).max(100), body: z.string().trim().min(10).max(20_000) }).strict().openapi('NoticeTemplate');
const PreviewQuery = z.object({ format: z.enum(['pdf', 'text']).default('pdf') }).strict();
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({ method: 'get', path: '/api/cases/{id}/notices', tags: ['notices'], summary: 'The notices issued for a case (受理, 补正, 决定书 …)', request: { params: CaseId }, responses: { 200: { description: 'notices with their SHA-256' }, 404: problem('unknown or not visible') } });
registry.registerPath({ method: 'get', path: '/api/cases/{id}/notices/{noticeId}/pdf', tags: ['notices'], summary: 'A notice as issued (PDF)', request: { params: NoticeParams }, responses: { 200: { description: 'application/pdf' }, 403: problem('not handling the case'), 404: problem('unknown') } });
registry.registerPath({ method: 'get', path: '/api/items/{code}/notice-templates', tags: ['notices'], request: { params: ItemParams }, responses: { 200: { description: 'the effective template of each notice' } } });
registry.registerPath({ method: 'put', path: '/api/items/{code}/notice-templates/{kind}', tags: ['notices'], summary: 'An administrator rewrites a notice for one item', request: { params: TemplateParams, body: { content: { 'application/json': { schema: TemplateBody } } } }, responses: { 200: { description: 'saved' }, 400: problem('a required placeholder is missing or one is unknown'), 403: problem('administrators only') } });

registry.registerPath({ method: 'delete', path: '/api/items/{code}/notice-templates/{kind}', tags: ['notices'], summary: 'Back to the default wording (audited)', request: { params: TemplateParams }, responses: { 200: { description: 'the default template' }, 403: problem('administrators only') } });
registry.registerPath({ method: 'post', path: '/api/items/{code}/notice-templates/{kind}/preview', tags: ['notices'], summary: 'A draft rendered with sample data (PDF); nothing stored', request: { params: TemplateParams, query: PreviewQuery, body: { content: { 'application/json': { schema: TemplateBody } } } }, responses: { 200: { description: 'application/pdf, or with format=text the merged text as JSON' }, 400: problem('a required placeholder is missing or one is unknown'), 403: problem('administrators only') } });

export function sendPdf(res: Response, n: { title: string; sha256: string; pdf: Buffer }, caseNo: string): void {
  res
    .set('content-type', 'application/pdf')
    .set('etag', `"${n.sha256}"`)
    .set('x-content-sha256', n.sha256)
    .set('cache-control', 'private, no-store')
    .set('content-disposition', `attachment; filename="${caseNo}.pdf"; filename*=UTF-8''${encodeURIComponent(`${n.title}-${caseNo}.pdf`)}`)
    .send(n.pdf);
}

export function noticeRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/cases/:id/notices', async (req, res) => {
    const { id } = parse(CaseId, req.params, 'params');
    await loadReadable(ctx, identityOf(req), id);
    res.json({ items: await noticesOf(ctx.db, id) });
  });
  r.get('/cases/:id/notices/:noticeId/pdf', async (req, res) => {
    const { id, noticeId } = parse(NoticeParams, req.params, 'params');
    const { row, may } = await loadReadable(ctx, identityOf(req), id);
    // a notice names the applicant: for those who handle the case, as the personal data itself
    if (!may('readPersonalData')) throw forbidden('notices carry the applicant’s name: only those handling the case download them');
    const n = await noticePdf(ctx.db, id, noticeId);
    if (!n) throw notFound('notice', String(noticeId));
    sendPdf(res, n, row.case_no);
  });
  r.get('/items/:code/notice-templates', async (req, res) => {
    res.json(await templatesOf(ctx, identityOf(req), parse(ItemParams, req.params, 'params').code));
  });
  r.put('/items/:code/notice-templates/:kind', async (req, res) => {
    const { code, kind } = parse(TemplateParams, req.params, 'params');
    res.json(await saveTemplate(ctx, identityOf(req), code, kind, parse(TemplateBody, req.body, 'body')));
  });
  r.delete('/items/:code/notice-templates/:kind', async (req, res) => {
    const { code, kind } = parse(TemplateParams, req.params, 'params');
    res.json(await resetTemplate(ctx, identityOf(req), code, kind));
  });
  r.post('/items/:code/notice-templates/:kind/preview', async (req, res) => {
    const { code, kind } = parse(TemplateParams, req.params, 'params');
    const { format } = parse(PreviewQuery, req.query, 'query');
    const p = await previewTemplate(ctx, identityOf(req), code, kind, parse(TemplateBody, req.body, 'body'));
    // the page's CSP frames nothing: the web app shows the merged text, and the PDF downloads
    if (format === 'text') return void res.set('cache-control', 'no-store').json({ title: p.title, text: p.text });
    res.set('content-type', 'application/pdf').set('cache-control', 'no-store').set('content-disposition', `attachment; filename="preview-${kind}.pdf"`).send(await p.pdf());
  });
  return r;
}
