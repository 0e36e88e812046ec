/**
 * The one typed configuration of licence-desk. Every setting comes from an environment variable with
 * a documented default (README "Configuration"); a wrong value stops start-up with a message naming
 * the variable, never a stack trace from deep inside a driver.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: the embedded SQLite file below. `mysql://user:pass@host:3306/db` for MySQL/MariaDB. */
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\/.+/, 'must be a mysql:// URL (leave unset for the embedded SQLite)')
    .optional(),
  SQLITE_FILE: z.string().default(path.join(repoRoot, '.data', 'licence-desk.sqlite')),
  DB_POOL_MAX: positiveInt.default(10),
  ZEEBE_GRPC_ADDRESS: z.string().regex(/^(grpcs?:\/\/)?[^\s:/]+:\d+$/, 'must be host:port').default('127.0.0.1:26500'),
  ZEEBE_REST_ADDRESS: z.string().url().default('http://127.0.0.1:8080'),
  /** OAuth for a remote cluster; all three or none. */
  ZEEBE_CLIENT_ID: z.string().optional(),
  ZEEBE_CLIENT_SECRET: z.string().optional(),
  CAMUNDA_OAUTH_URL: z.string().url().optional(),
  ZEEBE_TOKEN_AUDIENCE: z.string().optional(),
  ZEEBE_SECURE: bool.default(false),
  ZEEBE_REQUEST_TIMEOUT_MS: positiveInt.default(5000),
  /**
   * Tell the engine each claim and release, so its own view (Operate, other clients) shows the
   * assignee. Our task table owns assignment either way; false spares the broker one command per
   * claim, which at saturation is a third of its capacity (bench/throughput.ts, (b) vs (c)).
   */
  ENGINE_MIRROR_ASSIGNMENT: bool.default(true),
  /** Shared secret the exporter presents when it pushes engine records to /internal/engine/records. */
  ENGINE_INGEST_TOKEN: z.string().min(16, 'must be at least 16 characters').default('licence-desk-local-ingest-token'),
  PROCESSES_DIR: z.string().default(path.join(repoRoot, 'processes')),
  DEPLOY_ON_START: bool.default(true),
  SEED_ON_START: bool.default(true),
  /** How long one instance may hold a pending case start before another may retry it. */
  STARTER_LEASE_SECONDS: positiveInt.default(30),
  STARTER_POLL_MS: positiveInt.default(1000),
  /** HMAC secret for access tokens; every instance behind one database must share it. */
  AUTH_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(7 * 24 * 3600),
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  LOGIN_LOCK_SECONDS: positiveInt.default(900),
  /**
   * Keys for applicant personal data (AES-256-GCM): "id:base64key,id:base64key". The first encrypts;
   * all decrypt, so a new key is put first and old rows are re-encrypted at leisure.
   */
  APPLICANT_DATA_KEYS: z
    .string()
    .regex(/^\w{1,16}:[A-Za-z0-9+/]{43}=(,\w{1,16}:[A-Za-z0-9+/]{43}=)*$/, 'must be "id:base64-32-byte-key[,id:key…]"'),
  /** Seed the demo province and its accounts (README) — on by default for the embedded set-up. */
  SEED_DEMO: bool.default(true),
  /** A step or case is "warned" once at most this many working days remain. */
  WARNING_THRESHOLD_DAYS: z.coerce.number().int().min(0).max(30).default(2),
  DEADLINE_POLL_MS: positiveInt.default(1000),
  /** Set to share socket.io rooms across back-office instances (redis://host:6379). */
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// URL').optional(),
  UI_DIR: z.string().default(path.join(repoRoot, 'modeler-ui', 'dist')),
  /** Body size limit for API requests (BPMN uploads are the largest). */
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('2mb'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // ZEEBE_ADDRESS is the name Camunda's own clients use; accept it as an alias.
  const parsed = schema.safeParse({ ...env, ZEEBE_GRPC_ADDRESS: env.ZEEBE_GRPC_ADDRESS ?? env.ZEEBE_ADDRESS });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`invalid configuration — ${lines.join('; ')}`);
  }
  const c = parsed.data;
  const oauth = [c.ZEEBE_CLIENT_ID, c.ZEEBE_CLIENT_SECRET, c.CAMUNDA_OAUTH_URL].filter(Boolean).length;
  if (oauth !== 0 && oauth !== 3) {
    throw new ConfigError('invalid configuration — ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET and CAMUNDA_OAUTH_URL go together: set all three or none');
  }
  return c;
}
