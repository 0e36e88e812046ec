import { Router } from 'express';
import type { ZodType } from 'zod';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { notFound } from '../../errors.ts';
import { TaskKeyParams, TaskSchema } from '../tasks/schema.ts';
import { CaseIdParams } from '../cases/schema.ts';
import { canReadCase } from '../cases/service.ts';
import { AddSignerBody, BatchBody, BatchResult, Colleagues, HandToBody, ReasonBody, RejectBody, RemoveSignerBody, ResolveBody, ReturnBody, ReturnTargets, Signers, Withdrawable } from './schema.ts';
import { addSigner, removeSigner, signers } from './signers.ts';
import { returnTargets, returnTask, withdrawable, withdrawTask } from './moves.ts';
import { colleagues, delegateTask, resolveTask, transferTask } from './reassign.ts';
import { loadVisible } from './shared.ts';
import { rejectTask } from './reject.ts';
import { batchComplete } from './batch.ts';

const json = (schema: ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const problem = (description: string) => json(ProblemSchema, description);
const task = json(TaskSchema, 'the task after the operation');
const errors = { 400: problem('bad input: reason missing, target step not allowed, person outside your unit'), 403: problem('visible, but not yours to do'), 404: problem('unknown or not visible'), 409: problem('the task is closed or changed / too late'), 503: problem('engine unavailable: retry') };
const ops: Array<[string, ZodType, string]> = [
  ['return', ReturnBody, '退回: return the case to the previous step or an allowed step already passed'],
  ['reject', RejectBody, '驳回: per the step’s rule (rejectRule), end the case with a refusal (reasons + remedies) or return it to the window'],
  ['withdraw', ReasonBody, '撤回: the decider of this (completed) task takes the step back while the next holder has not taken it up'],
  ['transfer', HandToBody, '转办: hand the task to another person of the same unit; the step clock runs on'],
  ['delegate', HandToBody, '委派: ask a person of the same unit to work the task; it comes back for the decision'],
  ['resolve', ResolveBody, '委派 answered / 前加签 signed: the delegate or signer hands the task back to its owner with an opinion'],
  ['add-signer', AddSignerBody, '加签: on an ordinary step a signer acts before you (the task comes back) or after your decision (and decides the step); on a countersign one more signer instance'],
  ['remove-signer', RemoveSignerBody, '减签: remove an open signer instance of a countersign (never a decided one, never the last open one)'],
];
for (const [op, body, summary] of ops) {
  registry.registerPath({ method: 'post', path: `/api/tasks/{key}/${op}`, tags: ['task operations'], summary, request: { params: TaskKeyParams, body: { content: { 'application/json': { schema: body } } } }, responses: { 200: task, ...errors } });
}
registry.registerPath({ method: 'post', path: '/api/tasks/batch-complete', tags: ['task operations'], summary: '批量审批: one decision and opinion for several tasks of one step; each claimed if free, authorized and recorded on its own', request: { body: { content: { 'application/json': { schema: BatchBody } } } }, responses: { 200: json(BatchResult, 'the outcome per task'), 400: problem('bad input') } });
registry.registerPath({ method: 'get', path: '/api/tasks/{key}/return-targets', tags: ['task operations'], summary: 'The steps this task may be returned to', request: { params: TaskKeyParams }, responses: { 200: json(ReturnTargets, 'allowed targets'), 404: problem('unknown') } });
registry.registerPath({ method: 'get', path: '/api/tasks/{key}/colleagues', tags: ['task operations'], summary: 'People of your unit a task may be transferred or delegated to', request: { params: TaskKeyParams }, responses: { 200: json(Colleagues, 'colleagues'), 404: problem('unknown') } });
registry.registerPath({ method: 'get', path: '/api/tasks/{key}/signers', tags: ['task operations'], summary: 'Who may be added as a signer (加签), and the countersign’s other open signers (减签)', request: { params: TaskKeyParams }, responses: { 200: json(Signers, 'candidates and open signers'), 404: problem('unknown') } });
registry.registerPath({ method: 'get', path: '/api/cases/{id}/withdrawable', tags: ['task operations'], summary: 'Your decided task of this case that you may still take back (撤回), if any', request: { params: CaseIdParams }, responses: { 200: json(Withdrawable, 'the task or null'), 404: problem('unknown') } });

export function operationRoutes(ctx: Ctx): Router {
  const r = Router();
  const key = (req: { params: unknown }) => parse(TaskKeyParams, req.params, 'params').key;
  r.post('/tasks/batch-complete', async (req, res) => {
    res.json(await batchComplete(ctx, identityOf(req), parse(BatchBody, req.body, 'body')));
  });
  r.post('/tasks/:key/return', async (req, res) => {
    res.json(await returnTask(ctx, identityOf(req), key(req), parse(ReturnBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/tasks/:key/reject', async (req, res) => {
    res.json(await rejectTask(ctx, identityOf(req), key(req), parse(RejectBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/tasks/:key/withdraw', async (req, res) => {
    res.json(await withdrawTask(ctx, identityOf(req), key(req), parse(ReasonBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/tasks/:key/transfer', async (req, res) => {
    res.json(await transferTask(ctx, identityOf(req), key(req), parse(HandToBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/tasks/:key/delegate', async (req, res) => {
    res.json(await delegateTask(ctx, identityOf(req), key(req), parse(HandToBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/tasks/:key/resolve', async (req, res) => {
    res.json(await resolveTask(ctx, identityOf(req), key(req), parse(ResolveBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/tasks/:key/add-signer', async (req, res) => {
    res.json(await addSigner(ctx, identityOf(req), key(req), parse(AddSignerBody, req.body, 'body'), req.ip ?? null));
  });
  r.post('/tasks/:key/remove-signer', async (req, res) => {
    res.json(await removeSigner(ctx, identityOf(req), key(req), parse(RemoveSignerBody, req.body, 'body'), req.ip ?? null));
  });
  r.get('/tasks/:key/signers', async (req, res) => {
    const who = identityOf(req);
    res.json(await signers(ctx, who, await loadVisible(ctx, who, key(req))));
  });
  r.get('/tasks/:key/return-targets', async (req, res) => {
    res.json({ items: await returnTargets(ctx, await loadVisible(ctx, identityOf(req), key(req))) });
  });
  r.get('/tasks/:key/colleagues', async (req, res) => {
    const who = identityOf(req);
    res.json({ items: await colleagues(ctx, who, await loadVisible(ctx, who, key(req))) });
  });
  r.get('/cases/:id/withdrawable', async (req, res) => {
    const who = identityOf(req);
    const { id } = parse(CaseIdParams, req.params, 'params');
    if (!(await canReadCase(ctx, who, id))) throw notFound('case', id);
    res.json({ task: await withdrawable(ctx, who, id) });
  });
  return r;
}
