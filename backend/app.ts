/**
 * The HTTP application, top to bottom: body parsing, health, identity, one router per
 * domain, OpenAPI, static UI, not-found, and the single error handler last.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Ctx } from './context.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { authenticate } from './http/identity.ts';
import { openApiDocument } from './http/openapi.ts';
import { caseRoutes, type CaseStarterPort } from './modules/cases/routes.ts';
import { catalogueRoutes } from './modules/catalogue/routes.ts';
import { authRoutes, meRoutes } from './modules/identity/routes.ts';
import type { Limits } from './http/rate-limits.ts';
import { orgRoutes } from './modules/org/routes.ts';
import { processRoutes } from './modules/processes/routes.ts';
import { deadlineRoutes } from './modules/deadlines/routes.ts';
import { recomputeOnDayChange, recomputeOnPublish } from './modules/deadlines/provisional.ts';
import { calendarRoutes } from './modules/calendar/routes.ts';
import { taskRoutes } from './modules/tasks/routes.ts';
import { statisticsRoutes } from './modules/statistics/routes.ts';
import { approvalRoutes } from './modules/approvals/routes.ts';
import { httpMetrics, metricsEndpoint } from './http/metrics.ts';
import { operationRoutes } from './modules/operations/index.ts';
import { caseControlRoutes } from './modules/case-control/index.ts';
import { copyRoutes } from './modules/copies/routes.ts';
import { publicQueryRoutes, queryCodeRoutes } from './modules/public-query/index.ts';
import { noticeRoutes } from './modules/notices/index.ts';
import { publicRatingRoutes, ratingRoutes } from './modules/ratings/index.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { attachmentRoutes } from './modules/attachments/routes.ts';
import { opinionRoutes } from './modules/opinions/routes.ts';
import { formRoutes } from './modules/forms/index.ts';

export function createApp(ctx: Ctx, deps: { starter: CaseStarterPort; limits: Limits }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // behind a TLS proxy the audit must record the client, not the proxy (TRUST_PROXY names the proxies)
  app.set('trust proxy', ctx.config.TRUST_PROXY);
  app.use(pinoHttp({ logger: ctx.log, customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug') }));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'script-src': ["'self'"],
          // Element Plus and bpmn-js set style attributes; scripts stay strictly 'self'
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
          // the embedded default serves plain HTTP on loopback; the TLS proxy upgrades and sets HSTS
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'no-referrer' },
      xFrameOptions: { action: 'deny' },
    }),
  );
  app.use(cookieParser());
  app.use(httpMetrics(ctx.metrics));
  app.get('/metrics', metricsEndpoint(ctx.metrics, ctx.config.METRICS_TOKEN));

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'up' });
  });
  app.get('/health/ready', async (_req, res) => {
    const [db, engine] = await Promise.allSettled([ctx.db.raw('select 1'), ctx.engine.ping()]);
    const ok = db.status === 'fulfilled' && engine.status === 'fulfilled';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'degraded', database: db.status === 'fulfilled' ? 'up' : 'down', engine: engine.status === 'fulfilled' ? 'up' : 'down' });
  });

  const api = express.Router();
  api.use(express.json({ limit: ctx.config.BODY_LIMIT, strict: true }));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  api.use(authRoutes(ctx, deps.limits));
  api.use(authenticate(ctx));
  api.use(deps.limits.writesPerUser);
  api.post('/tasks/:key/urge', deps.limits.urgesPerUser);
  api.use(meRoutes(ctx));
  api.use(orgRoutes(ctx));
  api.use(catalogueRoutes(ctx));
  api.use(caseRoutes(ctx, deps.starter));
  api.use(taskRoutes(ctx));
  api.use(processRoutes(ctx));
  api.use(deadlineRoutes(ctx));
  api.use(calendarRoutes(ctx, { onPublished: recomputeOnPublish(ctx), onDayChanged: recomputeOnDayChange(ctx) }));
  api.use(statisticsRoutes(ctx));
  api.use(approvalRoutes(ctx));
  api.use(operationRoutes(ctx));
  api.use(caseControlRoutes(ctx));
  api.use(copyRoutes(ctx));
  api.use(queryCodeRoutes(ctx));
  api.use(noticeRoutes(ctx));
  api.use(ratingRoutes(ctx));
  api.use(auditRoutes(ctx));
  api.use(attachmentRoutes(ctx));
  api.use(opinionRoutes(ctx));
  api.use(formRoutes(ctx));
  api.use(notFoundHandler);
  app.use('/api', api);

  // the applicant's side: no account, its own rate limits (case number + query code)
  const pub = express.Router();
  pub.use(express.json({ limit: '16kb', strict: true }));
  pub.use(publicQueryRoutes(ctx, deps.limits));
  pub.use(publicRatingRoutes(ctx, deps.limits));
  pub.use(notFoundHandler);
  app.use('/public', pub);

  if (fs.existsSync(ctx.config.UI_DIR)) {
    // Hashed bundles never change under their name; index.html must be re-read so a deploy shows.
    app.use('/assets', express.static(path.join(ctx.config.UI_DIR, 'assets'), { immutable: true, maxAge: '365d' }));
    app.use(express.static(ctx.config.UI_DIR, { index: false, maxAge: 0 }));
    const index = path.join(ctx.config.UI_DIR, 'index.html');
    // The app routes in the browser (/tasks, /cases/…): any other page GET gets the app itself.
    app.get(/^\/(?!api\/|public\/|internal\/|health\/|metrics$|socket\.io\/).*/, (req, res, next) => {
      if (!req.accepts('html') || !fs.existsSync(index)) return next();
      res.set('cache-control', 'no-cache').sendFile(index);
    });
  }
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.log));
  return app;
}
