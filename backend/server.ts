/**
 * Assembles one back-office instance: database (migrated, seeded), the engine port, processes
 * deployed, HTTP + socket.io, the case starter, the engine feed and the deadline scheduler. `stop()`
 * undoes it in reverse order. Tests start the same thing in-process against a real engine and a
 * real database.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/index.ts';
import { createApp } from './app.ts';
import { systemClock, type Clock, type Ctx } from './context.ts';
import { createDb, migrate, seed } from './db/knex.ts';
import { deployDirectory } from './engine/deploy.ts';
import { createEngine, type EnginePort } from './engine/index.ts';
import { FeedRelay } from './engine/feed-relay.ts';
import { Ingest } from './modules/ingest/apply.ts';
import { CaseStarter } from './engine/starter.ts';
import { DeadlineScheduler } from './modules/deadlines/scheduler.ts';
import { DomainEvents } from './events.ts';
import { createLogger, type Logger } from './log.ts';
import { mountRealtime } from './realtime/index.ts';
import { keyRing } from './modules/cases/personal-data.ts';
import { createLimits } from './http/rate-limits.ts';
import { Metrics } from './metrics/index.ts';
import { instrumented } from './engine/instrumented.ts';
import { auditKeyRing, bindAuditKeys } from './modules/audit/chain.ts';
import { rechainUnkeyed } from './modules/audit/service.ts';
import { Anchorer } from './modules/audit/anchor.ts';

export interface BackOffice {
  ctx: Ctx;
  url: string;
  port: number;
  starter: CaseStarter;
  feed: FeedRelay;
  ingest: Ingest;
  deadlines: DeadlineScheduler;
  anchorer: Anchorer;
  stop(): Promise<void>;
}

export interface BackOfficeOptions {
  clock?: Clock;
  log?: Logger;
  engine?: EnginePort;
  /** report the process's own CPU, memory and event-loop figures (the real process; not tests) */
  processMetrics?: boolean;
}

export async function startBackOffice(config: Config, opts: BackOfficeOptions = {}): Promise<BackOffice> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
  const db = createDb(config);
  bindAuditKeys(db, auditKeyRing(config.AUDIT_KEYS));
  const metrics = new Metrics(db, { processMetrics: opts.processMetrics ?? false });
  const engine = instrumented(opts.engine ?? createEngine(config), metrics);
  const ctx: Ctx = { config, db, engine, events: new DomainEvents(), clock: opts.clock ?? systemClock, log, applicantKeys: keyRing(config.APPLICANT_DATA_KEYS, config.APPLICANT_INDEX_KEY), metrics };
  let rechained: Awaited<ReturnType<typeof rechainUnkeyed>>;
  try {
    await migrate(db, ctx.applicantKeys);
    rechained = await rechainUnkeyed(db, ctx.clock.now());
    if (rechained) log.warn(rechained, 'audit rows written before the chain was keyed are now re-chained under the audit key');
    if (config.SEED_ON_START) await seed(db, { demo: config.SEED_DEMO, demoForms: config.SEED_DEMO_FORMS });
    if (config.DEPLOY_ON_START) await deployDirectory(ctx, config.PROCESSES_DIR);
  } catch (err) {
    await db.destroy();
    await engine.close();
    throw err;
  }
  const ingest = new Ingest(ctx);
  const feed = new FeedRelay(ctx, ingest);
  const starter = new CaseStarter(ctx);
  const limits = createLimits(config);
  const server = http.createServer(createApp(ctx, { starter, limits }));
  server.keepAliveTimeout = 65_000;
  const realtime = await mountRealtime(server, ctx);
  metrics.countSockets(() => realtime.io.of('/').sockets.size);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  if (config.FEED_ENABLED) feed.start();
  starter.start();
  const deadlines = new DeadlineScheduler(ctx);
  deadlines.start();
  const anchorer = new Anchorer(ctx);
  await anchorer.anchorNow(rechained ? { rebase: `${rechained.rechained} unkeyed rows re-chained` } : {});
  anchorer.start();
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST}:${port}`;
  log.info({ url }, 'licence-desk back office ready');
  await warnAboutDemoAccounts(ctx);
  return {
    ctx,
    url,
    port,
    starter,
    feed,
    ingest,
    deadlines,
    anchorer,
    stop: async () => {
      await starter.stop();
      await feed.stop();
      await deadlines.stop();
      await anchorer.stop();
      // io.close() also closes the HTTP server, which would wait for keep-alive connections (up to
      // keepAliveTimeout): cut them right after asking it to close.
      const closed = realtime.close();
      server.closeAllConnections();
      await closed;
      await limits.close();
      await engine.close();
      await db.destroy();
    },
  };
}

/** A banner while demo accounts with the published password exist: they must not reach production. */
async function warnAboutDemoAccounts(ctx: Ctx): Promise<void> {
  const { demoAccounts } = await import('../db/seeds/02-demo-org.ts');
  const names = demoAccounts().users.map((u) => u.username);
  const present = Number((await ctx.db('users').whereIn('username', names).where({ active: true }).count({ n: '*' }))[0]?.n ?? 0);
  if (present === 0) return;
  ctx.log.warn({ demoAccounts: present }, `DEMO ACCOUNTS PRESENT: ${present} accounts of the demo province exist (published first password, changed at first login). Never run production with them: start with SEED_DEMO=false on a fresh database, or disable them.`);
  if (process.stderr.isTTY) process.stderr.write(`\n  ⚠ ${present} DEMO ACCOUNTS ARE ACTIVE — not for production (README "Demo accounts")\n\n`);
}
