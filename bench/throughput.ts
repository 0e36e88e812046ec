/**
 * Throughput: the water-permit happy path (accept → approve → approve → grant → done) driven
 *   (a) through licence-desk's HTTP API as clerks would: log in, POST /api/cases, and per step
 *       GET /api/tasks?caseId=… until the task shows, claim, complete;
 *   (b) by bare Zeebe on the same broker: create instances with @camunda8/sdk (gRPC) and complete the
 *       user tasks through the broker's REST API, task keys taken from the exporter;
 *   (c) as (b), plus the one extra engine command the office sends per step (REST assign at claim).
 * Same broker, same concurrency; both sides are warmed up before either is measured. Prints cases/s
 * and the ratio (a)/(b) (goal ≥ 0.8), and where the time and the CPU went.
 *
 * The exporter's URL is fixed when the broker starts, so port 3101 belongs to the back office in
 * phase (a) and to a tiny in-bench endpoint (bench/lib/bare-zeebe.ts) in phases (b) and (c): no proxy
 * hop is added to either side.
 *
 * With --ingest-timing a timing proxy sits between exporter and office in (a) (one loopback hop more
 * for (a)) and prints how long the office took to commit each exporter batch.
 *
 *   node --import tsx bench/throughput.ts [--cases 50] [--concurrency 10] [--poll 25] [--db sqlite|mysql] [--ingest-timing]
 */
import { randomUUID } from 'node:crypto';
import { ChildOffice, clerkLoad, HAPPY_PATH, officeEnv, reconcile, sleep, verdictOf, type LoadResult } from '../test/support/drills.ts';
import { BareIngest, bareClients, TimingProxy } from './lib/bare-zeebe.ts';
import { benchDatabase, cpuSeconds, flags, header, line, ms, num, percentile, selfCpuSeconds, startBenchBroker, withCleanup } from './lib/common.ts';

const f = flags();
const CASES = num(f, 'cases', 50);
const CONCURRENCY = num(f, 'concurrency', 10);
const POLL = num(f, 'poll', 25);
const WARMUP = num(f, 'warmup', Math.min(10, CASES));
const DB = (f.db ?? 'sqlite') as 'sqlite' | 'mysql';
const BROKER_BASE = 27100;
const EXPORTER_PORT = 3101;
const TOKEN = 'bench-ingest-token-0123456789';

header('throughput: licence-desk API vs bare Zeebe', { cases: CASES, concurrency: CONCURRENCY, poll: `${POLL} ms`, db: DB });

const p5095 = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))}`;

await withCleanup(async (defer) => {
  const broker = await startBenchBroker({ base: BROKER_BASE, exporterUrl: `http://127.0.0.1:${EXPORTER_PORT}/internal/engine/records`, token: TOKEN });
  defer(() => broker.stop());
  console.log(`  broker up in ${ms(broker.startedInMs)} (gRPC ${broker.grpcAddress})`);
  const database = await benchDatabase(DB);
  defer(() => database.drop());
  const timing = f['ingest-timing'] ? new TimingProxy() : null;
  const office = new ChildOffice({ port: timing ? EXPORTER_PORT + 1 : EXPORTER_PORT, env: officeEnv({ ...database.env, ZEEBE_GRPC_ADDRESS: broker.grpcAddress, ZEEBE_REST_ADDRESS: broker.restAddress, ENGINE_INGEST_TOKEN: TOKEN }) });
  defer(() => office.stop());
  const { zeebe, rest } = bareClients(broker.grpcAddress, broker.restAddress);
  defer(() => zeebe.close(2000));

  // ---- (a): through the back office ----
  const runA = async (n: number) => {
    await office.start();
    if (timing) {
      timing.target = office.url;
      timing.reset();
      await timing.listen(EXPORTER_PORT);
    }
    const cpu0 = { broker: cpuSeconds({ pgid: broker.pid }), office: cpuSeconds({ pid: office.pid }), bench: selfCpuSeconds() };
    const r = await clerkLoad({ urls: () => [office.url], cases: n, concurrency: CONCURRENCY, pollMs: POLL, runId: randomUUID().slice(0, 8) });
    const cpu = { broker: cpuSeconds({ pgid: broker.pid }) - cpu0.broker, office: cpuSeconds({ pid: office.pid }) - cpu0.office, bench: selfCpuSeconds() - cpu0.bench };
    await sleep(1000); // the last records reach the office before it stops
    await timing?.close();
    await office.stop();
    await sleep(300);
    return { r, cpu };
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
    const ingest = new BareIngest();
    await ingest.listen(EXPORTER_PORT);
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
    await sleep(1000);
    await ingest.close();
    await sleep(300);
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
  const a = await runA(CASES);
  const b = await runBare(CASES, false);
  const c = await runBare(CASES, true);
  const db = database.open();
  defer(() => db.destroy());
  const rec = await reconcile(db, a.r.caseIds, { expectedCases: CASES });

  const rate = (n: number, t: number) => n / (t / 1000);
  const aRate = rate(a.r.walked, a.r.ms);
  const bRate = rate(CASES, b.ms);
  const cRate = rate(CASES, c.ms);
  const phasesOf = (ph: Record<string, number[]>) => {
    for (const [k, v] of Object.entries(ph)) if (v.length) line(`  ${k} p50 / p95 (n=${v.length})`, p5095(v));
  };
  const report = (r: LoadResult) => {
    line('cases walked', `${r.walked}/${CASES} in ${ms(r.ms)}`);
    line('throughput', `${aRate.toFixed(2)} cases/s  (${(aRate * HAPPY_PATH.length).toFixed(1)} tasks/s)`);
    line('per case submit → last completion p50 / p95', p5095(r.caseMs));
    phasesOf(r.phases);
  };
  line('broker CPU while idle', `${brokerIdle.toFixed(2)} cores (counted in the per-case figures below)`);
  console.log('\n  (a) licence-desk HTTP API, clerks polling their queue');
  report(a.r);
  line('CPU s per case: broker / office / clerks', `${(a.cpu.broker / CASES).toFixed(3)} / ${(a.cpu.office / CASES).toFixed(3)} / ${(a.cpu.bench / CASES).toFixed(3)}  (${((a.cpu.broker + a.cpu.office + a.cpu.bench) / (a.r.ms / 1000)).toFixed(2)} of 2 cores busy)`);
  if (timing) line('ingest: office commits a batch p50 / p95 (n)', `${p5095(timing.ms)} (${timing.ms.length} batches, ${(timing.sizes.reduce((x, y) => x + y, 0) / Math.max(1, timing.sizes.length)).toFixed(1)} records each)`);
  line('HTTP requests', `${[...a.r.tally.counts.values()].reduce((x, y) => x + y, 0)} (${a.r.tally.fiveXx()} 5xx)`);
  line('reconciliation', verdictOf(rec, CASES).line);
  for (const [label, x, r] of [
    ['(b) bare Zeebe: gRPC create + REST complete, task keys from the exporter', b, bRate],
    ['(c) bare Zeebe + REST assign per step (the engine commands the office sends)', c, cRate],
  ] as const) {
    console.log(`\n  ${label}`);
    line('cases walked', `${CASES}/${CASES} in ${ms(x.ms)}`);
    line('throughput', `${r.toFixed(2)} cases/s  (${(r * HAPPY_PATH.length).toFixed(1)} tasks/s)`);
    line('per case create → last completion p50 / p95', p5095(x.lat));
    phasesOf(x.phases);
    line('CPU s per case: broker / driver', `${(x.cpu.broker / CASES).toFixed(3)} / ${(x.cpu.bench / CASES).toFixed(3)}  (${((x.cpu.broker + x.cpu.bench) / (x.ms / 1000)).toFixed(2)} of 2 cores busy)`);
  }
  console.log('');
  line('ratio (a)/(c): the back office alone', (aRate / cRate).toFixed(2));
  const ratio = aRate / bRate;
  line('RATIO (a)/(b)', `${ratio.toFixed(2)}  (goal ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'MISSED'})`);
});
