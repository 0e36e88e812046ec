import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { bindProcess, findItem, listItems } from './service.ts';
import { registry } from '../../http/openapi.ts';
import { BindProcessBody, CreateItemBody, ItemCodeParams, ItemVersionSchema, ServiceItemSchema, UpdateItemBody } from './schema.ts';
import { createItem, itemVersions, updateItem } from './editing.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { parse } from '../../http/validate.ts';
import { z } from 'zod';
import { identityOf } from '../../http/identity.ts';
import { authorize } from '../../authz/ability.ts';

registry.registerPath({ method: 'get', path: '/api/items', tags: ['catalogue'], summary: 'List active service items (事项); ?all=true also the inactive ones', responses: { 200: { description: 'items', content: { 'application/json': { schema: z.object({ items: z.array(ServiceItemSchema) }) } } } } });
registry.registerPath({ method: 'get', path: '/api/items/{code}', tags: ['catalogue'], summary: 'One service item', request: { params: ItemCodeParams }, responses: { 200: { description: 'item', content: { 'application/json': { schema: ServiceItemSchema } } }, 404: { description: 'unknown item' } } });
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });
registry.registerPath({
  method: 'put',
  path: '/api/items/{code}/process',
  tags: ['catalogue'],
  summary: 'Choose the process version new cases of this item start (null: always the latest)',
  request: { params: ItemCodeParams, body: { content: { 'application/json': { schema: BindProcessBody } } } },
  responses: { 200: { description: 'the item', content: { 'application/json': { schema: ServiceItemSchema } } }, 400: problem('that version is not deployed'), 403: problem('not a designer of the owning department nor an administrator'), 404: problem('unknown item') },
});

registry.registerPath({ method: 'post', path: '/api/items', tags: ['catalogue'], summary: 'Create a service item, version 1 (province administrators)', request: { body: { content: { 'application/json': { schema: CreateItemBody } } } }, responses: { 201: { description: 'the item', content: { 'application/json': { schema: ServiceItemSchema } } }, 400: problem('a field, the code’s GB/T 39554.1 structure, the department or the process'), 403: problem('not a province administrator'), 409: problem('the code exists') } });
registry.registerPath({ method: 'put', path: '/api/items/{code}', tags: ['catalogue'], summary: 'Edit a service item: writes a new version; running cases keep theirs', request: { params: ItemCodeParams, body: { content: { 'application/json': { schema: UpdateItemBody } } } }, responses: { 200: { description: 'the item', content: { 'application/json': { schema: ServiceItemSchema } } }, 400: problem('a field'), 403: problem('not a province administrator'), 404: problem('unknown item'), 409: problem('a live item moved to another process, or edited meanwhile') } });
registry.registerPath({ method: 'get', path: '/api/items/{code}/versions', tags: ['catalogue'], summary: 'Every version of an item, newest first', request: { params: ItemCodeParams }, responses: { 200: { description: 'versions', content: { 'application/json': { schema: z.object({ items: z.array(ItemVersionSchema) }) } } }, 404: problem('unknown item') } });
const ListQuery = z.object({ all: z.enum(['true', 'false']).optional() });

export function catalogueRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/items', async (req, res) => {
    authorize(identityOf(req), 'read', 'Item');
    const { all } = parse(ListQuery, req.query, 'query');
    res.json({ items: await listItems(ctx.db, all === 'true') });
  });
  r.post('/items', async (req, res) => {
    res.status(201).json(await createItem(ctx, identityOf(req), parse(CreateItemBody, req.body, 'body'), req.ip ?? null));
  });
  r.put('/items/:code', async (req, res) => {
    const { code } = parse(ItemCodeParams, req.params, 'params');
    res.json(await updateItem(ctx, identityOf(req), code, parse(UpdateItemBody, req.body, 'body'), req.ip ?? null));
  });
  r.get('/items/:code/versions', async (req, res) => {
    authorize(identityOf(req), 'read', 'Item');
    const { code } = parse(ItemCodeParams, req.params, 'params');
    res.json({ items: await itemVersions(ctx, code) });
  });
  r.get('/items/:code', async (req, res) => {
    authorize(identityOf(req), 'read', 'Item');
    const { code } = parse(ItemCodeParams, req.params, 'params');
    const item = await findItem(ctx.db, code);
    if (!item) throw notFound('service item', code);
    res.json(item);
  });
  r.put('/items/:code/process', async (req, res) => {
    const { code } = parse(ItemCodeParams, req.params, 'params');
    const { version } = parse(BindProcessBody, req.body, 'body');
    const done = await bindProcess(ctx, identityOf(req), code, version, req.ip ?? null);
    if ('pending' in done) res.status(202).json({ changeRequest: done.pending });
    else res.json(done);
  });
  return r;
}
