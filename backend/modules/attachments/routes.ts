import express, { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { taskKey } from '../../http/ids.ts';
import { z } from '../../http/zod.ts';
import { CaseIdParams } from '../cases/schema.ts';
import { addAttachment, downloadAttachment, listAttachments } from './service.ts';

const UploadQuery = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+\.[A-Za-z0-9]{1,5}$/, 'a file name with an extension, no path')
    .refine((s) => !s.includes(String.fromCharCode(0)), 'a file name without NUL'),
  userTaskKey: taskKey.optional(),
});
const AttachmentId = z.object({ id: z.coerce.number().int().positive() });
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({ method: 'post', path: '/api/cases/{id}/attachments', tags: ['cases'], summary: 'Add an attachment (the raw file as the body; type checked by content)', request: { params: CaseIdParams, query: UploadQuery, body: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } } }, responses: { 201: { description: 'stored' }, 400: problem('empty, forbidden type, or name and content disagree'), 403: problem('you do not work this case'), 404: problem('unknown or not visible'), 413: problem('too large') } });
registry.registerPath({ method: 'get', path: '/api/cases/{id}/attachments', tags: ['cases'], request: { params: CaseIdParams }, responses: { 200: { description: 'the case’s attachments' }, 404: problem('unknown or not visible') } });
registry.registerPath({ method: 'get', path: '/api/attachments/{id}', tags: ['cases'], summary: 'Download (audited)', request: { params: AttachmentId }, responses: { 200: { description: 'the file' }, 404: problem('unknown or not visible') } });

export function attachmentRoutes(ctx: Ctx): Router {
  const r = Router();
  // one byte over the limit is enough to know it is too large (413), without reading more
  const raw = express.raw({ type: () => true, limit: ctx.config.ATTACHMENT_MAX_BYTES + 1 });
  r.post('/cases/:id/attachments', raw, async (req, res) => {
    const { id } = parse(CaseIdParams, req.params, 'params');
    const q = parse(UploadQuery, req.query, 'query');
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.status(201).json(await addAttachment(ctx, identityOf(req), id, { name: q.name, userTaskKey: q.userTaskKey, bytes }, req.ip ?? null));
  });
  r.get('/cases/:id/attachments', async (req, res) => {
    res.json(await listAttachments(ctx, identityOf(req), parse(CaseIdParams, req.params, 'params').id));
  });
  r.get('/attachments/:id', async (req, res) => {
    const f = await downloadAttachment(ctx, identityOf(req), parse(AttachmentId, req.params, 'params').id, req.ip ?? null);
    res.set({ 'content-type': f.mediaType, 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).send(f.bytes);
  });
  return r;
}
