/**
 * Throughput: the water-permit happy path (accept → approve → approve → grant → done) driven
 *   (a) through licence-desk's HTTP API as clerks would: log in, POST /api/cases, and per step
 *       wait for the task — by default as the web app does, hearing task.created over socket.io and
 *       then reloading the queue (GET /api/tasks?caseId=…); with --clerks poll by polling that GET
 *       every --poll ms — then claim, complete. The office pulls what the engine did from its feed;
 *   (b) by bare Operaton on the same engine and database (bench/lib/bare-operaton.ts): REST start by
 *       key with business key + variables, then per step query the task by process instance and
 *       candidate group, claim, complete.
 * Same engine, same database, same concurrency. Both sides are warmed up first (--warmup cases each:
 * Operaton's JIT keeps compiling for the first few hundred), then for each regime (--concurrency
 * 10,50: a normal pace and saturation) --rounds rounds of (a) then (b). Prints median cases/s, the
 * ratio (a)/(b) per regime (goal ≥ 0.8), where the time and the CPU went (engine, office, clerks,
 * MariaDB, driver — from /proc) and the feed lag.
 *
 * The feed has one reader at a time (the office's lease in its table engine_feed_lease). During (b)
 * the bench takes that lease itself (holder "bench-bare-side") and drains the feed, reading and
 * acknowledging without applying, so the office does not spend CPU on the bare cases' events and
 * LD_FEED does not grow; it drains what is left and hands the lease back before (a).
 *
 * Feed lag: the office's FeedRelay keeps its own samples, but the office is a child process, so the
 * lag is measured from outside: a province supervisor's socket (scope JN: every task) notes when each
 * task.created arrives; afterwards the task's created_at in our table — the engine time of the
 * task.created event, set by the feed — is subtracted. That is engine event → applied, committed and
 * pushed to a browser: the FeedRelay's lag plus the socket hop (≪ 1 ms on loopback). For (b) it is
 * engine event → read by the bench's drain, the floor under it.
 *
 *   node --import tsx bench/throughput.ts [--cases 100,200] [--concurrency 10,50] [--rounds 3] [--warmup 400]
 *        [--clerks live|poll] [--poll 25] [--engine-assign false] [--bare-claim false] [--db sqlite|mysql]
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { ChildOffice, clerkLoad, HAPPY_PATH, loginAll, officeEnv, reconcile, sleep, verdictOf, type LoadResult, type Reconciliation } from '../test/support/drills.ts';
import { BareOperaton, cpuNow, cpuSince, describeBare, FeedDrain, inThreads, p5095, p5099, regimes, threadsPerCase, type BareRound } from './lib/bare-operaton.ts';
import { compareWithEngine, engineVerdictParts } from './lib/engine-tasks.ts';
import { benchDatabase, cpuSeconds, ENGINE_TOKEN, flags, header, line, mariadbPid, median, ms, num, startBenchEngine, withCleanup } from './lib/common.ts';

const f = flags();
const PLAN = regimes(f, { cases: '100,200', concurrency: '10,50' });
const POLL = num(f, 'poll', 25);
// live: clerks hear task.created over socket.io and reload their queue, as the web app does; poll: they poll it
const CLERKS = (f.clerks ?? 'live') as 'live' | 'poll';
// --engine-assign false: the office does not mirror claims to the engine (ENGINE_MIRROR_ASSIGNMENT)
const ENGINE_ASSIGN = f['engine-assign'] !== 'false';
// --bare-claim false: the bare side completes without claiming (the counterpart of --engine-assign false)
const BARE_CLAIM = f['bare-claim'] !== 'false';
const WARMUP = num(f, 'warmup', 400);
const ROUNDS = num(f, 'rounds', 3);
const DB = (f.db ?? 'sqlite') as 'sqlite' | 'mysql';
const ENGINE_PORT = 18090;
const OFFICE_PORT = 18100;
const FEED_WAIT_MS = 500;
const BENCH_HOLDER = 'bench-bare-side';
const SUPERVISOR = 'jn.sup.supervisor';

header('throughput: licence-desk API vs bare Operaton', {
  regimes: PLAN.map((r) => `${r.cases} cases at ${r.concurrency} in flight`).join(', '),
  rounds: ROUNDS,
  warmup: WARMUP,
  clerks: CLERKS === 'live' ? 'live (socket.io)' : `polling every ${POLL} ms`,
  db: `${DB} (engine on ${DB === 'mysql' ? 'MariaDB' : 'H2'})`,
  'engine assign at claim': String(ENGINE_ASSIGN),
  'bare claim': String(BARE_CLAIM),
});

const rate = (n: number, t: number) => n / (t / 1000);
const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);

interface OfficeRound {
  r: LoadResult;
  cpu: { engine: number; office: number; bench: number; db: number };
  rec: Reconciliation;
  lag: number[];
}

await withCleanup(async (defer) => {
  const database = await benchDatabase(DB);
  defer(() => database.drop());
  const engine = await startBenchEngine({ port: ENGINE_PORT, jdbc: database.engineJdbc });
  defer(() => engine.stop());
  line('engine', `up in ${ms(engine.startedInMs)} (${engine.url}, pid ${engine.pid})`);
  const office = new ChildOffice({
    port: OFFICE_PORT,
    env: officeEnv({ ...database.env, OPERATON_URL: engine.url, OPERATON_TOKEN: ENGINE_TOKEN, ENGINE_MIRROR_ASSIGNMENT: String(ENGINE_ASSIGN), FEED_WAIT_MS: String(FEED_WAIT_MS), ACCESS_TOKEN_TTL_SECONDS: '86400' }),
  });
  defer(() => office.stop());
  line('back office', `up in ${ms(await office.start())} (${office.url}, ${DB})`);
  const db = database.open();
  defer(() => db.destroy());
  const bare = new BareOperaton(engine.url);
  const drain = new FeedDrain(engine.url);
  defer(() => drain.stop());

  // MariaDB's own CPU belongs to both sides' cost (on sqlite the office's SQLite and the engine's H2
  // run inside their own processes)
  const dbPid = DB === 'mysql' ? mariadbPid() : 0;

  // ---- the feed: the office's, except while the bare side runs ----
  let benchHoldsFeed = false;
  const feedToBench = async () => {
    if (benchHoldsFeed) return;
    await db('engine_feed_lease').where({ name: 'feed' }).update({ holder: BENCH_HOLDER, until: Date.now() + 24 * 3600_000 });
    benchHoldsFeed = true;
    await sleep(FEED_WAIT_MS + 500); // the office finishes the read it is in, then finds the lease taken
    drain.start();
  };
  const feedToOffice = async () => {
    if (!benchHoldsFeed) return;
    await drain.stop();
    await drain.drain();
    await db('engine_feed_lease').where({ name: 'feed', holder: BENCH_HOLDER }).update({ holder: null, until: 0 });
    benchHoldsFeed = false;
  };
  defer(feedToOffice);

  // ---- the feed lag, from a supervisor's browser ----
  const arrivals = new Map<string, number>();
  const supervisorToken = (await loginAll(office.url, [SUPERVISOR])).get(SUPERVISOR) as string;
  const socket: Socket = io(office.url, { auth: { token: supervisorToken }, transports: ['websocket'], forceNew: true });
  defer(() => socket.close());
  socket.on('task.created', (e: { task: { userTaskKey: string } }) => {
    if (!arrivals.has(e.task.userTaskKey)) arrivals.set(e.task.userTaskKey, Date.now());
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const lagOf = async (): Promise<number[]> => {
    const keys = [...arrivals.keys()];
    const out: number[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      for (const row of await db('tasks').whereIn('user_task_key', keys.slice(i, i + 500)).select<Array<{ user_task_key: string; created_at: number | string }>>('user_task_key', 'created_at')) {
        out.push((arrivals.get(String(row.user_task_key)) as number) - Number(row.created_at));
      }
    }
    arrivals.clear();
    return out;
  };

  // ---- (a): through the back office ----
  const runA = async (n: number, concurrency: number): Promise<OfficeRound> => {
    if (!office.running) throw new Error(`the back office has exited (${office.child?.exitCode ?? office.child?.signalCode}):\n${office.stderr.slice(-30).join('\n')}`);
    await feedToOffice();
    arrivals.clear();
    const cpu0 = { ...cpuNow(engine.pid, dbPid), office: cpuSeconds({ pid: office.pid }) };
    const r = await clerkLoad({ urls: () => [office.url], cases: n, concurrency, pollMs: POLL, live: CLERKS === 'live', runId: randomUUID().slice(0, 8) });
    const c = cpuSince(cpu0, engine.pid, dbPid);
    const cpu = { engine: c.engine, db: c.db, bench: c.self, office: cpuSeconds({ pid: office.pid }) - cpu0.office };
    const rec = await reconcile(db, r.caseIds, { expectedCases: n }); // waits until the office has concluded them
    return { r, cpu, rec, lag: await lagOf() };
  };

  // ---- (b): bare Operaton ----
  const runB = async (n: number, concurrency: number): Promise<BareRound> => {
    await feedToBench();
    drain.takeLag();
    const cpu0 = cpuNow(engine.pid, dbPid);
    const run = await bare.run({ cases: n, concurrency, claim: BARE_CLAIM });
    const cpu = cpuSince(cpu0, engine.pid, dbPid);
    await sleep(300);
    return { run, cpu, lag: drain.takeLag() };
  };

  if (WARMUP > 0) {
    console.log(`  warming both sides up with ${WARMUP} cases each at 10 in flight…`);
    const t = performance.now();
    const b = await runB(WARMUP, 10);
    const a = await runA(WARMUP, 10);
    line('warm-up', `(b) ${rate(b.run.done, b.run.ms).toFixed(2)} · (a) ${rate(a.r.walked, a.r.ms).toFixed(2)} cases/s, ${ms(performance.now() - t)} in all`);
  }
  const idle0 = { engine: cpuSeconds({ pid: engine.pid }), office: cpuSeconds({ pid: office.pid }) };
  await sleep(5000);
  line('idle CPU: engine / office', `${((cpuSeconds({ pid: engine.pid }) - idle0.engine) / 5).toFixed(3)} / ${((cpuSeconds({ pid: office.pid }) - idle0.office) / 5).toFixed(3)} cores (counted in the per-case figures below)`);

  const summary: string[] = [];
  const allRecs: Reconciliation[] = [];
  for (const regime of PLAN) {
    const { concurrency, cases } = regime;
    console.log(`\n== ${concurrency} cases in flight, ${cases} per round, ${ROUNDS} rounds of (a) then (b)`);
    const rounds: Array<{ a: OfficeRound; b: BareRound }> = [];
    const threads = { a: new Map<string, number>(), b: new Map<string, number>() };
    for (let i = 0; i < ROUNDS; i++) {
      const a = await inThreads(engine.pid, threads.a, () => runA(cases, concurrency));
      const b = await inThreads(engine.pid, threads.b, () => runB(cases, concurrency));
      rounds.push({ a, b });
      console.log(`  round ${i + 1}: (a) ${rate(a.r.walked, a.r.ms).toFixed(2)}  (b) ${rate(b.run.done, b.run.ms).toFixed(2)} cases/s  → (a)/(b) ${(rate(a.r.walked, a.r.ms) / rate(b.run.done, b.run.ms)).toFixed(2)}`);
    }
    allRecs.push(...rounds.map((x) => x.a.rec));
    const n = cases * ROUNDS;
    const aRate = median(rounds.map((x) => rate(x.a.r.walked, x.a.r.ms)));

    console.log(`\n  (a) licence-desk HTTP API, clerks ${CLERKS === 'live' ? 'hearing new tasks live' : 'polling their queue'} — median of ${ROUNDS} rounds`);
    line('throughput', `${aRate.toFixed(2)} cases/s  (${(aRate * HAPPY_PATH.length).toFixed(1)} tasks/s)`);
    line('per case submit → last completion p50 / p95', p5095(rounds.flatMap((x) => x.a.r.caseMs)));
    for (const k of ['submit', 'wait', 'claim', 'complete'] as const) {
      const xs = rounds.flatMap((x) => x.a.r.phases[k]);
      if (xs.length) line(`  ${k} p50 / p95 (n=${xs.length})`, p5095(xs));
    }
    const aCpu = { engine: sum(rounds.map((x) => x.a.cpu.engine)), office: sum(rounds.map((x) => x.a.cpu.office)), bench: sum(rounds.map((x) => x.a.cpu.bench)), db: sum(rounds.map((x) => x.a.cpu.db)) };
    const aMs = sum(rounds.map((x) => x.a.r.ms));
    const busy = (aCpu.engine + aCpu.office + aCpu.bench + aCpu.db) / (aMs / 1000);
    line(`CPU s per case: engine / office / clerks${dbPid ? ' / MariaDB' : ''}`, `${[aCpu.engine, aCpu.office, aCpu.bench, ...(dbPid ? [aCpu.db] : [])].map((x) => (x / n).toFixed(4)).join(' / ')}  (${busy.toFixed(2)} cores busy)`);
    line('engine CPU s per case by thread', threadsPerCase(threads.a, n));
    const lag = rounds.flatMap((x) => x.a.lag);
    line('FEED LAG task.created: engine → office → socket p50 / p99', `${p5099(lag)}  (n=${lag.length}, max ${ms(lag.reduce((m, x) => Math.max(m, x), 0))})`);
    line('HTTP requests', `${sum(rounds.map((x) => sum([...x.a.r.tally.counts.values()])))} (${sum(rounds.map((x) => x.a.r.tally.fiveXx()))} 5xx)`);
    const stuck = rounds.flatMap((x) => x.a.r.stuck);
    for (const s of stuck.slice(0, 3)) line('stuck', `case #${s.index} ${s.at}: ${s.why}`);

    const bRate = describeBare('(b) bare Operaton: REST start + query, claim, complete per step', rounds.map((x) => x.b), threads.b, dbPid > 0);
    const bN = sum(rounds.map((x) => x.b.run.done));
    const bCpu = sum(rounds.map((x) => x.b.cpu.engine + x.b.cpu.db + x.b.cpu.self)) / Math.max(1, bN);
    console.log('');
    line('CPU s per case, all of it: (a) / (b)', `${((aCpu.engine + aCpu.office + aCpu.bench + aCpu.db) / n).toFixed(4)} / ${bCpu.toFixed(4)}  (${((aCpu.engine + aCpu.office + aCpu.bench + aCpu.db) / n / bCpu).toFixed(2)}×)`);
    line('engine CPU s per case: (a) / (b)', `${(aCpu.engine / n).toFixed(4)} / ${(sum(rounds.map((x) => x.b.cpu.engine)) / Math.max(1, bN)).toFixed(4)}`);
    const ratio = aRate / bRate;
    line(`RATIO (a)/(b) at ${concurrency} in flight, medians`, `${ratio.toFixed(2)}  (goal ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'MISSED'}; per round ${rounds.map((x) => (rate(x.a.r.walked, x.a.r.ms) / rate(x.b.run.done, x.b.run.ms)).toFixed(2)).join(', ')})`);
    summary.push(`${concurrency} in flight: (a) ${aRate.toFixed(2)} / (b) ${bRate.toFixed(2)} cases/s = ${ratio.toFixed(2)}, feed lag p50/p99 ${p5099(lag)}`);
  }

  await feedToOffice();
  const rec = { cases: 0, concluded: 0, granted: 0, lost: 0, duplicated: 0, open: 0, canceled: 0, details: [] as string[] };
  for (const x of allRecs) for (const k of ['cases', 'concluded', 'granted', 'lost', 'duplicated', 'open', 'canceled'] as const) rec[k] += x[k];
  const check = engineVerdictParts(await compareWithEngine(db, [engine.url]));
  console.log('');
  for (const [msg, k] of office.logCounts) line('office logged (warn+)', `${k}× ${msg.slice(0, 80)}`);
  for (const e of office.errors.slice(0, 3)) line('office error', e.slice(0, 600));
  for (const d of check.details) line('engine check', d);
  line('reconciliation of (a)', verdictOf(rec, PLAN.reduce((s, r) => s + r.cases * ROUNDS, 0), { fail: check.fail, note: check.note }).line);
  for (const s of summary) line('SUMMARY', s);
});
