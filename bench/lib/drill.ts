/** The common frame of the fault drills in bench/drills/: broker, database, office, load, verdict. */
import type { Knex } from 'knex';
import { ChildOffice, clerkLoad, HAPPY_PATH, officeEnv, reconcile, verdictOf, type LoadResult, type Verdict } from '../../test/support/drills.ts';
import { benchDatabase, flags, line, ms, num, percentile, startBenchBroker, type BenchBroker, type BenchDatabase } from './common.ts';

export const INGEST_TOKEN = 'bench-ingest-token-0123456789';

export interface DrillFlags {
  cases: number;
  concurrency: number;
  db: 'sqlite' | 'mysql';
  f: Record<string, string>;
}

export function drillFlags(defaults: { cases: number; concurrency?: number; db?: 'sqlite' | 'mysql' }): DrillFlags {
  const f = flags();
  return { cases: num(f, 'cases', defaults.cases), concurrency: num(f, 'concurrency', defaults.concurrency ?? 20), db: (f.db ?? defaults.db ?? 'mysql') as 'sqlite' | 'mysql', f };
}

export interface Stage {
  broker: BenchBroker;
  database: BenchDatabase;
  office: ChildOffice;
  db: Knex;
}

/** A broker on `brokerBase` whose exporter posts to an office on `officePort`, and that office. */
export async function stage(defer: (s: () => unknown) => void, o: { brokerBase: number; officePort: number; db: 'sqlite' | 'mysql'; officeEnv?: Record<string, string> }): Promise<Stage> {
  const broker = await startBenchBroker({ base: o.brokerBase, exporterUrl: `http://127.0.0.1:${o.officePort}/internal/engine/records`, token: INGEST_TOKEN });
  defer(() => broker.stop());
  line('broker', `up in ${ms(broker.startedInMs)} (gRPC ${broker.grpcAddress})`);
  const database = await benchDatabase(o.db);
  defer(() => database.drop());
  const office = new ChildOffice({ port: o.officePort, env: officeEnv({ ...database.env, ZEEBE_GRPC_ADDRESS: broker.grpcAddress, ZEEBE_REST_ADDRESS: broker.restAddress, ENGINE_INGEST_TOKEN: INGEST_TOKEN, ...o.officeEnv }) });
  defer(() => office.stop());
  line('back office', `up in ${ms(await office.start())} (${office.url}, ${o.db})`);
  const db = database.open();
  defer(() => db.destroy());
  return { broker, database, office, db };
}

export function describeLoad(r: LoadResult, cases: number): void {
  line('cases walked by the clerks', `${r.walked}/${cases} in ${ms(r.ms)} (${(r.walked / (r.ms / 1000)).toFixed(2)} cases/s)`);
  line('per case p50 / p95', `${ms(percentile(r.caseMs, 50))} / ${ms(percentile(r.caseMs, 95))}`);
  const statuses = new Map<string, number>();
  for (const [k, v] of r.tally.counts) {
    const outcome = k.slice(k.lastIndexOf('→ ') + 2);
    statuses.set(outcome, (statuses.get(outcome) ?? 0) + v);
  }
  line('answers', [...statuses.entries()].sort().map(([k, v]) => `${k}×${v}`).join(' '));
  for (const s of r.stuck.slice(0, 5)) line('stuck', `case #${s.index} ${s.at}: ${s.why}`);
  for (const s of r.tally.samples.slice(0, 5)) line('sample 5xx', s);
}

/** Reconciles the drill's cases and prints the one-line verdict (last line of the output). */
export async function finish(db: Knex, r: LoadResult, cases: number, extra: { fail?: string[]; note?: string } = {}): Promise<Verdict> {
  const rec = await reconcile(db, r.caseIds, { expectedCases: cases, waitMs: 120_000 });
  const fail = [...(extra.fail ?? []), ...r.stuck.slice(0, 3).map((s) => `case #${s.index} stuck: ${s.why}`)];
  if (r.stuck.length > 3) fail.push(`${r.stuck.length} cases stuck in all`);
  const v = verdictOf(rec, cases, { ...extra, fail });
  for (const d of rec.details.slice(0, 10)) line('reconciliation', d);
  line('tasks expected', String(cases * HAPPY_PATH.length));
  console.log(`\n${v.line}`);
  process.exitCode = v.pass ? 0 : 1;
  return v;
}

export { clerkLoad };

/**
 * The clerk load against one office with a fault injected once, when a third of its tasks are done:
 * late enough that cases are in every step, early enough that most of the load meets the recovery.
 * Resolves when the load is over and the fault (with whatever recovery it waits for) has finished.
 */
export async function loadWithFault(o: { url: string; cases: number; concurrency: number; fault: (tasksDone: number, total: number) => Promise<void> }): Promise<LoadResult> {
  const total = o.cases * HAPPY_PATH.length;
  let injected: Promise<void> | null = null;
  const load = await clerkLoad({
    urls: () => [o.url],
    cases: o.cases,
    concurrency: o.concurrency,
    caseDeadlineMs: 600_000,
    onTaskDone: (n) => {
      if (n !== Math.floor(total / 3) || injected) return;
      injected = o.fault(n, total);
    },
  });
  await injected;
  return load;
}
