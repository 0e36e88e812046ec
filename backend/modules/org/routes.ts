import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { z } from '../../http/zod.ts';
import { abilityFor, authorize } from '../../authz/ability.ts';
import { accessibleBy } from '../../authz/sql.ts';
import { allUnits, findUnit, subtree, userFields } from './service.ts';

const CodeParams = z.object({ code: z.string().regex(/^[A-Z]{2}(-\d{2}){0,2}(\.[A-Z]{2,4})?$/, 'a unit code like JN-01 or JN-01-01.WR') });

registry.registerPath({ method: 'get', path: '/api/org/units', tags: ['org'], summary: 'The organisation tree', responses: { 200: { description: 'units, in tree order' } } });
registry.registerPath({ method: 'get', path: '/api/org/units/{code}/subtree', tags: ['org'], summary: 'A unit and everything below it', request: { params: CodeParams }, responses: { 200: { description: 'units' }, 404: { description: 'unknown unit' } } });
registry.registerPath({ method: 'get', path: '/api/users', tags: ['org'], summary: 'Users an administrator manages (own region and below)', responses: { 200: { description: 'users' } } });


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
    const who = identityOf(req);
    const rows: Array<Record<string, unknown>> = await ctx.db('users')
      .join('org_units as u', 'u.code', 'users.unit_code')
      .select('users.id', 'users.username', 'users.display_name', 'users.unit_code', 'users.active', 'users.locked_until')
      .modify(accessibleBy(abilityFor(who), 'read', 'User', userFields))
      .orderBy('users.username');
    const roles = await ctx.db('user_roles').whereIn('user_id', rows.map((u) => String(u.id)));
    res.json({
      items: rows.map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        unitCode: u.unit_code,
        active: Boolean(u.active),
        lockedUntil: u.locked_until ? new Date(Number(u.locked_until)).toISOString() : null,
        roles: roles.filter((x) => x.user_id === u.id).map((x) => x.role),
      })),
    });
  });
  return r;
}
