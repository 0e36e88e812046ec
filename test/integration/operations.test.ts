/**
 * What an operator relies on: /metrics scraped as Prometheus would (real engine, real database) and
 * /health/ready answering "degraded" with the part that is down.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { repoRoot } from '../../config/index.ts';
import { EngineError } from '../../backend/engine/index.ts';
import { createDb, migrate } from '../../backend/db/knex.ts';
import { ChildOffice, freePort, officeEnv } from '../support/drills.ts';
import { io, type Socket } from 'socket.io-client';
import { login } from '../support/api.ts';
import { env, freshDatabase, hearFeed, startOffice, stopFeed, waitFor, type Database, type TestOffice } from '../support/harness.ts';
import { COUNTY, submit, WATER } from '../support/licensing.ts';

/** One sample of a metric family: `name{a="x",b="y"} value`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const body = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!body) continue;
    const have = Object.fromEntries([...(body[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(body[2]);
  }
  return null;
}

/** The sum over every sample of `name` that carries `labels` (and any others). */
function total(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const body = /^([^{ ]+)\{(.*)\} (\S+)$/.exec(line);
    if (!body || body[1] !== name) continue;
    const have = Object.fromEntries([...(body[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(body[3]);
  }
  return sum;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; type: string }> {
  const r = await fetch(`${url}/metrics`, { headers });
  return { status: r.status, text: await r.text(), type: r.headers.get('content-type') ?? '' };
}

describe('operations: /metrics', () => {
  let t: TestOffice;
  before(async () => {
    t = await startOffice();
    await hearFeed(t.office);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('reports HTTP latency by route template, engine calls, feed lag, queue depth, clocks, sweeps and sockets', async () => {
    const window = await login(t.url, 'jn-01-01.asc.window');
    const submitted = await submit(window, WATER.item, COUNTY);
    // the case reaches the window's queue through the engine and the feed
    await waitFor('the window task', async () => ((await window.get<{ currentSteps: unknown[] }>(`/api/cases/${submitted.id}`)).body.currentSteps.length > 0 ? true : null));
    const socket: Socket = io(t.url, { auth: { token: window.token }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    try {
      // the feed relay counts a batch just after its transaction commits: the task may show first
      const m = await waitFor('the feed lag counted', async () => {
        const r = await scrape(t.url);
        return (sample(r.text, 'licence_desk_feed_lag_seconds_count') ?? 0) >= 1 || r.status !== 200 ? r : null;
      });
      assert.strictEqual(m.status, 200);
      assert.match(m.type, /^text\/plain; version=0\.0\.4/);
      const text = m.text;
      // the case page request is counted under its template, not under the case's id
      assert.isAtLeast(sample(text, 'licence_desk_http_request_duration_seconds_count', { method: 'GET', route: '/api/cases/:id', status: '200' }) ?? 0, 1, 'GET /api/cases/:id counted');
      assert.notInclude(text, submitted.id, 'no case id in a label');
      // the start may have timed out and been healed by instancesOf on a busy machine: any outcome counts
      assert.isAtLeast(total(text, 'licence_desk_engine_call_duration_seconds_count', { command: 'start' }), 1, 'engine start timed');
      assert.isAtLeast(sample(text, 'licence_desk_feed_lag_seconds_count') ?? 0, 1, 'feed lag observed');
      assert.isAtLeast(sample(text, 'licence_desk_feed_events_total') ?? 0, 1);
      assert.isAtLeast(sample(text, 'licence_desk_scheduler_run_duration_seconds_count', { loop: 'deadline', outcome: 'ok' }) ?? 0, 1, 'deadline sweeps counted');
      assert.strictEqual(sample(text, 'licence_desk_socket_connections'), 1);
      // the database gauges agree with the database
      const db = t.office.ctx.db;
      const unassigned = Number((await db('tasks').where('state', 'open').whereNull('assignee').count({ n: '*' }))[0]?.n);
      assert.isAtLeast(unassigned, 1);
      assert.strictEqual(sample(text, 'licence_desk_queue_depth', { state: 'unassigned' }), unassigned);
      const running = Number((await db('clocks').where({ state: 'running', level: 'none' }).count({ n: '*' }))[0]?.n);
      assert.isAtLeast(running, 1, 'the case runs a clock');
      assert.strictEqual(sample(text, 'licence_desk_clocks', { state: 'running', level: 'none' }), running);
    } finally {
      socket.disconnect();
    }
    // the gauge follows the socket going away
    await waitFor('the socket gone from the gauge', async () => (sample((await scrape(t.url)).text, 'licence_desk_socket_connections') === 0 ? true : null));
  });

  it('counts a refused engine command by its failure kind', async () => {
    const err: unknown = await t.office.ctx.engine.complete('no-such-task-id', {}).then(() => null, (e: unknown) => e);
    assert.instanceOf(err, EngineError);
    const text = (await scrape(t.url)).text;
    assert.strictEqual(sample(text, 'licence_desk_engine_call_duration_seconds_count', { command: 'complete', outcome: (err as EngineError).kind }), 1, `complete counted as ${(err as EngineError).kind}`);
    assert.isNull(sample(text, 'licence_desk_engine_call_duration_seconds_count', { command: 'complete', outcome: 'ok' }), 'and not as a success');
  });

  it('with METRICS_TOKEN set, answers only the scraper that presents it', async () => {
    const token = 'scraper-token-0123456789';
    const guarded = await startOffice({ env: { METRICS_TOKEN: token }, feed: 'off' });
    try {
      const none = await scrape(guarded.url);
      assert.strictEqual(none.status, 401);
      assert.notInclude(none.text, 'licence_desk_', 'nothing of the figures without the token');
      assert.strictEqual((await scrape(guarded.url, { authorization: 'Bearer scraper-token-012345678X' })).status, 401);
      const ok = await scrape(guarded.url, { authorization: `Bearer ${token}` });
      assert.strictEqual(ok.status, 200);
      assert.include(ok.text, 'licence_desk_http_request_duration_seconds');
    } finally {
      await guarded.close();
    }
  });
});

describe('operations: /health/ready', () => {
  it('says the engine is down when it cannot be reached, the database still up', async () => {
    // a port nothing listens on: the office starts (no deploy at start) and reports itself degraded
    const t = await startOffice({ env: { OPERATON_URL: 'http://127.0.0.1:9/engine-rest', DEPLOY_ON_START: 'false', OPERATON_REQUEST_TIMEOUT_MS: '1000' }, feed: 'off' });
    try {
      const r = await fetch(`${t.url}/health/ready`);
      assert.strictEqual(r.status, 503);
      assert.deepStrictEqual(await r.json(), { status: 'degraded', database: 'up', engine: 'down' });
      const live = await fetch(`${t.url}/health/live`);
      assert.strictEqual(live.status, 200, 'alive while degraded: a restart would not help');
    } finally {
      await t.close();
    }
  });

  it('says the database is down when its connections are gone, and ready again on a healthy office', async () => {
    const database = await freshDatabase();
    const t = await startOffice({ database, feed: 'off' });
    const ready = await fetch(`${t.url}/health/ready`);
    assert.strictEqual(ready.status, 200, 'the positive control: healthy first');
    assert.deepStrictEqual(await ready.json(), { status: 'ready', database: 'up', engine: 'up' });
    await t.office.ctx.db.destroy();
    try {
      const r = await fetch(`${t.url}/health/ready`);
      assert.strictEqual(r.status, 503);
      assert.deepStrictEqual(await r.json(), { status: 'degraded', database: 'down', engine: 'up' });
    } finally {
      await t.stop().catch(() => undefined);
      await database.drop();
    }
  });
});

describe('operations: the compiled back office', () => {
  let office: ChildOffice | null = null;
  let database: Database | null = null;
  after(async () => {
    await office?.stop();
    await database?.drop();
  });

  it('compiles with tsc into dist/, starts from it, migrates under the source names and answers ready', async function () {
    this.timeout(300_000);
    // what `npm start` runs: compile (if stale) and start node dist/backend/main.js
    const { ensureBackendBuilt } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'backend-build.mjs')).href)) as { ensureBackendBuilt(o: { log(m: string): void }): Promise<string> };
    const mainJs = await ensureBackendBuilt({ log: () => undefined });
    assert.isTrue(fs.existsSync(mainJs));
    assert.isFalse(fs.existsSync(path.join(repoRoot, 'dist', 'db', 'migrations', '20261122-0001-skeleton.ts')), 'only JavaScript in dist/');
    database = await freshDatabase();
    const child = new ChildOffice({ port: await freePort(), compiled: true, env: officeEnv({ ...database.env, OPERATON_URL: env.engineUrl, OPERATON_TOKEN: env.engineToken, FEED_ENABLED: 'false', LOG_FORMAT: 'text', LOG_LEVEL: 'info' }) });
    office = child;
    await child.start();
    const ready = await fetch(`${child.url}/health/ready`);
    assert.deepStrictEqual(await ready.json(), { status: 'ready', database: 'up', engine: 'up' });
    // readable start-up output, not JSON lines
    const readyLine = child.stderr.find((l) => l.includes('licence-desk back office ready'));
    assert.ok(readyLine, `a ready line among:\n${child.stderr.slice(-10).join('\n')}`);
    assert.isFalse(readyLine.trimStart().startsWith('{'), `text, not JSON: ${readyLine}`);
    // a database migrated by the compiled office is current for the sources (and the other way)
    const db = createDb({ DATABASE_URL: database.env.DATABASE_URL, SQLITE_FILE: database.env.SQLITE_FILE ?? '', DB_POOL_MAX: 2 });
    try {
      const names = (await db('knex_migrations').pluck('name')) as string[];
      const sources = fs.readdirSync(path.join(repoRoot, 'db', 'migrations')).filter((f) => f.endsWith('.ts')).sort();
      assert.deepStrictEqual([...names].sort(), sources);
      await migrate(db); // the sources find nothing to do and nothing "missing"
    } finally {
      await db.destroy();
    }
  });
});
