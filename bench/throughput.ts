/**
 * Throughput: the water-permit happy path (accept → approve → approve → grant → done) driven
 *   (a) through licence-desk's HTTP API as clerks would: log in, POST /api/cases, and per step
 *       wait for the task — by default as the web app does, hearing task.created over socket.io and
 *       then reloading the queue (GET /api/tasks?caseId=…); with --clerks poll by polling that GET
 *       every --poll ms — then claim, complete;
 *   (b) by bare Zeebe on the same broker: create instances with @camunda8/sdk (gRPC) and complete the
 *       user tasks through the broker's REST API, task keys taken from the exporter;
 *   (c) as (b), plus the one extra engine command the office sends per step (REST assign at claim).
 * Same broker, same concurrency; both sides are warmed up before either is measured, then --rounds
 * rounds of (a), (b), (c) in turn. Prints median cases/s and the ratio (a)/(b) (goal ≥ 0.8), and where
 * the time and the CPU went.
 *
 * The exporter's URL is fixed when the broker starts: it posts to a small endpoint in the bench
 * (bench/lib/bare-zeebe.ts) that listens for the whole run — in (a) it forwards each batch to the
 * back office (one loopback hop, timed: "ingest" below) and in (b)/(c) it reads the task keys itself.
 * Because the port never closes, the exporter never falls into its retry back-off at a switch. The
 * office stays up throughout; a round switches sides only once the office has concluded its cases.
 *
 * With --bare-ingest-delay MS the bare endpoint answers each exporter batch MS later, to see what a
 * slow ingest alone does to (b)/(c).
 *
 *   node --import tsx bench/throughput.ts [--cases 50] [--rounds 3] [--concurrency 10] [--clerks live|poll] [--poll 25] [--engine-assign false] [--db sqlite|mysql] [--bare-ingest-delay 0]
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ChildOffice, clerkLoad, HAPPY_PATH, officeEnv, reconcile, sleep, verdictOf } from '../test/support/drills.ts';
import { BareIngest, bareClients } from './lib/bare-zeebe.ts';
import { benchDatabase, cpuSeconds, flags, header, line, median, ms, num, percentile, selfCpuSeconds, startBenchBroker, threadCpuDelta, threadCpuSeconds, withCleanup } from './lib/common.ts';

const f = flags();
const CASES = num(f, 'cases', 50);
const CONCURRENCY = num(f, 'concurrency', 10);
const POLL = num(f, 'poll', 25);
// live: clerks hear task.created over socket.io and reload their queue, as the web app does; poll: they poll it
const CLERKS = (f.clerks ?? 'live') as 'live' | 'poll';
// --engine-assign false: the office does not mirror claims to the engine (ENGINE_MIRROR_ASSIGNMENT)
const ENGINE_ASSIGN = f['engine-assign'] !== 'false';
const WARMUP = num(f, 'warmup', Math.min(10, CASES));
const ROUNDS = num(f, 'rounds', 3);
const DB = (f.db ?? 'sqlite') as 'sqlite' | 'mysql';
const BROKER_BASE = 27100;
const EXPORTER_PORT = 3101;
const TOKEN = 'bench-ingest-token-0123456789';

header('throughput: licence-desk API vs bare Zeebe', { rounds: ROUNDS, cases: CASES, concurrency: CONCURRENCY, clerks: CLERKS === 'live' ? 'live (socket.io)' : `polling every ${POLL} ms`, db: DB, 'engine assign at claim': String(ENGINE_ASSIGN) });

const rate = (n: number, t: number) => n / (t / 1000);
const p5095 = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))}`;

await withCleanup(async (defer) => {
  const broker = await startBenchBroker({ base: BROKER_BASE, exporterUrl: `http://127.0.0.1:${EXPORTER_PORT}/internal/engine/records`, token: TOKEN });
  defer(() => broker.stop());
  console.log(`  broker up in ${ms(broker.startedInMs)} (gRPC ${broker.grpcAddress})`);
  const database = await benchDatabase(DB);
  defer(() => database.drop());
  const office = new ChildOffice({ port: EXPORTER_PORT + 1, env: officeEnv({ ...database.env, ZEEBE_GRPC_ADDRESS: broker.grpcAddress, ZEEBE_REST_ADDRESS: broker.restAddress, ENGINE_INGEST_TOKEN: TOKEN, ENGINE_MIRROR_ASSIGNMENT: String(ENGINE_ASSIGN) }) });
  defer(() => office.stop());
  const { zeebe, rest } = bareClients(broker.grpcAddress, broker.restAddress);
  defer(() => zeebe.close(2000));
  const ingest = new BareIngest();
  ingest.delayMs = num(f, 'bare-ingest-delay', 0);
  ingest.officeUrl = office.url;
  ingest.mode = 'office';
  await ingest.listen(EXPORTER_PORT);
  defer(() => ingest.close());
  await office.start();
  const db = database.open();
  defer(() => db.destroy());

  // MariaDB's own CPU belongs to (a)'s cost too (SQLite's is inside the office process)
  const mariadbPid = DB === 'mysql' ? Number(execFileSync('pgrep', ['-o', '-x', 'mariadbd'], { encoding: 'utf8' }).trim() || 0) : 0;
  const dbCpu = () => (mariadbPid ? cpuSeconds({ pid: mariadbPid }) : 0);

  // ---- (a): through the back office ----
  const runA = async (n: number) => {
    ingest.mode = 'office';
    const cpu0 = { broker: cpuSeconds({ pgid: broker.pid }), office: cpuSeconds({ pid: office.pid }), bench: selfCpuSeconds(), db: dbCpu() };
    const r = await clerkLoad({ urls: () => [office.url], cases: n, concurrency: CONCURRENCY, pollMs: POLL, live: CLERKS === 'live', runId: randomUUID().slice(0, 8) });
    const cpu = { broker: cpuSeconds({ pgid: broker.pid }) - cpu0.broker, office: cpuSeconds({ pid: office.pid }) - cpu0.office, bench: selfCpuSeconds() - cpu0.bench, db: dbCpu() - cpu0.db };
    const rec = await reconcile(db, r.caseIds, { expectedCases: n }); // waits until the office has concluded them
    return { r, cpu, rec };
  };

  // ---- (b), (c): bare Zeebe ----
  const bPhases = { create: [] as number[], wait: [] as number[], assign: [] as number[], complete: [] as number[] };
  const timed = async <T>(into: number[], work: Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await work;
    into.push(performance.now() - t);
    return r;
  };
  const runBare = async (n: number, assign: boolean) => {
    ingest.mode = 'bare';
    for (const v of Object.values(bPhases)) v.length = 0;
    const bareCase = async (): Promise<number> => {
      const t0 = performance.now();
      const caseId = randomUUID();
      const started = await timed(
        bPhases.create,
        zeebe.createProcessInstance({
          bpmnProcessId: 'water_abstraction_permit',
          variables: { caseId, caseNo: `BARE${caseId.slice(0, 8)}`, itemCode: '000117002000', provinceCode: 'JN', cityCode: 'JN-01', countyCode: 'JN-01-01', correctionWindow: 'P30D' },
        }),
      );
      const pik = String(started.processInstanceKey);
      for (const step of HAPPY_PATH) {
        const t = await timed(bPhases.wait, ingest.nextTask(pik));
        if (t.elementId !== step.element) throw new Error(`expected ${step.element}, got ${t.elementId}`);
        if (assign) await timed(bPhases.assign, rest.assignTask({ userTaskKey: t.userTaskKey, assignee: step.who, allowOverride: true }));
        await timed(bPhases.complete, rest.completeUserTask({ userTaskKey: t.userTaskKey, variables: { decision: step.decision, opinion: '同意' } }));
      }
      return performance.now() - t0;
    };
    const cpu0 = { broker: cpuSeconds({ pgid: broker.pid }), bench: selfCpuSeconds() };
    let next = 0;
    const lat: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
        while (next < n) {
          next++;
          lat.push(await bareCase());
        }
      }),
    );
    const took = performance.now() - t0;
    const cpu = { broker: cpuSeconds({ pgid: broker.pid }) - cpu0.broker, bench: selfCpuSeconds() - cpu0.bench };
    await sleep(500);
    return { ms: took, lat, cpu, phases: Object.fromEntries(Object.entries(bPhases).map(([k, v]) => [k, [...v]])) };
  };

  if (WARMUP > 0) {
    console.log(`  warming both sides up with ${WARMUP} cases each…`);
    await runA(WARMUP);
    await runBare(WARMUP, false);
  }
  const idle0 = cpuSeconds({ pgid: broker.pid });
  await sleep(5000);
  const brokerIdle = (cpuSeconds({ pgid: broker.pid }) - idle0) / 5;
  // Rounds of (a), (b), (c) in turn, so neither side always runs on a broker with more history behind it.
  const rounds: Array<{ a: Awaited<ReturnType<typeof runA>>; b: Awaited<ReturnType<typeof runBare>>; c: Awaited<ReturnType<typeof runBare>> }> = [];
  // where the broker's CPU goes, per side: its thread kinds (actors, IO/exporter, gRPC, HTTP, GC, JIT)
  const brokerThreads = { a: new Map<string, number>(), b: new Map<string, number>(), c: new Map<string, number>() };
  const inThreads = async <T>(side: keyof typeof brokerThreads, work: () => Promise<T>): Promise<T> => {
    const before = threadCpuSeconds(broker.pid);
    const r = await work();
    for (const [k, v] of threadCpuDelta(before, threadCpuSeconds(broker.pid))) brokerThreads[side].set(k, (brokerThreads[side].get(k) ?? 0) + v);
    return r;
  };
  const threadLine = (side: keyof typeof brokerThreads) =>
    line('broker CPU s per case by thread', [...brokerThreads[side]].sort((x, y) => y[1] - x[1]).slice(0, 6).map(([k, v]) => `${k} ${(v / n).toFixed(3)}`).join(' · '));
  for (let i = 0; i < ROUNDS; i++) {
    const a = await inThreads('a', () => runA(CASES));
    const b = await inThreads('b', () => runBare(CASES, false));
    const c = await inThreads('c', () => runBare(CASES, true));
    rounds.push({ a, b, c });
    console.log(`  round ${i + 1}: (a) ${rate(a.r.walked, a.r.ms).toFixed(2)}  (b) ${rate(CASES, b.ms).toFixed(2)}  (c) ${rate(CASES, c.ms).toFixed(2)} cases/s  → (a)/(b) ${(rate(a.r.walked, a.r.ms) / rate(CASES, b.ms)).toFixed(2)}`);
  }
  const recs = rounds.map((x) => x.a.rec);
  const rec = { ...recs[0], cases: 0, concluded: 0, granted: 0, lost: 0, duplicated: 0, open: 0, canceled: 0, details: [] as string[] };
  for (const x of recs) for (const k of ['cases', 'concluded', 'granted', 'lost', 'duplicated', 'open', 'canceled'] as const) rec[k] += x[k];

  const aRate = median(rounds.map((x) => rate(x.a.r.walked, x.a.r.ms)));
  const bRate = median(rounds.map((x) => rate(CASES, x.b.ms)));
  const cRate = median(rounds.map((x) => rate(CASES, x.c.ms)));
  const merged = <T extends Record<string, number[]>>(xs: T[]): Record<string, number[]> => {
    const out: Record<string, number[]> = {};
    for (const x of xs) for (const [k, v] of Object.entries(x)) out[k] = [...(out[k] ?? []), ...v];
    return out;
  };
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  const phasesOf = (ph: Record<string, number[]>) => {
    for (const [k, v] of Object.entries(ph)) if (v.length) line(`  ${k} p50 / p95 (n=${v.length})`, p5095(v));
  };
  const n = CASES * ROUNDS;
  line('broker CPU while idle', `${brokerIdle.toFixed(2)} cores (counted in the per-case figures below)`);
  console.log(`\n  (a) licence-desk HTTP API, clerks ${CLERKS === 'live' ? 'hearing new tasks live' : 'polling their queue'} — median of ${ROUNDS} rounds`);
  line('throughput', `${aRate.toFixed(2)} cases/s  (${(aRate * HAPPY_PATH.length).toFixed(1)} tasks/s)`);
  line('per case submit → last completion p50 / p95', p5095(rounds.flatMap((x) => x.a.r.caseMs)));
  phasesOf(merged(rounds.map((x) => x.a.r.phases)));
  const aCpu = { broker: sum(rounds.map((x) => x.a.cpu.broker)), office: sum(rounds.map((x) => x.a.cpu.office)), bench: sum(rounds.map((x) => x.a.cpu.bench)), db: sum(rounds.map((x) => x.a.cpu.db)) };
  const aMs = sum(rounds.map((x) => x.a.r.ms));
  const busy = (aCpu.broker + aCpu.office + aCpu.bench + aCpu.db) / (aMs / 1000);
  line(`CPU s per case: broker / office / clerks${mariadbPid ? ' / MariaDB' : ''}`, `${[aCpu.broker, aCpu.office, aCpu.bench, ...(mariadbPid ? [aCpu.db] : [])].map((x) => (x / n).toFixed(3)).join(' / ')}  (${busy.toFixed(2)} of 2 cores busy)`);
  threadLine('a');
  line('ingest: the office commits an exporter batch p50 / p95', `${p5095(ingest.officeMs)} (${ingest.officeMs.length} batches, ${(sum(ingest.officeSizes) / Math.max(1, ingest.officeSizes.length)).toFixed(1)} records each)`);
  line('HTTP requests', `${sum(rounds.map((x) => sum([...x.a.r.tally.counts.values()])))} (${sum(rounds.map((x) => x.a.r.tally.fiveXx()))} 5xx)`);
  line('reconciliation', verdictOf(rec, n).line);
  for (const [msg, k] of office.logCounts) line('office logged (warn+)', `${k}× ${msg.slice(0, 80)}`);
  for (const e of office.errors.slice(0, 3)) line('office error', e.slice(0, 600));
  for (const [label, key, r] of [
    ['(b) bare Zeebe: gRPC create + REST complete, task keys from the exporter', 'b', bRate],
    ['(c) bare Zeebe + REST assign per step (the engine commands the office sends)', 'c', cRate],
  ] as const) {
    const xs = rounds.map((x) => x[key]);
    console.log(`\n  ${label} — median of ${ROUNDS} rounds`);
    line('throughput', `${r.toFixed(2)} cases/s  (${(r * HAPPY_PATH.length).toFixed(1)} tasks/s)`);
    line('per case create → last completion p50 / p95', p5095(xs.flatMap((x) => x.lat)));
    phasesOf(merged(xs.map((x) => x.phases)));
    const cpu = { broker: sum(xs.map((x) => x.cpu.broker)), bench: sum(xs.map((x) => x.cpu.bench)) };
    line('CPU s per case: broker / driver', `${(cpu.broker / n).toFixed(3)} / ${(cpu.bench / n).toFixed(3)}  (${((cpu.broker + cpu.bench) / (sum(xs.map((x) => x.ms)) / 1000)).toFixed(2)} of 2 cores busy)`);
    threadLine(key);
  }
  console.log('');
  line('ratio (a)/(c): the back office alone', (aRate / cRate).toFixed(2));
  const ratio = aRate / bRate;
  line('RATIO (a)/(b), medians', `${ratio.toFixed(2)}  (goal ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'MISSED'}; per round ${rounds.map((x) => (rate(x.a.r.walked, x.a.r.ms) / rate(CASES, x.b.ms)).toFixed(2)).join(', ')})`);
});
