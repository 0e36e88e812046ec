/**
 * Bare Operaton, no back office: the water permit driven over the engine's REST API directly, the
 * way a thin client of the engine would. Per case:
 *   POST /process-definition/key/water_abstraction_permit/start   (business key + the start variables)
 *   5 × ( GET  /task?processInstanceId=…&candidateGroup=…           the step's task, as its clerk's queue
 *         POST /task/{id}/claim                                    (--bare-claim false: skipped)
 *         POST /task/{id}/complete                                 decision / opinion as String variables )
 * Completing a task runs the engine up to the next wait state in the same call (the BPMN has no
 * asynchronous continuation), so the next step's query normally finds its task at once; an empty
 * answer is asked again 2 ms later and counted.
 *
 * Nobody reads the engine's change feed on a bare engine, so its rows would pile up in LD_FEED: the
 * FeedDrain here reads and acknowledges them like a reader that applies nothing (and times the
 * engine-time → read lag of task.created events, the floor under the back office's feed lag).
 *
 * Run directly it is the bare benchmark on its own — an engine of its own on port 18091 (H2, or
 * MariaDB with --db mysql), the water permit deployed, a warm-up, then both regimes:
 *
 *   node --import tsx bench/lib/bare-operaton.ts [--cases 400,400] [--concurrency 10,50] [--rounds 3] [--warmup 400] [--db mysql|h2] [--bare-claim false]
 *
 * Operaton's JIT (C2) keeps compiling for the first few hundred cases: figures settle after a
 * warm-up of ~400 cases (--warmup).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../config/index.ts';
import { HAPPY_PATH, sleep } from '../../test/support/drills.ts';
import { benchDatabase, cpuSeconds, ENGINE_TOKEN, flags, header, line, mariadbPid, median, ms, num, percentile, selfCpuSeconds, startBenchEngine, threadCpuDelta, threadCpuSeconds, withCleanup } from './common.ts';

/** The candidate group each step's task is offered to (the BPMN's expressions, for a JN-01-01 case). */
const GROUP: Record<string, string> = {
  window_acceptance: 'JN-01-01.ASC:window',
  county_review: 'JN-01-01.WR:reviewer',
  city_review: 'JN-01.WR:reviewer',
  province_decision: 'JN.WR:leader',
  licence_delivery: 'JN.ASC:window',
};
export const BARE_STEPS = HAPPY_PATH.map((s) => ({ ...s, group: GROUP[s.element] as string }));
export const PROCESS_ID = 'water_abstraction_permit';

type Typed = { value: string; type: 'String' };
const strings = (vars: Record<string, string>): Record<string, Typed> => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { value: v, type: 'String' }]));

export interface BarePhases {
  start: number[];
  query: number[];
  claim: number[];
  complete: number[];
}

export interface BareRun {
  cases: number;
  done: number;
  ms: number;
  /** per case, start → last completion */
  lat: number[];
  phases: BarePhases;
  /** task queries answered empty (asked again) */
  emptyQueries: number;
  errors: string[];
}

interface TaskDto {
  id: string;
  taskDefinitionKey: string;
}

export class BareOperaton {
  constructor(
    readonly url: string,
    readonly token = ENGINE_TOKEN,
  ) {}

  private async call<T>(method: string, p: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p.replace(/\?.*/, '')}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Deploys the water permit as the back office does (duplicate filtering: an unchanged file is a no-op). */
  async deploy(file = path.join(repoRoot, 'processes', 'water-abstraction-permit.bpmn')): Promise<void> {
    const name = path.basename(file);
    const form = new FormData();
    form.set('deployment-name', name);
    form.set('deployment-source', 'licence-desk-bench');
    form.set('enable-duplicate-filtering', 'true');
    form.set('deploy-changed-only', 'true');
    form.set(name, new Blob([fs.readFileSync(file, 'utf8')], { type: 'application/xml' }), name);
    const res = await fetch(`${this.url}/deployment/create`, { method: 'POST', headers: { authorization: `Bearer ${this.token}` }, body: form, signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`deployment of ${name}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }

  private async oneCase(phases: BarePhases, claim: boolean, counters: { empty: number }): Promise<number> {
    const t0 = performance.now();
    const timed = async <T>(into: number[], work: Promise<T>): Promise<T> => {
      const t = performance.now();
      const r = await work;
      into.push(performance.now() - t);
      return r;
    };
    const caseId = randomUUID();
    const started = await timed(
      phases.start,
      this.call<{ id: string }>('POST', `/process-definition/key/${PROCESS_ID}/start`, {
        businessKey: caseId,
        variables: strings({ caseId, caseNo: `BARE${caseId.slice(0, 8)}`, itemCode: '000117002000', provinceCode: 'JN', cityCode: 'JN-01', countyCode: 'JN-01-01', correctionWindow: 'P30D' }),
      }),
    );
    for (const step of BARE_STEPS) {
      let task: TaskDto | undefined;
      const until = performance.now() + 30_000;
      for (;;) {
        const found = await timed(phases.query, this.call<TaskDto[]>('GET', `/task?processInstanceId=${started.id}&candidateGroup=${encodeURIComponent(step.group)}&maxResults=10`));
        task = found[0];
        if (task) break;
        counters.empty++;
        if (performance.now() > until) throw new Error(`no ${step.element} task for instance ${started.id} within 30 s`);
        await sleep(2);
      }
      if (task.taskDefinitionKey !== step.element) throw new Error(`expected ${step.element}, the engine offers ${task.taskDefinitionKey}`);
      if (claim) await timed(phases.claim, this.call('POST', `/task/${task.id}/claim`, { userId: step.who }));
      await timed(phases.complete, this.call('POST', `/task/${task.id}/complete`, { variables: strings({ decision: step.decision, opinion: '同意' }) }));
    }
    return performance.now() - t0;
  }

  /** `cases` cases down the happy path, `concurrency` at a time. */
  async run(o: { cases: number; concurrency: number; claim?: boolean }): Promise<BareRun> {
    const phases: BarePhases = { start: [], query: [], claim: [], complete: [] };
    const counters = { empty: 0 };
    const lat: number[] = [];
    const errors: string[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(o.concurrency, o.cases) }, async () => {
        while (next < o.cases) {
          next++;
          try {
            lat.push(await this.oneCase(phases, o.claim ?? true, counters));
          } catch (err) {
            errors.push(err instanceof Error ? err.message : String(err));
          }
        }
      }),
    );
    return { cases: o.cases, done: lat.length, ms: performance.now() - t0, lat, phases, emptyQueries: counters.empty, errors };
  }
}

/**
 * Reads and acknowledges the engine's change feed, applying nothing: what a bare run needs so that
 * LD_FEED does not grow, and the engine-time → read lag of task.created events on the way.
 */
export class FeedDrain {
  private loop: Promise<void> | null = null;
  private running = false;
  events = 0;
  errors = 0;
  /** ms from an event's engine time to this reader having it, task.created events only */
  lag: number[] = [];

  constructor(
    readonly url: string,
    readonly token = ENGINE_TOKEN,
    readonly waitMs = 500,
  ) {}

  private async once(waitMs: number): Promise<number> {
    const res = await fetch(`${this.url}/licence-desk/feed?max=500&waitMs=${waitMs}`, { headers: { authorization: `Bearer ${this.token}` }, signal: AbortSignal.timeout(waitMs + 30_000) });
    if (!res.ok) throw new Error(`feed read: HTTP ${res.status}`);
    const { events } = (await res.json()) as { events: Array<{ seq: string; type: string; at?: number }> };
    const now = Date.now();
    for (const e of events) if (e.type === 'task.created' && typeof e.at === 'number') this.lag.push(now - e.at);
    if (events.length > 0) {
      const ack = await fetch(`${this.url}/licence-desk/feed/ack`, { method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ids: events.map((e) => e.seq) }), signal: AbortSignal.timeout(30_000) });
      if (!ack.ok) throw new Error(`feed ack: HTTP ${ack.status}`);
      this.events += events.length;
    }
    return events.length;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.once(this.waitMs);
        } catch {
          this.errors++;
          await sleep(200);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
  }

  /** Reads until the feed is empty (after stop(), or with no loop running). */
  async drain(): Promise<number> {
    let n = 0;
    for (let i = 0; i < 1000; i++) {
      const got = await this.once(0);
      n += got;
      if (got === 0) break;
    }
    return n;
  }

  takeLag(): number[] {
    const l = this.lag;
    this.lag = [];
    return l;
  }
}

// ---- CPU of the pieces, from /proc -------------------------------------------------------------------

export interface CpuSample {
  engine: number;
  db: number;
  self: number;
}

/** CPU seconds so far of the engine JVM, MariaDB's server (0 without one) and this process. */
export function cpuNow(enginePid: number, dbPid: number): CpuSample {
  return { engine: cpuSeconds({ pid: enginePid }), db: dbPid ? cpuSeconds({ pid: dbPid }) : 0, self: selfCpuSeconds() };
}

export function cpuSince(before: CpuSample, enginePid: number, dbPid: number): CpuSample {
  const now = cpuNow(enginePid, dbPid);
  return { engine: now.engine - before.engine, db: now.db - before.db, self: now.self - before.self };
}

export const p5095 = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))}`;
export const p5099 = (xs: number[]) => (xs.length ? `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 99))}` : 'no samples');

/** Engine CPU by thread kind over a piece of work, accumulated into `into`. */
export async function inThreads<T>(pid: number, into: Map<string, number>, work: () => Promise<T>): Promise<T> {
  const before = threadCpuSeconds(pid);
  const r = await work();
  for (const [k, v] of threadCpuDelta(before, threadCpuSeconds(pid))) into.set(k, (into.get(k) ?? 0) + v);
  return r;
}

export const threadsPerCase = (threads: Map<string, number>, n: number) =>
  [...threads]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 6)
    .map(([k, v]) => `${k.trim()} ${(v / n).toFixed(4)}`)
    .join(' · ');

/** One bare round: the run, its CPU and the drain's lag. */
export interface BareRound {
  run: BareRun;
  cpu: CpuSample;
  lag: number[];
}

/** Prints what rounds of bare runs came to (median throughput, latency, CPU per case, lag). */
export function describeBare(label: string, rounds: BareRound[], threads: Map<string, number>, withDb: boolean): number {
  const rate = median(rounds.map((x) => x.run.done / (x.run.ms / 1000)));
  const n = rounds.reduce((s, x) => s + x.run.done, 0);
  const sum = (f: (x: BareRound) => number) => rounds.reduce((s, x) => s + f(x), 0);
  console.log(`\n  ${label} — median of ${rounds.length} rounds`);
  line('throughput', `${rate.toFixed(2)} cases/s  (${(rate * BARE_STEPS.length).toFixed(1)} tasks/s; rounds ${rounds.map((x) => (x.run.done / (x.run.ms / 1000)).toFixed(2)).join(', ')})`);
  line('per case start → last completion p50 / p95', p5095(rounds.flatMap((x) => x.run.lat)));
  for (const k of ['start', 'query', 'claim', 'complete'] as const) {
    const xs = rounds.flatMap((x) => x.run.phases[k]);
    if (xs.length) line(`  ${k} p50 / p95 (n=${xs.length})`, p5095(xs));
  }
  const empty = sum((x) => x.run.emptyQueries);
  if (empty) line('task queries answered empty (asked again)', String(empty));
  const busy = (sum((x) => x.cpu.engine) + sum((x) => x.cpu.db) + sum((x) => x.cpu.self)) / (sum((x) => x.run.ms) / 1000);
  line(`CPU s per case: engine${withDb ? ' / MariaDB' : ''} / driver`, `${[sum((x) => x.cpu.engine), ...(withDb ? [sum((x) => x.cpu.db)] : []), sum((x) => x.cpu.self)].map((v) => (v / Math.max(1, n)).toFixed(4)).join(' / ')}  (${busy.toFixed(2)} cores busy)`);
  line('engine CPU s per case by thread', threadsPerCase(threads, Math.max(1, n)));
  line('feed lag, task.created → bare reader p50 / p99', p5099(rounds.flatMap((x) => x.lag)));
  const errors = rounds.flatMap((x) => x.run.errors);
  if (errors.length) line('cases failed', `${errors.length}: ${errors.slice(0, 3).join(' | ')}`);
  return rate;
}

/** `--cases 100,200` with `--concurrency 10,50` → [[10, 100], [50, 200]]; one value applies to every regime. */
export function regimes(f: Record<string, string>, defaults: { cases: string; concurrency: string }): Array<{ concurrency: number; cases: number }> {
  const cs = (f.concurrency ?? defaults.concurrency).split(',').map(Number);
  const ns = (f.cases ?? defaults.cases).split(',').map(Number);
  return cs.map((c, i) => ({ concurrency: c, cases: ns[Math.min(i, ns.length - 1)] as number }));
}

// ---- run on its own ----------------------------------------------------------------------------------

const isMain = process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const f = flags();
  const WARMUP = num(f, 'warmup', 400);
  const ROUNDS = num(f, 'rounds', 3);
  const DB = f.db === 'mysql' ? 'mysql' : 'h2';
  const CLAIM = f['bare-claim'] !== 'false';
  const plan = regimes(f, { cases: '400', concurrency: '10,50' });
  header('bare Operaton over REST (no back office)', { regimes: plan.map((r) => `${r.cases} cases at ${r.concurrency} in flight`).join(', '), rounds: ROUNDS, warmup: WARMUP, db: DB, claim: String(CLAIM) });
  await withCleanup(async (defer) => {
    // the office database is not used; only its engine database beside it
    const database = DB === 'mysql' ? await benchDatabase('mysql') : null;
    if (database) defer(() => database.drop());
    const engine = await startBenchEngine({ port: 18091, jdbc: database?.engineJdbc });
    defer(() => engine.stop());
    line('engine', `up in ${ms(engine.startedInMs)} (${engine.url}, ${database ? `MariaDB ${database.engineJdbc?.database}` : 'H2'})`);
    const bare = new BareOperaton(engine.url);
    await bare.deploy();
    const drain = new FeedDrain(engine.url);
    drain.start();
    defer(() => drain.stop());
    const dbPid = database ? mariadbPid() : 0;
    if (WARMUP > 0) {
      const t = performance.now();
      const w = await bare.run({ cases: WARMUP, concurrency: 10, claim: CLAIM });
      line('warm-up', `${w.done} cases in ${ms(performance.now() - t)} (${(w.done / (w.ms / 1000)).toFixed(2)} cases/s)`);
    }
    const idle0 = cpuSeconds({ pid: engine.pid });
    await sleep(5000);
    line('engine CPU while idle', `${((cpuSeconds({ pid: engine.pid }) - idle0) / 5).toFixed(3)} cores`);
    const summary: string[] = [];
    for (const r of plan) {
      const rounds: BareRound[] = [];
      const threads = new Map<string, number>();
      drain.takeLag();
      for (let i = 0; i < ROUNDS; i++) {
        const cpu0 = cpuNow(engine.pid, dbPid);
        const run = await inThreads(engine.pid, threads, () => bare.run({ cases: r.cases, concurrency: r.concurrency, claim: CLAIM }));
        const cpu = cpuSince(cpu0, engine.pid, dbPid);
        await sleep(300);
        rounds.push({ run, cpu, lag: drain.takeLag() });
      }
      const rate = describeBare(`${r.concurrency} cases in flight, ${r.cases} per round`, rounds, threads, dbPid > 0);
      summary.push(`${r.concurrency} in flight ${rate.toFixed(2)} cases/s`);
    }
    await drain.stop();
    const left = await drain.drain();
    console.log('');
    line('feed rows read and acknowledged', `${drain.events} (${left} at the end, ${drain.errors} read errors)`);
    line('SUMMARY', summary.join(' · '));
  });
}
