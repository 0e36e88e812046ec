/**
 * The one typed configuration of licence-desk. Every setting comes from an environment variable with
 * a documented default (README "Configuration"); a wrong value stops start-up with a message naming
 * the variable, never a stack trace from deep inside a driver.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The checkout's root: the nearest folder above this file holding package.json. Run from sources
 * that is one up; run compiled (dist/config/index.js) two up — data, processes and the web app stay
 * where they are either way.
 */
export const repoRoot = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const AUDIT_KEYS_FORMAT = /^\w{1,16}:[A-Za-z0-9+/]{43,}={0,2}(,\w{1,16}:[A-Za-z0-9+/]{43,}={0,2})*$/;

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `text`: one readable line per entry (a person at a terminal); `json`: pino's JSON lines (a log shipper). */
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  /**
   * Bearer token a Prometheus scraper presents at /metrics. Unset: /metrics answers only clients on
   * this machine (loopback), never through a proxy.
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
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
  /** 催办: one urge per task and urger within this window (a second one is a 429 naming the next allowed time); 0 turns it off. */
  URGE_WINDOW_SECONDS: z.coerce.number().int().min(0).max(7 * 86_400).default(3600),
  /** The applicant's status query (no account): requests per client address, and per case number, per window. */
  RATE_LIMIT_PUBLIC_PER_CLIENT: positiveInt.default(30),
  RATE_LIMIT_PUBLIC_PER_CASE: positiveInt.default(20),
  /** Where the status page is reached from outside: printed as the QR code on every notice. */
  /** 好差评: working days a unit has to rectify a 差评 (核实 is due the next working day). */
  RECTIFY_WORKING_DAYS: positiveInt.default(15),
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
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
  TOTP_REQUIRED_ROLES: z.string().regex(/^[a-z_]*(,[a-z_]+)*$/).default('admin,designer,supervisor,audit_admin').transform((v) => v.split(',').filter(Boolean)),
  /**
   * Keys for applicant personal data (AES-256-GCM): "id:base64key,id:base64key". The first encrypts;
   * all decrypt, so a new key is put first and old rows are re-encrypted at leisure.
   */
  APPLICANT_DATA_KEYS: z
    .string()
    .regex(/^\w{1,16}:[A-Za-z0-9+/]{43}=(,\w{1,16}:[A-Za-z0-9+/]{43}=)*$/, 'must be "id:base64-32-byte-key[,id:key…]"'),
  /**
   * HMAC key of the applicant search hashes (ID number, phone, name), base64 of 32 bytes. Unset: derived
   * from the first APPLICANT_DATA_KEYS key — set it before rotating data keys (README).
   */
  APPLICANT_INDEX_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be base64 of 32 bytes').optional(),
  /**
   * Seed the demo province and its accounts (README). Unset: only on the embedded SQLite default —
   * never on a server database unless asked for explicitly.
   */
  SEED_DEMO: bool.optional(),
  /**
   * With the demo, give its items their demo application forms (README: Forms). The test suite turns
   * it off: its filings predate forms, and the forms tests design their own.
   */
  SEED_DEMO_FORMS: bool.default(true),
  /**
   * Keys of the audit chain (HMAC-SHA-256): "id:base64key[,id:key…]", at least 32 bytes each; the first
   * signs, all verify. Give them here or in AUDIT_KEY_FILE (a file outside the data directory).
   */
  AUDIT_KEYS: z
    .string()
    .regex(AUDIT_KEYS_FORMAT, 'must be "id:base64-key-of-32-bytes-or-more[,id:key…]"')
    .optional(),
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  /**
   * Where the chain's head is anchored outside the database: `file:/path`, `syslog://host:514` (UDP),
   * or `off`. Unset: `file:` audit-anchors.log beside the embedded database.
   */
  AUDIT_ANCHOR: z
    .string()
    .regex(/^(off|file:.+|syslog:\/\/[^\s/]+)$/, 'must be off, file:/path or syslog://host[:port]')
    .optional(),
  AUDIT_ANCHOR_SECONDS: positiveInt.default(300),
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
  /** unset: the directory above; `s3://bucket[/prefix]`: an S3-compatible bucket */
  ATTACHMENTS_STORE: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'must be s3://bucket[/prefix]').optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_FORCE_PATH_STYLE: bool.default(true),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
});

export type Config = Omit<z.infer<typeof schema>, 'SEED_DEMO' | 'AUDIT_KEYS' | 'AUDIT_ANCHOR'> & { SEED_DEMO: boolean; AUDIT_KEYS: string; AUDIT_ANCHOR: string };

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
  return { ...c, SEED_DEMO: c.SEED_DEMO ?? c.DATABASE_URL === undefined, AUDIT_KEYS: auditKeys(c.AUDIT_KEYS, c.AUDIT_KEY_FILE), AUDIT_ANCHOR: c.AUDIT_ANCHOR ?? `file:${path.join(path.dirname(c.SQLITE_FILE), 'audit-anchors.log')}` };
}

/** The audit keys from the variable or from the key file (whose content is never echoed either). */
function auditKeys(value: string | undefined, file: string | undefined): string {
  if (value && file) throw new ConfigError('invalid configuration — AUDIT_KEYS and AUDIT_KEY_FILE are both set: give the audit keys one way');
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`invalid configuration — AUDIT_KEY_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!AUDIT_KEYS_FORMAT.test(text)) throw new ConfigError(`invalid configuration — AUDIT_KEY_FILE: ${file} must hold "id:base64-key-of-32-bytes-or-more[,id:key…]" (value not shown)`);
    return text;
  }
  if (!value) throw new ConfigError('invalid configuration — AUDIT_KEYS: required (or AUDIT_KEY_FILE), the audit chain is keyed');
  return value;
}
