import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import type { Limits } from '../../http/rate-limits.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { CaseNoParams, CodeQuery, caseByCode } from '../public-query/index.ts';
import { ASPECTS, LEVELS, SERVICES } from './levels.ts';
import { advance, applicantResponse, rate, ratingsForApplicant } from './service.ts';
import { ratedCases, ratingStats } from './stats.ts';
import { listRectifications, rectificationDetail } from './rectifications.ts';

const RatingBody = z
  .object({
    service: z.enum(SERVICES).openapi({ description: 'window: the service at the window · decision: the handling and decision of the case' }),
    level: z.enum(LEVELS).openapi({ description: '非常满意 · 满意 · 基本满意 · 不满意 · 非常不满意' }),
    aspects: z.array(z.enum(ASPECTS)).max(ASPECTS.length).default([]),
    comment: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi('Rating');
const ResponseParams = CaseNoParams.extend({ service: z.enum(SERVICES) });
const ResponseBody = z.object({ accepted: z.boolean() }).strict();
const RectId = z.object({ id: z.coerce.number().int().positive() });
const StepParams = RectId.extend({ step: z.enum(['verify', 'answer', 'rectify']) });
const StepBody = z.object({ text: z.string().trim().min(2).max(2000) }).strict().openapi('RectificationStep');
const Region = z.string().regex(/^[A-Z]{2}(-\d{2}){0,2}$/, 'a region code like JN-01');
const StatsQuery = z.object({ region: Region.optional() });
const DrillQuery = StatsQuery.extend({ unit: z.string().max(32).optional(), item: z.string().max(64).optional(), bad: z.enum(['true', 'false']).optional(), level: z.enum(LEVELS).optional(), rectification: z.enum(['yellow', 'red']).optional() }).strict();
const ListQuery = z.object({ state: z.enum(['pending', 'open', 'verified', 'answered', 'rectified']).optional(), level: z.enum(['none', 'yellow', 'red']).optional(), unit: z.string().max(32).optional() }).strict();
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({ method: 'post', path: '/public/cases/{caseNo}/ratings', tags: ['ratings'], summary: '好差评: the applicant rates a service of the case (once)', request: { params: CaseNoParams, query: CodeQuery, body: { content: { 'application/json': { schema: RatingBody } } } }, responses: { 201: { description: 'rated; a 差评 opens a rectification' }, 404: problem('no case matches'), 409: problem('already rated, or nothing to rate yet') } });
registry.registerPath({ method: 'get', path: '/public/cases/{caseNo}/ratings', tags: ['ratings'], request: { params: CaseNoParams, query: CodeQuery }, responses: { 200: { description: 'the applicant’s ratings and the answers to them' } } });
registry.registerPath({ method: 'post', path: '/public/cases/{caseNo}/ratings/{service}/response', tags: ['ratings'], summary: 'The applicant accepts the answer to a 差评, or not', request: { params: ResponseParams, query: CodeQuery, body: { content: { 'application/json': { schema: ResponseBody } } } }, responses: { 200: { description: 'recorded' }, 409: problem('not answered yet / said already') } });
registry.registerPath({ method: 'post', path: '/api/rectifications/{id}/{step}', tags: ['ratings'], summary: '核实 (verify) → 答复 (answer) → 整改 (rectify), by the responsible unit', request: { params: StepParams, body: { content: { 'application/json': { schema: StepBody } } } }, responses: { 200: { description: 'the rectification' }, 403: problem('not the responsible unit’s head or leader'), 404: problem('unknown or not visible'), 409: problem('out of order') } });
registry.registerPath({ method: 'get', path: '/api/ratings/stats', tags: ['ratings'], summary: 'Board: distribution, 差评 rate per unit and item, on-time rectification rate, late rectifications', request: { query: StatsQuery }, responses: { 200: { description: 'statistics' }, 403: problem('not a supervisor, head or leader') } });
registry.registerPath({ method: 'get', path: '/api/ratings', tags: ['ratings'], summary: 'Drill-down: the rated cases behind a figure', request: { query: DrillQuery }, responses: { 200: { description: 'rated cases' } } });
registry.registerPath({ method: 'get', path: '/api/rectifications', tags: ['ratings'], summary: 'The rectifications in the caller’s remit, most urgent first (pending: not rectified yet)', request: { query: ListQuery }, responses: { 200: { description: 'rectifications with their rating and mayHandle' }, 403: problem('not a supervisor, head or leader') } });
registry.registerPath({ method: 'get', path: '/api/rectifications/{id}', tags: ['ratings'], summary: 'One rectification with the rating that opened it and the applicant’s acceptance', request: { params: RectId }, responses: { 200: { description: 'the rectification' }, 404: problem('unknown or not visible') } });

/** Mounted with the status query under /public: the same number, code and rate limits. */
export function publicRatingRoutes(ctx: Ctx, limits: Limits): Router {
  const r = Router();
  r.post('/cases/:caseNo/ratings', limits.publicPerClient, limits.publicPerCase, async (req, res) => {
    const { caseNo } = parse(CaseNoParams, req.params, 'params');
    const { code } = parse(CodeQuery, req.query, 'query');
    res.status(201).json(await rate(ctx, caseNo, code, parse(RatingBody, req.body, 'body')));
  });
  r.get('/cases/:caseNo/ratings', limits.publicPerClient, limits.publicPerCase, async (req, res) => {
    const { caseNo } = parse(CaseNoParams, req.params, 'params');
    const { code } = parse(CodeQuery, req.query, 'query');
    const c = await caseByCode(ctx, caseNo, code);
    res.set('cache-control', 'no-store').json({ items: await ratingsForApplicant(ctx, c.id) });
  });
  r.post('/cases/:caseNo/ratings/:service/response', limits.publicPerClient, limits.publicPerCase, async (req, res) => {
    const { caseNo, service } = parse(ResponseParams, req.params, 'params');
    const { code } = parse(CodeQuery, req.query, 'query');
    res.json(await applicantResponse(ctx, caseNo, code, service, parse(ResponseBody, req.body, 'body').accepted));
  });
  return r;
}

export function ratingRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/ratings/stats', async (req, res) => {
    res.json(await ratingStats(ctx, identityOf(req), parse(StatsQuery, req.query, 'query')));
  });
  r.get('/ratings', async (req, res) => {
    const q = parse(DrillQuery, req.query, 'query');
    res.json(await ratedCases(ctx, identityOf(req), { ...q, bad: q.bad === undefined ? undefined : q.bad === 'true' }));
  });
  r.get('/rectifications', async (req, res) => {
    res.json(await listRectifications(ctx, identityOf(req), parse(ListQuery, req.query, 'query')));
  });
  r.get('/rectifications/:id', async (req, res) => {
    res.json(await rectificationDetail(ctx, identityOf(req), parse(RectId, req.params, 'params').id));
  });
  r.post('/rectifications/:id/:step', async (req, res) => {
    const { id, step } = parse(StepParams, req.params, 'params');
    res.json(await advance(ctx, identityOf(req), id, step, parse(StepBody, req.body, 'body').text));
  });
  return r;
}
