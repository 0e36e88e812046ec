import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { claimTask, completeTask, getNamedTask, listTasks, unclaimTask } from './service.ts';
import { CompleteTaskBody, TaskKeyParams, TaskListQuery, TaskPage, TaskSchema } from './schema.ts';

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });
const task = { description: 'the task', content: { 'application/json': { schema: TaskSchema } } };
registry.registerPath({ method: 'get', path: '/api/tasks', tags: ['tasks'], summary: 'The task queue: my tasks and my groups’ unclaimed tasks', request: { query: TaskListQuery }, responses: { 200: { description: 'a page', content: { 'application/json': { schema: TaskPage } } }, 400: problem('bad query') } });
registry.registerPath({ method: 'get', path: '/api/tasks/{key}', tags: ['tasks'], request: { params: TaskKeyParams }, responses: { 200: task, 404: problem('unknown or not visible') } });
for (const action of ['claim', 'unclaim'] as const) {
  registry.registerPath({ method: 'post', path: `/api/tasks/{key}/${action}`, tags: ['tasks'], request: { params: TaskKeyParams }, responses: { 200: task, 403: problem('not yours'), 404: problem('unknown'), 409: problem('no longer open / claimed by another') } });
}
registry.registerPath({ method: 'post', path: '/api/tasks/{key}/complete', tags: ['tasks'], summary: 'Decide a task with an opinion', request: { params: TaskKeyParams, body: { content: { 'application/json': { schema: CompleteTaskBody } } } }, responses: { 200: task, 400: problem('decision not allowed here / reasons missing'), 403: problem('not the assignee'), 404: problem('unknown'), 409: problem('no longer open'), 503: problem('engine unavailable: retry') } });

export function taskRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/tasks', async (req, res) => {
    res.json(await listTasks(ctx, identityOf(req), parse(TaskListQuery, req.query, 'query')));
  });
  r.get('/tasks/:key', async (req, res) => {
    res.json(await getNamedTask(ctx, identityOf(req), parse(TaskKeyParams, req.params, 'params').key));
  });
  r.post('/tasks/:key/claim', async (req, res) => {
    res.json(await claimTask(ctx, identityOf(req), parse(TaskKeyParams, req.params, 'params').key));
  });
  r.post('/tasks/:key/unclaim', async (req, res) => {
    res.json(await unclaimTask(ctx, identityOf(req), parse(TaskKeyParams, req.params, 'params').key));
  });
  r.post('/tasks/:key/complete', async (req, res) => {
    const { key } = parse(TaskKeyParams, req.params, 'params');
    res.json(await completeTask(ctx, identityOf(req), key, parse(CompleteTaskBody, req.body, 'body')));
  });
  return r;
}
