import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { z } from '../../http/zod.ts';
import { authorize } from '../../authz/ability.ts';
import { allUnits, findUnit, subtree } from './service.ts';
import { listUsers } from './users.ts';
import { orgAdminRoutes } from './admin-routes.ts';

const UsersQuery = z.object({ unit: z.string().max(32).optional() });
const CodeParams = z.object({ code: z.string().regex(/^[A-Z]{2}(-\d{2}){0,2}(\.[A-Z]{2,4})?$/, 'a unit code like JN-01 or JN-01-01.WR') });

registry.registerPath({ method: 'get', path: '/api/org/units', tags: ['org'], summary: 'The organisation tree', responses: { 200: { description: 'units, in tree order' } } });
registry.registerPath({ method: 'get', path: '/api/org/units/{code}/subtree', tags: ['org'], summary: 'A unit and everything below it', request: { params: CodeParams }, responses: { 200: { description: 'units' }, 404: { description: 'unknown unit' } } });
registry.registerPath({ method: 'get', path: '/api/users', tags: ['org'], summary: 'Users an administrator manages (own region and below); ?unit= one unit', request: { query: UsersQuery }, responses: { 200: { description: 'users' } } });


export function orgRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/org/units', async (req, res) => {
    authorize(identityOf(req), 'read', 'OrgUnit');
    res.json({ items: await allUnits(ctx.db) });
  });
  r.get('/org/units/:code/subtree', async (req, res) => {
    authorize(identityOf(req), 'read', 'OrgUnit');
    const { code } = parse(CodeParams, req.params, 'params');
    if (!(await findUnit(ctx.db, code))) throw notFound('unit', code);
    res.json({ items: await subtree(ctx.db, code) });
  });
  r.get('/users', async (req, res) => {
    const { unit } = parse(UsersQuery, req.query, 'query');
    res.json({ items: await listUsers(ctx.db, identityOf(req), { unitCode: unit }) });
  });
  r.use(orgAdminRoutes(ctx));
  return r;
}
