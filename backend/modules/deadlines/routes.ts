import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { loadReadable } from '../cases/service.ts';
import { RegionCode } from '../statistics/scope.ts';
import { closeOrder, openOrder, ordersOfCase, replyOrder } from './supervision.ts';
import { acknowledgeUrging, clockView, extendClock, inbox, markRead, pauseClock, resumeClock, supervisionFeed, urgeTask } from './service.ts';
import { taskKey } from '../../http/ids.ts';
import { SPECIAL_PROCEDURES } from '../case-control/schema.ts';

const TaskKey = z.object({ key: taskKey });
const CaseId = z.object({ id: z.string().uuid() });
const NumId = z.object({ id: z.coerce.number().int().positive() });
const UrgeBody = z.object({ message: z.string().trim().min(1).max(500) }).strict().openapi('Urge');
const PauseBody = z.object({ reason: z.string().trim().min(2).max(500), expectedDays: z.number().int().min(1).max(365), procedure: z.enum(SPECIAL_PROCEDURES).optional() }).strict().openapi('PauseClock');
const ExtendBody = z.object({ days: z.number().int().min(1).max(30).default(10), reason: z.string().trim().min(2).max(500) }).strict().openapi('ExtendClock');
const OrderBody = z
  .object({
    unitCode: z.string().regex(/^[A-Z]{2}(-\d{2}){0,2}\.[A-Z]{2,4}$/, 'a department unit code like JN-01-01.WR'),
    instructions: z.string().trim().min(2).max(2000),
    replyBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
  })
  .strict()
  .openapi('SupervisionOrder');
const ReplyBody = z.object({ reply: z.string().trim().min(2).max(2000) }).strict();
const InboxQuery = z.object({ unread: z.enum(['true', 'false']).default('false') });
const FeedQuery = z.object({
  unit: RegionCode.optional().openapi({ description: 'only cases of this region and below (a region in your scope)' }),
  level: z.enum(['warning', 'yellow', 'red']).optional().openapi({ description: 'only clocks at this level (the counts still cover all three)' }),
});
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({ method: 'post', path: '/api/tasks/{key}/urge', tags: ['deadlines'], summary: '催办: urge whoever holds this step', request: { params: TaskKey, body: { content: { 'application/json': { schema: UrgeBody } } } }, responses: { 201: { description: 'urged' }, 403: problem('not a supervisor of the region / leader of the unit'), 404: problem('unknown or not visible'), 409: problem('not open') } });
registry.registerPath({ method: 'post', path: '/api/urgings/{id}/acknowledge', tags: ['deadlines'], request: { params: NumId }, responses: { 200: { description: 'acknowledged' }, 404: problem('not an urging addressed to you') } });
registry.registerPath({ method: 'get', path: '/api/notifications', tags: ['deadlines'], request: { query: InboxQuery }, responses: { 200: { description: 'the inbox, newest first, with the unread count' } } });
registry.registerPath({ method: 'post', path: '/api/notifications/{id}/read', tags: ['deadlines'], request: { params: NumId }, responses: { 200: { description: 'marked' } } });
registry.registerPath({ method: 'get', path: '/api/cases/{id}/clock', tags: ['deadlines'], summary: 'The case’s legal clocks (decision and steps) in working days', request: { params: CaseId }, responses: { 200: { description: 'clocks' } } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/clock/pause', tags: ['deadlines'], summary: '特别程序: stop the decision clock', request: { params: CaseId, body: { content: { 'application/json': { schema: PauseBody } } } }, responses: { 200: { description: 'paused' }, 403: problem('not a head/leader of the handling unit'), 409: problem('not running') } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/clock/resume', tags: ['deadlines'], request: { params: CaseId }, responses: { 200: { description: 'resumed; the due date moved by the working days paused' }, 409: problem('not paused') } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/clock/extend', tags: ['deadlines'], summary: '延期 (once, by a leader)', request: { params: CaseId, body: { content: { 'application/json': { schema: ExtendBody } } } }, responses: { 200: { description: 'extended' }, 403: problem('not a leader of the handling unit'), 409: problem('already extended') } });
registry.registerPath({ method: 'post', path: '/api/cases/{id}/supervision-orders', tags: ['deadlines'], summary: '督办: open a supervision order with a reply-by date', request: { params: CaseId, body: { content: { 'application/json': { schema: OrderBody } } } }, responses: { 201: { description: 'opened' }, 403: problem('not a supervisor of this region'), 404: problem('unknown or not visible') } });
registry.registerPath({ method: 'get', path: '/api/cases/{id}/supervision-orders', tags: ['deadlines'], summary: 'The 督办 orders of a case, with whether you may reply or close each', request: { params: CaseId }, responses: { 200: { description: 'orders, oldest first' }, 404: problem('unknown or not visible') } });
registry.registerPath({ method: 'post', path: '/api/supervision-orders/{id}/reply', tags: ['deadlines'], request: { params: NumId, body: { content: { 'application/json': { schema: ReplyBody } } } }, responses: { 200: { description: 'replied' }, 403: problem('not the responsible unit'), 409: problem('not open') } });
registry.registerPath({ method: 'post', path: '/api/supervision-orders/{id}/close', tags: ['deadlines'], request: { params: NumId }, responses: { 200: { description: 'closed' }, 403: problem('not a supervisor of this region') } });
registry.registerPath({ method: 'get', path: '/api/supervision/feed', tags: ['deadlines'], summary: 'Warned, yellow and red cases in my scope', request: { query: FeedQuery }, responses: { 200: { description: 'counts and items' }, 400: problem('bad filter'), 403: problem('not a supervisor or leader'), 404: problem('unknown region, or outside your scope') } });

export function deadlineRoutes(ctx: Ctx): Router {
  const r = Router();
  r.post('/tasks/:key/urge', async (req, res) => {
    const { key } = parse(TaskKey, req.params, 'params');
    res.status(201).json(await urgeTask(ctx, identityOf(req), key, parse(UrgeBody, req.body, 'body').message));
  });
  r.post('/urgings/:id/acknowledge', async (req, res) => {
    res.json(await acknowledgeUrging(ctx, identityOf(req), parse(NumId, req.params, 'params').id));
  });
  r.get('/notifications', async (req, res) => {
    res.json(await inbox(ctx, identityOf(req), parse(InboxQuery, req.query, 'query').unread === 'true'));
  });
  r.post('/notifications/read-all', async (req, res) => {
    res.json(await markRead(ctx, identityOf(req), 'all'));
  });
  r.post('/notifications/:id/read', async (req, res) => {
    res.json(await markRead(ctx, identityOf(req), parse(NumId, req.params, 'params').id));
  });
  r.get('/cases/:id/clock', async (req, res) => {
    const { id } = parse(CaseId, req.params, 'params');
    await loadReadable(ctx, identityOf(req), id);
    res.json(await clockView(ctx, id));
  });
  r.post('/cases/:id/clock/pause', async (req, res) => {
    res.json(await pauseClock(ctx, identityOf(req), parse(CaseId, req.params, 'params').id, parse(PauseBody, req.body, 'body')));
  });
  r.post('/cases/:id/clock/resume', async (req, res) => {
    res.json(await resumeClock(ctx, identityOf(req), parse(CaseId, req.params, 'params').id));
  });
  r.post('/cases/:id/clock/extend', async (req, res) => {
    res.json(await extendClock(ctx, identityOf(req), parse(CaseId, req.params, 'params').id, parse(ExtendBody, req.body, 'body')));
  });
  r.post('/cases/:id/supervision-orders', async (req, res) => {
    res.status(201).json(await openOrder(ctx, identityOf(req), parse(CaseId, req.params, 'params').id, parse(OrderBody, req.body, 'body')));
  });
  r.get('/cases/:id/supervision-orders', async (req, res) => {
    res.json(await ordersOfCase(ctx, identityOf(req), parse(CaseId, req.params, 'params').id));
  });
  r.post('/supervision-orders/:id/reply', async (req, res) => {
    res.json(await replyOrder(ctx, identityOf(req), parse(NumId, req.params, 'params').id, parse(ReplyBody, req.body, 'body').reply));
  });
  r.post('/supervision-orders/:id/close', async (req, res) => {
    res.json(await closeOrder(ctx, identityOf(req), parse(NumId, req.params, 'params').id));
  });
  r.get('/supervision/feed', async (req, res) => {
    res.json(await supervisionFeed(ctx, identityOf(req), parse(FeedQuery, req.query, 'query')));
  });
  return r;
}
