import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { identityOf } from '../../http/identity.ts';
import { deployAs, listDefinitions } from './service.ts';
import { listFiles, readProcessFile } from './files.ts';
import { deleteDraft, getDraft, listDrafts, saveDraft } from './drafts.ts';
import { processOverlay } from './overlay.ts';
import { authorize } from '../../authz/ability.ts';
import { z } from '../../http/zod.ts';
import { Definition, DeployBody, DraftBody, DraftSchema, DraftSummary, FileParams, KeyParams, OverlaySchema, ProcessFileSchema, ProcessIdParams } from './schema.ts';

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });
const xml = (description: string) => ({ description, content: { 'application/xml': { schema: z.string() } } });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

registry.registerPath({ method: 'get', path: '/api/processes', tags: ['processes'], summary: 'Deployed process definitions, with owner and whether the caller may deploy', responses: { 200: json('definitions', z.object({ items: z.array(Definition) })) } });
registry.registerPath({ method: 'get', path: '/api/processes/{key}/xml', tags: ['processes'], request: { params: KeyParams }, responses: { 200: xml('BPMN XML'), 404: problem('unknown') } });
registry.registerPath({ method: 'post', path: '/api/processes', tags: ['processes'], summary: 'Deploy a BPMN file to the engine', request: { body: { content: { 'application/json': { schema: DeployBody } } } }, responses: { 201: json('deployed', z.object({ items: z.array(z.object({ bpmnProcessId: z.string(), version: z.number(), processDefinitionKey: z.string() })) })), 202: json('a live item’s process: waiting for a second person’s approval (/api/change-requests)', z.object({ changeRequest: z.record(z.string(), z.unknown()) })), 400: problem('invalid BPMN, or tasks routed outside the owning department, with reasons'), 403: problem('not a designer of the owning department') } });
registry.registerPath({ method: 'get', path: '/api/processes/files', tags: ['processes'], summary: 'The BPMN files of the processes folder', responses: { 200: json('files', z.object({ items: z.array(ProcessFileSchema) })) } });
registry.registerPath({ method: 'get', path: '/api/processes/files/{name}', tags: ['processes'], request: { params: FileParams }, responses: { 200: xml('BPMN XML'), 400: problem('not a plain .bpmn file name'), 404: problem('no such file') } });
registry.registerPath({ method: 'get', path: '/api/processes/drafts', tags: ['processes'], summary: 'Saved drafts', responses: { 200: json('drafts', z.object({ items: z.array(DraftSummary) })) } });
registry.registerPath({ method: 'get', path: '/api/processes/drafts/{bpmnProcessId}', tags: ['processes'], request: { params: ProcessIdParams }, responses: { 200: json('the draft', DraftSchema), 404: problem('no draft') } });
registry.registerPath({ method: 'put', path: '/api/processes/drafts/{bpmnProcessId}', tags: ['processes'], summary: 'Save a draft (may be unfinished; must be readable BPMN declaring this process)', request: { params: ProcessIdParams, body: { content: { 'application/json': { schema: DraftBody } } } }, responses: { 200: json('saved', DraftSchema), 400: problem('unreadable, or no process with this id'), 403: problem('not a designer of the owning department') } });
registry.registerPath({ method: 'delete', path: '/api/processes/drafts/{bpmnProcessId}', tags: ['processes'], request: { params: ProcessIdParams }, responses: { 204: { description: 'deleted' }, 403: problem('not a designer of the owning department'), 404: problem('no draft') } });
registry.registerPath({ method: 'get', path: '/api/processes/{bpmnProcessId}/overlay', tags: ['processes'], summary: 'Open tasks per element and their deadline levels (designers of the owner: all; supervisors/leaders: the cases they may read)', request: { params: ProcessIdParams }, responses: { 200: json('counts', OverlaySchema), 403: problem('not for your role'), 404: problem('no such process') } });

export function processRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/processes', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'read', 'Process');
    res.json({ items: await listDefinitions(ctx, who) });
  });
  r.get('/processes/files', async (req, res) => {
    authorize(identityOf(req), 'read', 'Process');
    res.json({ items: await listFiles(ctx.config.PROCESSES_DIR) });
  });
  r.get('/processes/files/:name', async (req, res) => {
    authorize(identityOf(req), 'read', 'Process');
    const { name } = parse(FileParams, req.params, 'params');
    res.type('application/xml').send(await readProcessFile(ctx.config.PROCESSES_DIR, name));
  });
  r.get('/processes/drafts', async (req, res) => {
    res.json(await listDrafts(ctx, identityOf(req)));
  });
  r.get('/processes/drafts/:bpmnProcessId', async (req, res) => {
    res.json(await getDraft(ctx, identityOf(req), parse(ProcessIdParams, req.params, 'params').bpmnProcessId));
  });
  r.put('/processes/drafts/:bpmnProcessId', async (req, res) => {
    const { bpmnProcessId } = parse(ProcessIdParams, req.params, 'params');
    res.json(await saveDraft(ctx, identityOf(req), bpmnProcessId, parse(DraftBody, req.body, 'body')));
  });
  r.delete('/processes/drafts/:bpmnProcessId', async (req, res) => {
    await deleteDraft(ctx, identityOf(req), parse(ProcessIdParams, req.params, 'params').bpmnProcessId);
    res.status(204).end();
  });
  r.get('/processes/:bpmnProcessId/overlay', async (req, res) => {
    res.json(await processOverlay(ctx, identityOf(req), parse(ProcessIdParams, req.params, 'params').bpmnProcessId));
  });
  r.get('/processes/:key/xml', async (req, res) => {
    authorize(identityOf(req), 'read', 'Process');
    const { key } = parse(KeyParams, req.params, 'params');
    const row = await ctx.db('process_definitions').where({ definition_key: key }).first('xml');
    if (!row) throw notFound('process definition', key);
    res.type('application/xml').send(row.xml);
  });
  r.post('/processes', async (req, res) => {
    const body = parse(DeployBody, req.body, 'body');
    const done = await deployAs(ctx, identityOf(req), body.name, body.xml, req.ip ?? null);
    if ('pending' in done) res.status(202).json({ changeRequest: done.pending });
    else res.status(201).json({ items: done.deployed });
  });
  return r;
}
