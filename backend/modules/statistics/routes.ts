import { Router } from 'express';
import type { Ctx } from '../../context.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import { ProblemSchema } from '../../http/problem.ts';
import { z } from '../../http/zod.ts';
import { RegionCode } from './scope.ts';
import { supervisionStats } from './service.ts';

const StatsQuery = z.object({ unit: RegionCode.optional().openapi({ description: 'a region in your scope; default: your own region' }) });
const counts = { open: z.number().int(), warning: z.number().int(), yellow: z.number().int(), red: z.number().int() };
const StatsSchema = z
  .object({
    scope: z.string(),
    scopeName: z.string().openapi({ description: 'the scope region by its name' }),
    byUnit: z.array(z.object({ unitCode: z.string(), unitName: z.string(), ...counts })).openapi({ description: 'open cases per region one level below, each at the worst level of its clocks; a last row for cases filed at the region itself, if any' }),
    onTime: z.object({ concluded: z.number().int(), onTime: z.number().int(), rate: z.number().nullable() }).openapi({ description: 'accepted cases concluded; those whose decision clock never went yellow or red' }),
    byLimit: z.array(z.object({ unitCode: z.string(), promiseOverdue: z.number().int(), statutoryOverdue: z.number().int() })).openapi({ description: 'per row of byUnit: open cases past the promised limit (承诺时限) and past the statutory limit (法定时限)' }),
    onPromise: z.object({ concluded: z.number().int(), onTime: z.number().int(), rate: z.number().nullable() }).openapi({ description: 'the same for the promised clock (承诺时限)' }),
    byStep: z.array(z.object({ elementId: z.string(), name: z.string(), open: z.number().int() })),
  })
  .openapi('SupervisionStats');
const problem = (description: string) => ({ description, content: { 'application/json': { schema: ProblemSchema } } });

registry.registerPath({ method: 'get', path: '/api/supervision/stats', tags: ['deadlines'], summary: 'Statistics over the cases you may read in a region of your scope', request: { query: StatsQuery }, responses: { 200: { description: 'statistics', content: { 'application/json': { schema: StatsSchema } } }, 400: problem('not a region code'), 403: problem('not a supervisor or leader'), 404: problem('unknown region, or outside your scope') } });

export function statisticsRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/supervision/stats', async (req, res) => {
    res.json(await supervisionStats(ctx, identityOf(req), parse(StatsQuery, req.query, 'query').unit));
  });
  return r;
}
