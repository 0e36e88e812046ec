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
  /**
   * The engine's REST API; several nodes of one engine cluster comma-separated (a node that cannot be
   * reached is skipped). Unset: the local engine `npm start` manages on loopback.
   */
  OPERATON_URL: z
    .string()
    .regex(/^https?:\/\/[^\s,]+(,\s*https?:\/\/[^\s,]+)*$/, 'must be an http(s) URL, or several comma-separated')
    .default('http://127.0.0.1:8090/engine-rest'),
  /** The bearer token the engine requires (its LICENCEDESK_ENGINE_TOKEN); no default. */
  OPERATON_TOKEN: z.string().min(16, 'must be at least 16 characters (the engine\'s LICENCEDESK_ENGINE_TOKEN)'),
  /** After this an engine call counts as "engine unavailable" (503 / retried start). */
  OPERATON_REQUEST_TIMEOUT_MS: positiveInt.default(5000),
  /**
   * Tell the engine each claim and release, so its own view (cockpit, other clients) shows the
   * assignee. Our task table owns assignment either way; false spares the engine one call per claim.
   */
  ENGINE_MIRROR_ASSIGNMENT: bool.default(true),
  /** Read the engine's feed (one back office at a time does, by lease); false: this one never does. */
  FEED_ENABLED: bool.default(true),
  /** How long a back office holds the engine feed without renewing before another takes it over. */
  FEED_LEASE_SECONDS: positiveInt.default(10),
  /** Events per feed batch (one back-office transaction). */
  FEED_BATCH_MAX: positiveInt.max(2000).default(500),
  /** How long a feed read waits for the engine's next event (long poll). */
  FEED_WAIT_MS: z.coerce.number().int().min(0).max(25_000).default(1000),
  PROCESSES_DIR: z.string().default(path.join(repoRoot, 'processes')),
  DEPLOY_ON_START: bool.default(true),
  SEED_ON_START: bool.default(true),
  /** How long one instance may hold a pending case start before another may retry it. */
  STARTER_LEASE_SECONDS: positiveInt.default(30),
  STARTER_POLL_MS: positiveInt.default(1000),
  /** HMAC secret for access tokens; every instance behind one database must share it. */
  AUTH_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
  /** Idle timeout: a refresh token not used within this ends the session. */
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(1800),
  /** Absolute session lifetime from the login, however often it is refreshed. */
  SESSION_MAX_SECONDS: positiveInt.default(12 * 3600),
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  /** The first lock's length; each further lock without a successful login in between doubles it. */
  LOGIN_LOCK_SECONDS: positiveInt.default(900),
  LOGIN_LOCK_MAX_SECONDS: positiveInt.default(24 * 3600),
  /** Requests per RATE_LIMIT_WINDOW_SECONDS: logins per client address and per account name, writes per user, urges per user. */
  RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
  RATE_LIMIT_LOGIN_PER_IP: positiveInt.default(30),
  RATE_LIMIT_LOGIN_PER_ACCOUNT: positiveInt.default(10),
  RATE_LIMIT_WRITES_PER_USER: positiveInt.default(120),
  RATE_LIMIT_URGES_PER_USER: positiveInt.default(10),
  /** Express's `trust proxy`: false (no proxy), a hop count, or addresses/subnets of the proxies. */
  TRUST_PROXY: z
    .string()
    .regex(/^(false|true|\d+|[0-9a-fA-F.:/, ]+|loopback|linklocal|uniquelocal)$/, 'must be false, a hop count, or proxy addresses')
    .default('false')
    .transform((v): boolean | number | string => (v === 'false' ? false : v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v)),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(10),
  /** Days before a password must be changed (0: never). */
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).default(90),
  /** How many previous passwords may not be used again. */
  PASSWORD_HISTORY: z.coerce.number().int().min(0).max(24).default(5),
  /** Roles that must log in with a second factor (TOTP); anyone else may enrol. */
  TOTP_REQUIRED_ROLES: z.string().regex(/^[a-z_]*(,[a-z_]+)*$/).default('admin,designer,supervisor,auditor').transform((v) => v.split(',').filter(Boolean)),
  /**
   * Keys for applicant personal data (AES-256-GCM): "id:base64key,id:base64key". The first encrypts;
   * all decrypt, so a new key is put first and old rows are re-encrypted at leisure.
   */
  APPLICANT_DATA_KEYS: z
    .string()
    .regex(/^\w{1,16}:[A-Za-z0-9+/]{43}=(,\w{1,16}:[A-Za-z0-9+/]{43}=)*$/, 'must be "id:base64-32-byte-key[,id:key…]"'),
  /**
   * Seed the demo province and its accounts (README). Unset: only on the embedded SQLite default —
   * never on a server database unless asked for explicitly.
   */
  SEED_DEMO: bool.optional(),
  /** A step or case is "warned" once at most this many working days remain. */
  WARNING_THRESHOLD_DAYS: z.coerce.number().int().min(0).max(30).default(2),
  DEADLINE_POLL_MS: positiveInt.default(1000),
  /** Set to share socket.io rooms across back-office instances (redis://host:6379). */
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// URL').optional(),
  UI_DIR: z.string().default(path.join(repoRoot, 'modeler-ui', 'dist')),
  /** Body size limit for API requests (BPMN uploads are the largest). */
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('2mb'),
  /** attachments of case steps, stored by content hash (a local directory) */
  ATTACHMENTS_DIR: z.string().default(path.join(repoRoot, '.data', 'attachments')),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(20 * 1024 * 1024),
});

export type Config = Omit<z.infer<typeof schema>, 'SEED_DEMO'> & { SEED_DEMO: boolean };

const SECRET = /SECRET|TOKEN$|KEYS?$|PASSWORD/;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      // a secret's value is never echoed (logs, terminals and CI output are read by others)
      const got = SECRET.test(name) || name === 'DATABASE_URL' || name === 'REDIS_URL' ? 'value not shown' : `got ${JSON.stringify(env[name])}`;
      return `${i.path.join('.')}: ${i.message} (${got})`;
    });
    throw new ConfigError(`invalid configuration — ${lines.join('; ')}`);
  }
  const c = parsed.data;
  return { ...c, SEED_DEMO: c.SEED_DEMO ?? c.DATABASE_URL === undefined };
}
