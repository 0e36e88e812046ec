import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { getTask } from '../tasks/service.ts';
import { TaskKeyParams } from '../tasks/schema.ts';
import type { TaskRow } from '../tasks/records.ts';
import { approvalFormOf } from './service.ts';

const StepForm = z.object({ schema: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'the form-js schema of the step setting approvalForm; null: the step has none' }) }).openapi('StepForm');
registry.registerPath({
  method: 'get',
  path: '/api/tasks/{key}/form',
  tags: ['forms'],
  summary: 'The approval form of a step (filled in with POST /api/tasks/{key}/complete as `form`)',
  request: { params: TaskKeyParams },
  responses: { 200: { description: 'the form', content: { 'application/json': { schema: StepForm } } }, 404: { description: 'unknown or not visible', content: { 'application/json': { schema: ProblemSchema } } } },
});

export function formRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/tasks/:key/form', async (req, res) => {
    const { key } = parse(TaskKeyParams, req.params, 'params');
    const task = await getTask(ctx, identityOf(req), key); // 404 unless the caller may see the task
    res.json({ schema: await approvalFormOf(ctx, { case_id: task.caseId, element_id: task.elementId } as TaskRow) });
  });
  return r;
}
