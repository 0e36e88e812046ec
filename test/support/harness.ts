/**
 * Starts a real back office in the test process against the real test broker (started once per run
 * by scripts/run.mjs) and a fresh real database: a SQLite file, or a new MariaDB database, chosen by
 * TEST_DB. Nothing here stubs the engine or the database.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { loadConfig } from '../../config/index.ts';
import { startBackOffice, type BackOffice } from '../../backend/server.ts';
import { createLogger } from '../../backend/log.ts';
import { IngestProxy } from './ingest-proxy.ts';
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
  grpc: required('TEST_ZEEBE_GRPC'),
  rest: required('TEST_ZEEBE_REST'),
  ingestPort: Number(required('TEST_INGEST_PORT')),
  ingestToken: required('TEST_INGEST_TOKEN'),
  brokerPid: Number(process.env.TEST_BROKER_PID ?? 0),
};

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run integration tests through \`npm test\`, which starts the test broker`);
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
    return {
      env: { DATABASE_URL: `${env.mysqlUrl}/${name}` },
      drop: async () => {
        const a = knexFactory({ client: 'mysql2', connection: env.mysqlUrl });
        await a.raw(`DROP DATABASE IF EXISTS ${name}`);
        await a.destroy();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-test-'));
  return { env: { SQLITE_FILE: path.join(dir, 'test.sqlite') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Two keys: the second lets rotation tests re-seal data under a new first key. */
export const TEST_KEYS = `k1:${Buffer.alloc(32, 1).toString('base64')}`;

export const proxy = new IngestProxy();
let proxyListening = false;

/**
 * `exporter: 'proxy'` (default) puts the IngestProxy between exporter and office; `'direct'` lets the
 * office listen on the exporter's port itself, exactly as in production; `'none'` leaves it deaf.
 */
export async function startOffice(opts: { database?: Database; env?: Record<string, string>; exporter?: 'proxy' | 'direct' | 'none'; clock?: Clock } = {}): Promise<TestOffice> {
  const exporter = opts.exporter ?? 'proxy';
  const database = opts.database ?? (await freshDatabase());
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: exporter === 'direct' ? String(env.ingestPort) : '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ZEEBE_GRPC_ADDRESS: env.grpc,
    ZEEBE_REST_ADDRESS: env.rest,
    ZEEBE_REQUEST_TIMEOUT_MS: '3000',
    ENGINE_INGEST_TOKEN: env.ingestToken,
    AUTH_TOKEN_SECRET: 'test-secret-test-secret-test-secret-0123',
    APPLICANT_DATA_KEYS: TEST_KEYS,
    STARTER_POLL_MS: '200',
    STARTER_LEASE_SECONDS: '5',
    ...database.env,
    ...opts.env,
  });
  const office = await startBackOffice(config, { log: createLogger(config.LOG_LEVEL), ...(opts.clock ? { clock: opts.clock } : {}) });
  if (exporter === 'proxy') {
    if (!proxyListening) {
      await proxy.listen(env.ingestPort);
      proxyListening = true;
    }
    proxy.target = office.url;
  }
  return {
    office,
    database,
    url: office.url,
    databaseUrl: database.env.DATABASE_URL,
    sqliteFile: database.env.SQLITE_FILE,
    stop: async () => {
      if (proxy.target === office.url) proxy.target = null;
      await office.stop();
    },
    close: async () => {
      if (proxy.target === office.url) proxy.target = null;
      await office.stop();
      await database.drop();
    },
  };
}

export async function closeProxy(): Promise<void> {
  if (proxyListening) await proxy.close();
  proxyListening = false;
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
