/** The audit viewer's API: search, verify, export — the audit administrator's only door. */
import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { authorize } from '../../authz/ability.ts';
import { AppError } from '../../errors.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { AuditPageSchema, AuditQuery, ChainReportSchema, ExportQuery, VerifyBody } from './schema.ts';
import { EXPORT_MAX_ROWS, exportRows, searchAudit } from './queries.ts';
import { appendAudit, verifyAudit } from './service.ts';
import { anchorTarget } from './anchor.ts';
import { toCsv, toXlsx } from './export.ts';

const problem = (description: string) => ({ description });
registry.registerPath({ method: 'get', path: '/api/audit', tags: ['audit'], summary: 'Search the audit trail within one’s remit, newest first (audit administrators)', request: { query: AuditQuery }, responses: { 200: { description: 'a page; `next` is the cursor for the next one', content: { 'application/json': { schema: AuditPageSchema } } }, 400: problem('bad query'), 403: problem('not an audit administrator') } });
registry.registerPath({ method: 'post', path: '/api/audit/verify', tags: ['audit'], summary: 'Recompute the keyed chain and check it against the last anchor; says where it breaks (audited)', request: { body: { content: { 'application/json': { schema: VerifyBody } } } }, responses: { 200: { description: 'the report', content: { 'application/json': { schema: ChainReportSchema } } }, 403: problem('not an audit administrator') } });
registry.registerPath({ method: 'get', path: '/api/audit/export', tags: ['audit'], summary: 'The search as a CSV or XLSX file, within one’s remit (audited)', request: { query: ExportQuery }, responses: { 200: { description: 'text/csv or an xlsx workbook' }, 400: problem('bad query'), 403: problem('not an audit administrator'), 413: problem(`more than ${EXPORT_MAX_ROWS} rows: narrow the time range`) } });

export function auditRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'read', 'Audit');
    res.set('cache-control', 'no-store').json(await searchAudit(ctx.db, who, parse(AuditQuery, req.query, 'query')));
  });
  r.post('/audit/verify', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'verify', 'Audit');
    const body = parse(VerifyBody, req.body ?? {}, 'body');
    const report = await verifyAudit(ctx.db, body.anchor ? { anchor: body.anchor } : { anchorTarget: anchorTarget(ctx.config.AUDIT_ANCHOR) });
    // the verification itself goes on record after the walk, so it does not count itself
    await appendAudit(ctx.db, { actor: who.userId, action: 'audit.verified', subject: 'Audit', reason: report.intact ? `intact (${report.rows} rows)` : `broken at row ${report.broken?.id} (${report.broken?.reason})`, ip: req.ip ?? null, at: ctx.clock.now() });
    if (!report.intact) ctx.log.error({ broken: report.broken }, 'audit chain verification failed');
    res.json(report);
  });
  r.get('/audit/export', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'export', 'Audit');
    const { format, ...q } = parse(ExportQuery, req.query, 'query');
    const rows = await exportRows(ctx.db, who, q);
    if (rows.length > EXPORT_MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `the export would hold more than ${EXPORT_MAX_ROWS} rows: narrow the time range`);
    const filter = Object.entries(q).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'all';
    await appendAudit(ctx.db, { actor: who.userId, action: 'audit.exported', subject: 'Audit', reason: `${format}, ${rows.length} rows: ${filter}`.slice(0, 500), ip: req.ip ?? null, at: ctx.clock.now() });
    const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 19).replace(/[-:T]/g, '');
    res.set('cache-control', 'no-store').attachment(`audit-${stamp}.${format}`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(rows));
    else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(rows));
  });
  return r;
}
