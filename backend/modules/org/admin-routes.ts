/** Administrators' routes over the tree and the accounts (thin: the rules live in units.ts and users.ts). */
import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { parse } from '../../http/validate.ts';
import { z } from '../../http/zod.ts';
import { authorize } from '../../authz/ability.ts';
import { AdminUserSchema, CreateUnitBody, CreateUserBody, DisableBody, RenameUnitBody, SetRolesBody, UnitCodeParams, UnitSchema, UpdateUserBody, UserIdParams } from './schema.ts';
import { createUnit, renameUnit } from './units.ts';
import { createUser, setActive, setRoles, updateUser } from './users.ts';

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });
const json = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { 'application/json': { schema } } });
const body = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } } } });
const forbidden = problem('not an administrator, or outside your region');

registry.registerPath({ method: 'post', path: '/api/org/units', tags: ['org'], summary: 'Add a city, county or department below a region (administrators of that region or above)', request: body(CreateUnitBody), responses: { 201: json('the unit', UnitSchema), 400: problem('no such parent, or a key that does not fit it'), 403: forbidden, 409: problem('the unit exists') } });
registry.registerPath({ method: 'patch', path: '/api/org/units/{code}', tags: ['org'], summary: 'Rename a unit', request: { params: UnitCodeParams, ...body(RenameUnitBody) }, responses: { 200: json('the unit', UnitSchema), 403: forbidden, 404: problem('unknown unit') } });
registry.registerPath({ method: 'post', path: '/api/users', tags: ['org'], summary: 'Create an account in a department: answers a one-time password, changed at the first login', request: body(CreateUserBody), responses: { 201: json('the user and the one-time password', z.object({ user: AdminUserSchema, temporaryPassword: z.string() })), 400: problem('bad field'), 403: forbidden, 409: problem('the username is taken') } });
registry.registerPath({ method: 'put', path: '/api/users/{id}/roles', tags: ['org'], summary: "Replace a user's roles (their open sockets are dropped so rooms follow the new roles)", request: { params: UserIdParams, ...body(SetRolesBody) }, responses: { 200: json('the user', AdminUserSchema), 403: problem('one’s own roles'), 404: problem('unknown or outside your region') } });
registry.registerPath({ method: 'patch', path: '/api/users/{id}', tags: ['org'], summary: 'Rename an account, or move it to another department of your region (with a reason: its sockets are dropped and the tasks it holds go back to their groups)', request: { params: UserIdParams, ...body(UpdateUserBody) }, responses: { 200: json('the user', AdminUserSchema), 400: problem('not a department, or a move without a reason'), 403: problem('one’s own account, or a department outside your region'), 404: problem('unknown or outside your region') } });
registry.registerPath({ method: 'post', path: '/api/users/{id}/disable', tags: ['org'], summary: 'Disable an account: its refresh tokens are revoked, access tokens stop working and its sockets are dropped at once', request: { params: UserIdParams, ...body(DisableBody) }, responses: { 200: json('the user', AdminUserSchema), 403: problem('one’s own account'), 404: problem('unknown or outside your region') } });
registry.registerPath({ method: 'post', path: '/api/users/{id}/enable', tags: ['org'], summary: 'Enable a disabled account again', request: { params: UserIdParams }, responses: { 200: json('the user', AdminUserSchema), 404: problem('unknown or outside your region') } });

export function orgAdminRoutes(ctx: Ctx): Router {
  const r = Router();
  r.post('/org/units', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'manage', 'OrgUnit');
    res.status(201).json(await createUnit(ctx, who, parse(CreateUnitBody, req.body, 'body'), req.ip ?? null));
  });
  r.patch('/org/units/:code', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'manage', 'OrgUnit');
    const { code } = parse(UnitCodeParams, req.params, 'params');
    const { name } = parse(RenameUnitBody, req.body, 'body');
    res.json(await renameUnit(ctx, who, code, name, req.ip ?? null));
  });
  r.post('/users', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'manage', 'User');
    res.status(201).set('cache-control', 'no-store').json(await createUser(ctx, who, parse(CreateUserBody, req.body, 'body'), req.ip ?? null));
  });
  r.put('/users/:id/roles', async (req, res) => {
    const { id } = parse(UserIdParams, req.params, 'params');
    const { roles } = parse(SetRolesBody, req.body, 'body');
    res.json(await setRoles(ctx, identityOf(req), id, roles, req.ip ?? null));
  });
  r.patch('/users/:id', async (req, res) => {
    const { id } = parse(UserIdParams, req.params, 'params');
    res.json(await updateUser(ctx, identityOf(req), id, parse(UpdateUserBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/users/:id/disable', async (req, res) => {
    const { id } = parse(UserIdParams, req.params, 'params');
    const { reason } = parse(DisableBody, req.body, 'body');
    res.json(await setActive(ctx, identityOf(req), id, false, reason, req.ip ?? null));
  });
  r.post('/users/:id/enable', async (req, res) => {
    const { id } = parse(UserIdParams, req.params, 'params');
    res.json(await setActive(ctx, identityOf(req), id, true, null, req.ip ?? null));
  });
  return r;
}
