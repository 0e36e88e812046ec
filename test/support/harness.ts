/**
 * Starts a real back office in the test process against the real test engine (Operaton, started
 * once per stage by scripts/run.mjs: on H2 for SQLite, on MariaDB for MySQL) and a fresh real
 * database: a SQLite file, or a new MariaDB database, chosen by TEST_DB. Nothing here stubs the
 * engine or the database.
 *
 * The engine has one feed. In production every back office shares one database and so one feed
 * lease; test offices each have their own database, so the harness decides which office hears the
 * feed — the one started last, unless told otherwise (`feed: 'off'`, `hearFeed`).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { loadConfig } from '../../config/index.ts';
import { startBackOffice, type BackOffice } from '../../backend/server.ts';
import { createLogger, type Logger } from '../../backend/log.ts';
import type { Clock } from '../../backend/context.ts';

/** The back office's clock under the test's control. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}


export const env = {
  db: (process.env.TEST_DB ?? 'sqlite') as 'sqlite' | 'mysql',
  mysqlUrl: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
  engineUrl: required('TEST_OPERATON_URL'),
  engineToken: required('TEST_OPERATON_TOKEN'),
  enginePid: Number(process.env.TEST_ENGINE_PID ?? 0),
};

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run integration tests through \`npm test\`, which starts the test engine`);
  return v;
}

export interface TestOffice {
  office: BackOffice;
  database: Database;
  url: string;
  databaseUrl: string | undefined;
  sqliteFile: string | undefined;
  /** stops the office and keeps its database (for restart tests) */
  stop(): Promise<void>;
  /** stops the office and drops its database */
  close(): Promise<void>;
}

export interface Database {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<Database> {
  if (env.db === 'mysql') {
    const name = `ld_test_${randomBytes(4).toString('hex')}`;
    const admin = knexFactory({ client: 'mysql2', connection: env.mysqlUrl });
    await admin.raw(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.destroy();
    // the audit anchors of one database go to a file of its own (as an operator would configure)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-test-'));
    return {
      env: { DATABASE_URL: `${env.mysqlUrl}/${name}`, AUDIT_ANCHOR: `file:${path.join(dir, 'audit-anchors.log')}` },
      drop: async () => {
        const a = knexFactory({ client: 'mysql2', connection: env.mysqlUrl });
        await a.raw(`DROP DATABASE IF EXISTS ${name}`);
        await a.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-test-'));
  return { env: { SQLITE_FILE: path.join(dir, 'test.sqlite'), AUDIT_ANCHOR: `file:${path.join(dir, 'audit-anchors.log')}` }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Two keys: the second lets rotation tests re-seal data under a new first key. */
export const TEST_KEYS = `k1:${Buffer.alloc(32, 1).toString('base64')}`;

/** The audit chain's key in tests (drills re-verify the chain with it on their own handle). */
export const TEST_AUDIT_KEYS = `a1:${Buffer.alloc(32, 2).toString('base64')}`;

let feedOwner: BackOffice | null = null;

/** Makes `office` the one that hears the engine's feed (the previous one stops listening). */
export async function hearFeed(office: BackOffice | null): Promise<void> {
  if (feedOwner && feedOwner !== office) await feedOwner.feed.stop();
  feedOwner = office;
  office?.feed.start();
}

/** Common settings of every test office; `env` overrides them. */
export function testOfficeEnv(database: Database, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OPERATON_URL: env.engineUrl,
    OPERATON_TOKEN: env.engineToken,
    OPERATON_REQUEST_TIMEOUT_MS: '3000',
    FEED_WAIT_MS: '500',
    AUTH_TOKEN_SECRET: 'test-secret-test-secret-test-secret-0123',
    APPLICANT_DATA_KEYS: TEST_KEYS,
    AUDIT_KEYS: TEST_AUDIT_KEYS,
    STARTER_POLL_MS: '200',
    STARTER_LEASE_SECONDS: '5',
    // the demo province on either database; rate limits far above what a test's many logins and
    // actions from one address need (test/integration/security*.test.ts sets them low to prove them)
    SEED_DEMO: 'true',
    // the suite's filings predate application forms: the forms tests design their own (forms.test.ts)
    SEED_DEMO_FORMS: 'false',
    RATE_LIMIT_LOGIN_PER_IP: '100000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
    RATE_LIMIT_WRITES_PER_USER: '100000',
    RATE_LIMIT_URGES_PER_USER: '100000',
    ...database.env,
    ...extra,
  };
}

/**
 * `feed: 'on'` (default): this office hears the engine's feed from now on; `'off'`: it stays deaf
 * (another office applies what the engine does, as with several instances on one database).
 */
export async function startOffice(opts: { database?: Database; env?: Record<string, string>; feed?: 'on' | 'off'; clock?: Clock; log?: Logger } = {}): Promise<TestOffice> {
  const database = opts.database ?? (await freshDatabase());
  const config = loadConfig({ ...testOfficeEnv(database, opts.env), FEED_ENABLED: 'false' });
  const office = await startBackOffice(config, { log: opts.log ?? createLogger(config.LOG_LEVEL), ...(opts.clock ? { clock: opts.clock } : {}) });
  if ((opts.feed ?? 'on') === 'on') await hearFeed(office);
  const release = async () => {
    if (feedOwner === office) feedOwner = null;
    await office.stop();
  };
  return {
    office,
    database,
    url: office.url,
    databaseUrl: database.env.DATABASE_URL,
    sqliteFile: database.env.SQLITE_FILE,
    stop: release,
    close: async () => {
      await release();
      await database.drop();
    },
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** No office hears the feed any more (the last test of a file has closed its office). */
export async function stopFeed(): Promise<void> {
  await hearFeed(null);
}
