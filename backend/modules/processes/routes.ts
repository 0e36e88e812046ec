import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { identityOf } from '../../http/identity.ts';
import { deployAs } from './service.ts';
import { authorize } from '../../authz/ability.ts';
import { z } from '../../http/zod.ts';

const DeployBody = z
  .object({
    name: z.string().regex(/^[\w.-]{1,150}\.bpmn$/, 'a file name ending in .bpmn'),
    xml: z.string().min(1).max(1_500_000),
  })
  .strict()
  .openapi('DeployProcess');
const KeyParams = z.object({ key: z.string().regex(/^\d{1,20}$/) });
const Definition = z.object({ definitionKey: z.string(), bpmnProcessId: z.string(), version: z.number(), resourceName: z.string(), deployedAt: z.string() }).openapi('ProcessDefinition');

registry.registerPath({ method: 'get', path: '/api/processes', tags: ['processes'], summary: 'Deployed process definitions', responses: { 200: { description: 'definitions', content: { 'application/json': { schema: z.object({ items: z.array(Definition) }) } } } } });
registry.registerPath({ method: 'get', path: '/api/processes/{key}/xml', tags: ['processes'], request: { params: KeyParams }, responses: { 200: { description: 'BPMN XML' }, 404: { description: 'unknown', content: { 'application/json': { schema: ProblemSchema } } } } });
registry.registerPath({ method: 'post', path: '/api/processes', tags: ['processes'], summary: 'Deploy a BPMN file to the engine', request: { body: { content: { 'application/json': { schema: DeployBody } } } }, responses: { 201: { description: 'deployed', content: { 'application/json': { schema: z.object({ items: z.array(z.object({ bpmnProcessId: z.string(), version: z.number(), processDefinitionKey: z.string() })) }) } } }, 400: { description: 'invalid BPMN, with reasons', content: { 'application/json': { schema: ProblemSchema } } } } });

export function processRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/processes', async (req, res) => {
    authorize(identityOf(req), 'read', 'Process');
    const rows = await ctx.db('process_definitions').select('definition_key', 'bpmn_process_id', 'version', 'resource_name', 'deployed_at').orderBy([{ column: 'bpmn_process_id' }, { column: 'version', order: 'desc' }]);
    res.json({
      items: rows.map((d) => ({ definitionKey: String(d.definition_key), bpmnProcessId: d.bpmn_process_id, version: Number(d.version), resourceName: d.resource_name, deployedAt: new Date(Number(d.deployed_at)).toISOString() })),
    });
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
    res.status(201).json({ items: await deployAs(ctx, identityOf(req), body.name, body.xml) });
  });
  return r;
}
