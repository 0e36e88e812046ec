/**
 * What every bench and drill needs: flags, percentiles, a progress bar, an Operaton engine of its own
 * on a bench port (18089–18099, never the test engine's 8790 or the dev default 8090), and databases
 * of its own (a temp SQLite file and an H2 engine, or fresh MariaDB databases `ld_bench_*` for the
 * office and its engine, dropped afterwards).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { repoRoot } from '../../config/index.ts';
import { createDb } from '../../backend/db/knex.ts';

// ---- flags ----------------------------------------------------------------------------------------

/** `--cases 100 --db mysql --hard` → { cases: '100', db: 'mysql', hard: 'true' } */
export function flags(argv = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) continue;
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (v !== undefined) out[k] = v;
    else if (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('--')) out[k] = argv[++i] as string;
    else out[k] = 'true';
  }
  return out;
}

export const num = (f: Record<string, string>, k: string, d: number) => (f[k] !== undefined ? Number(f[k]) : d);

// ---- figures --------------------------------------------------------------------------------------

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

export const median = (xs: number[]) => percentile(xs, 50);
export const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
export const secs = (x: number) => `${(x / 1000).toFixed(2)} s`;

export function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(44)} ${value}`);
}

/** A one-line progress bar on a TTY, a line every 10 % otherwise. */
export function progress(total: number, label: string): { tick(n?: number): void; done(): void } {
  let done = 0;
  let lastPct = -1;
  const t0 = performance.now();
  const tty = process.stdout.isTTY;
  const draw = (final = false) => {
    const pct = Math.floor((done / total) * 100);
    const rate = done / ((performance.now() - t0) / 1000);
    const eta = rate > 0 ? (total - done) / rate : 0;
    const text = `${label} [${'#'.repeat(Math.floor(pct / 2.5)).padEnd(40, '.')}] ${String(pct).padStart(3)}% ${done}/${total} ${Math.round(rate)}/s ETA ${Math.round(eta)} s`;
    if (tty) process.stdout.write(`\r${text}${final ? '\n' : ''}`);
    else if (final || Math.floor(pct / 10) !== Math.floor(lastPct / 10)) console.log(text);
    lastPct = pct;
  };
  let lastDraw = 0;
  return {
    tick(n = 1) {
      done += n;
      const now = performance.now();
      if (now - lastDraw > 200) {
        lastDraw = now;
        draw();
      }
    },
    done() {
      draw(true);
    },
  };
}

// ---- an engine of the bench's own ------------------------------------------------------------------

/** The bearer token of every bench engine (the engine wants 16 characters at least). */
export const ENGINE_TOKEN = 'bench-engine-token-0123456789';

/** An engine address nobody answers on, for benches that need no engine (with FEED_ENABLED=false). */
export const NO_ENGINE = { OPERATON_URL: 'http://127.0.0.1:1/engine-rest', OPERATON_TOKEN: 'bench-no-engine-token-0123' } as const;

export interface EngineJdbc {
  url: string;
  user: string;
  password: string;
  database: string;
}

export interface RunningEngine {
  pid: number;
  /** REST base, …/engine-rest */
  url: string;
  port: number;
  logFile: string;
  startedInMs: number;
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

interface EngineModule {
  checkPrerequisites(o?: { needMaven?: boolean }): Promise<{ javaHome: string; javaVersion: number }>;
  buildEngine(o: { javaHome: string; log?: (m: string) => void }): Promise<string>;
  engineJarPath(): string;
  engineJdbcFor(databaseUrl: string, name?: string): EngineJdbc;
  startEngine(o: { javaHome: string; jar: string; dataDir: string; port?: number; host?: string; jdbc?: EngineJdbc; token: string; javaOpts?: string; log?: (m: string) => void; name?: string }): Promise<RunningEngine>;
}

let engineModule: EngineModule | null = null;
/** scripts/engine.mjs is plain JavaScript; this is the shape we use of it. */
export async function engineLib(): Promise<EngineModule> {
  engineModule ??= (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'engine.mjs')).href)) as EngineModule;
  return engineModule;
}

export interface EngineBuild {
  javaHome: string;
  jar: string;
}

let built: Promise<EngineBuild> | null = null;
/** A JDK and the engine jar (built by Maven the first time, cached in .cache/engine). */
export function prepareEngine(): Promise<EngineBuild> {
  built ??= (async () => {
    const e = await engineLib();
    const pre = await e.checkPrerequisites({ needMaven: true });
    const jar = await e.buildEngine({ javaHome: pre.javaHome, log: (m) => console.log(`  engine: ${m}`) });
    return { javaHome: pre.javaHome, jar };
  })();
  return built;
}

export interface BenchEngine extends RunningEngine {
  token: string;
  dataDir: string;
  /** the engine's MariaDB database, or undefined for H2 under dataDir */
  jdbc: EngineJdbc | undefined;
  running(): boolean;
  /** stop (Spring shutdown, SIGTERM) and keep the data directory, for a restart */
  halt(): Promise<void>;
  /** SIGKILL the JVM */
  kill9(): Promise<void>;
  /** start again on the same data, port and database */
  restart(): Promise<BenchEngine>;
}

/**
 * One Operaton node on a bench port: on H2 in a temp directory, or on `jdbc` (a MariaDB database;
 * several nodes on the same jdbc are a cluster). stop() also removes the directory it made.
 */
export async function startBenchEngine(o: { port: number; jdbc?: EngineJdbc; dataDir?: string; name?: string; javaOpts?: string; quiet?: boolean }): Promise<BenchEngine> {
  const build = await prepareEngine();
  const e = await engineLib();
  const own = !o.dataDir;
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-engine-'));
  const running = await e.startEngine({ javaHome: build.javaHome, jar: build.jar, dataDir, port: o.port, jdbc: o.jdbc, token: ENGINE_TOKEN, javaOpts: o.javaOpts, name: o.name ?? 'engine', log: o.quiet ? () => {} : (m) => console.log(`  engine: ${m}`) });
  let gone = false;
  void running.exited.then(() => (gone = true));
  const self: BenchEngine = {
    ...running,
    token: ENGINE_TOKEN,
    dataDir,
    jdbc: o.jdbc,
    running: () => !gone,
    halt: () => running.stop(),
    stop: async () => {
      await running.stop();
      if (own) removeDir(dataDir);
    },
    kill9: async () => {
      try {
        process.kill(running.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await running.exited;
      await running.stop(); // unhooks its exit handlers; the process is already gone
    },
    restart: () => startBenchEngine({ ...o, dataDir }),
  };
  return self;
}

/** The engine's REST API from the bench, with the token; throws with the engine's answer on a non-2xx. */
export async function engineCall<T>(url: string, method: string, p: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${ENGINE_TOKEN}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p.replace(/\?.*/, '')}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---- databases ------------------------------------------------------------------------------------

export const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

const randomName = () => `ld_bench_${Math.random().toString(16).slice(2, 10)}`;

async function dropMysql(name: string): Promise<void> {
  const a = knexFactory({ client: 'mysql2', connection: MYSQL_URL });
  await a.raw(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
  await a.destroy();
}

export interface BenchDatabase {
  kind: 'sqlite' | 'mysql';
  /** DATABASE_URL or SQLITE_FILE for a back office */
  env: Record<string, string>;
  /** the engine's database beside it: `<name>_engine` on MariaDB for mysql, undefined (H2) for sqlite */
  engineJdbc: EngineJdbc | undefined;
  /** the database names on MariaDB that are this bench's (office's and engine's) */
  mysqlNames: string[];
  /** a knex handle of the bench's own (for reconciliation) */
  open(): Knex;
  /** drops the office's database and the engine's */
  drop(): Promise<void>;
}

/** A MariaDB database for engine nodes only (the engine creates it on first start). */
export async function engineDatabase(name = `${randomName()}_engine`): Promise<{ jdbc: EngineJdbc; drop(): Promise<void> }> {
  const jdbc = (await engineLib()).engineJdbcFor(`${MYSQL_URL}/${name}`, name);
  await dropMysql(name);
  return { jdbc, drop: () => dropMysql(name) };
}

export async function benchDatabase(kind: 'sqlite' | 'mysql', name = randomName()): Promise<BenchDatabase> {
  if (kind === 'mysql') {
    const admin = knexFactory({ client: 'mysql2', connection: MYSQL_URL });
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.destroy();
    const engine = await engineDatabase(`${name}_engine`);
    const url = `${MYSQL_URL}/${name}`;
    return {
      kind,
      env: { DATABASE_URL: url },
      engineJdbc: engine.jdbc,
      mysqlNames: [name, engine.jdbc.database],
      open: () => createDb({ DATABASE_URL: url, SQLITE_FILE: '', DB_POOL_MAX: 4 }),
      drop: async () => {
        await dropMysql(name);
        await engine.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-db-'));
  const file = path.join(dir, 'bench.sqlite');
  return { kind, env: { SQLITE_FILE: file }, engineJdbc: undefined, mysqlNames: [], open: () => createDb({ SQLITE_FILE: file, DB_POOL_MAX: 1 }), drop: async () => removeDir(dir) };
}

/** The pid of MariaDB's server process (0 if none runs here), for its CPU seconds. */
export function mariadbPid(): number {
  const r = spawnSync('pgrep', ['-o', '-x', 'mariadbd'], { encoding: 'utf8' });
  return Number(r.stdout.trim() || 0);
}

/** Runs `fn`, always running `cleanup` steps afterwards (in reverse), even on Ctrl-C. */
export async function withCleanup<T>(fn: (defer: (step: () => Promise<unknown> | unknown) => void) => Promise<T>): Promise<T> {
  const steps: Array<() => Promise<unknown> | unknown> = [];
  let cleaning: Promise<void> | null = null;
  const clean = () =>
    (cleaning ??= (async () => {
      for (const s of steps.reverse()) {
        try {
          await s();
        } catch (err) {
          console.error('cleanup step failed:', err instanceof Error ? err.message : err);
        }
      }
    })());
  const onSignal = () => {
    console.error('\ninterrupted: cleaning up…');
    void clean().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn((s) => steps.push(s));
  } finally {
    await clean();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // scripts/engine.mjs's stop() leaves its 20 s kill timer pending: do not wait it out
    setTimeout(() => process.exit(), 200).unref();
  }
}

export function header(title: string, extra: Record<string, string | number> = {}): void {
  console.log(`\n== ${title}`);
  console.log(`   ${new Date().toISOString()} · ${os.cpus().length} cores · ${Math.round(os.totalmem() / 2 ** 30)} GiB · Node ${process.version} · load ${os.loadavg()[0]?.toFixed(1)}${Object.entries(extra).map(([k, v]) => ` · ${k} ${v}`).join('')}`);
}

// ---- CPU accounting (Linux /proc) -------------------------------------------------------------------

const TICK = 100; // USER_HZ

/** CPU seconds (user + system) used so far by the processes of a process group, or one pid. */
export function cpuSeconds(o: { pgid?: number; pid?: number }): number {
  let total = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    if ((o.pid !== undefined && Number(d) === o.pid) || (o.pgid !== undefined && pgrp === o.pgid)) total += (Number(fields[11]) + Number(fields[12])) / TICK;
  }
  return total;
}

/**
 * CPU seconds so far per thread kind of a process group: thread names with their numbers taken off
 * ("http-nio-18090-exec-3" and "…-exec-7" are "http-nio-18090-exec-"), so a JVM's REST, job
 * executor, GC and JIT threads can be told apart.
 */
export function threadCpuSeconds(pgid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let tasks: string[];
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      tasks = fs.readdirSync(`/proc/${d}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const stat = fs.readFileSync(`/proc/${d}/task/${t}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[\d#]+$/, '');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(name, (out.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICK);
      } catch {
        /* the thread ended */
      }
    }
  }
  return out;
}

/** What each thread kind used between two `threadCpuSeconds` snapshots, largest first. */
export function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): Array<[string, number]> {
  return [...after].map(([k, v]): [string, number] => [k, v - (before.get(k) ?? 0)]).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
}

/** CPU seconds of this process so far. */
export const selfCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
