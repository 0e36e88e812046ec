/**
 * What every bench and drill needs: flags, percentiles, a progress bar, a Zeebe broker of its own on
 * bench ports (27100+, never the test broker's 26700… or the dev defaults 26500…), and databases of
 * its own (a temp SQLite file, or a fresh MariaDB database dropped afterwards).
 */
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

// ---- a broker of the bench's own ------------------------------------------------------------------

export interface BrokerPorts {
  grpc: number;
  rest: number;
  management: number;
  command: number;
  internal: number;
}

/** base → gRPC base, command base+1, internal base+2, REST base+80, management base+90 */
export const brokerPorts = (base: number): BrokerPorts => ({ grpc: base, command: base + 1, internal: base + 2, rest: base + 80, management: base + 90 });

export interface RunningBroker {
  pid: number;
  ports: BrokerPorts;
  startedInMs: number;
  stop(): Promise<void>;
}

interface BrokerModule {
  checkPrerequisites(o: { needMaven: boolean }): Promise<{ javaHome: string; javaVersion: number }>;
  brokerVersion(): string;
  ensureBrokerDist(o: { version?: string; log?: (m: string) => void }): Promise<string>;
  buildExporter(o: { distDir: string; javaHome: string; log?: (m: string) => void }): Promise<string>;
  startBroker(o: {
    distDir: string;
    javaHome: string;
    jarPath: string;
    dataDir: string;
    ports: BrokerPorts;
    exporter: { url: string; token: string; variableNames?: string };
    clockControlled?: boolean;
    log?: (m: string) => void;
  }): Promise<RunningBroker>;
}

let brokerModule: BrokerModule | null = null;
/** scripts/broker.mjs is plain JavaScript; this is the shape we use of it. */
export async function brokerLib(): Promise<BrokerModule> {
  brokerModule ??= (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'broker.mjs')).href)) as BrokerModule;
  return brokerModule;
}

export interface BrokerDist {
  distDir: string;
  javaHome: string;
  jarPath: string;
}

export async function prepareBroker(): Promise<BrokerDist> {
  const b = await brokerLib();
  const pre = await b.checkPrerequisites({ needMaven: true });
  const distDir = await b.ensureBrokerDist({ version: b.brokerVersion(), log: (m) => console.log(`  broker: ${m}`) });
  const jarPath = await b.buildExporter({ distDir, javaHome: pre.javaHome, log: (m) => console.log(`  broker: ${m}`) });
  return { distDir, javaHome: pre.javaHome, jarPath };
}

export interface BenchBroker extends RunningBroker {
  dataDir: string;
  grpcAddress: string;
  restAddress: string;
  /** SIGKILL the broker's process group (the JVM included) */
  kill9(): Promise<void>;
  /** stop (snapshot + SIGTERM) but keep the data directory, for a restart */
  halt(): Promise<void>;
  /** start again on the same data and ports */
  restart(): Promise<BenchBroker>;
}

/** A single-node broker on bench ports whose exporter posts to `exporterUrl`; fresh data unless given. */
export async function startBenchBroker(o: { base: number; exporterUrl: string; token: string; dataDir?: string; dist?: BrokerDist }): Promise<BenchBroker> {
  const dist = o.dist ?? (await prepareBroker());
  const b = await brokerLib();
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-broker-'));
  const ports = brokerPorts(o.base);
  const running = await b.startBroker({ ...dist, dataDir: path.join(dataDir, 'data'), ports, exporter: { url: o.exporterUrl, token: o.token, variableNames: 'caseId' }, clockControlled: false });
  const self: BenchBroker = {
    ...running,
    stop: async () => {
      await running.stop();
      if (!o.dataDir) removeDir(dataDir);
    },
    halt: () => running.stop(),
    dataDir,
    grpcAddress: `127.0.0.1:${ports.grpc}`,
    restAddress: `http://127.0.0.1:${ports.rest}`,
    kill9: async () => {
      try {
        process.kill(-running.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(running.pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          break;
        }
      }
      await running.stop(); // unhooks its exit handlers; the process is already gone
    },
    restart: () => startBenchBroker({ ...o, dataDir, dist }),
  };
  return self;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---- databases ------------------------------------------------------------------------------------

export const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface BenchDatabase {
  kind: 'sqlite' | 'mysql';
  /** DATABASE_URL or SQLITE_FILE for a back office */
  env: Record<string, string>;
  /** a knex handle of the bench's own (for reconciliation) */
  open(): Knex;
  drop(): Promise<void>;
}

export async function benchDatabase(kind: 'sqlite' | 'mysql', name = `ld_bench_${Math.random().toString(16).slice(2, 10)}`): Promise<BenchDatabase> {
  if (kind === 'mysql') {
    const admin = knexFactory({ client: 'mysql2', connection: MYSQL_URL });
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.destroy();
    const url = `${MYSQL_URL}/${name}`;
    return {
      kind,
      env: { DATABASE_URL: url },
      open: () => createDb({ DATABASE_URL: url, SQLITE_FILE: '', DB_POOL_MAX: 4 }),
      drop: async () => {
        const a = knexFactory({ client: 'mysql2', connection: MYSQL_URL });
        await a.raw(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
        await a.destroy();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-db-'));
  const file = path.join(dir, 'bench.sqlite');
  return { kind, env: { SQLITE_FILE: file }, open: () => createDb({ SQLITE_FILE: file, DB_POOL_MAX: 1 }), drop: async () => removeDir(dir) };
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
 * ("zb-actors-0" and "zb-actors-1" are "zb-actors-"), so a JVM's actor, IO, gRPC, HTTP, GC and JIT
 * threads can be told apart.
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
