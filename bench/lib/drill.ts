/** The common frame of the fault drills in bench/drills/: engine, database, office, load, verdict. */
import type { Knex } from 'knex';
import { ChildOffice, clerkLoad, HAPPY_PATH, officeEnv, reconcile, verdictOf, type LoadResult, type Verdict } from '../../test/support/drills.ts';
import { benchDatabase, ENGINE_TOKEN, flags, line, ms, num, percentile, startBenchEngine, type BenchDatabase, type BenchEngine } from './common.ts';
import { compareWithEngine, engineVerdictParts } from './engine-tasks.ts';

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
  engine: BenchEngine;
  database: BenchDatabase;
  office: ChildOffice;
  db: Knex;
}

/** What a back office needs to talk to `urls` (one engine, or the nodes of a cluster). */
export const engineEnv = (urls: string[] | string): Record<string, string> => ({ OPERATON_URL: Array.isArray(urls) ? urls.join(',') : urls, OPERATON_TOKEN: ENGINE_TOKEN });

/**
 * A database (the office's, and on MariaDB the engine's beside it; on SQLite the engine is on H2),
 * an engine on `enginePort`, and a back office on `officePort` that reads the engine's feed.
 */
export async function stage(defer: (s: () => unknown) => void, o: { enginePort: number; officePort: number; db: 'sqlite' | 'mysql'; officeEnv?: Record<string, string> }): Promise<Stage> {
  const database = await benchDatabase(o.db);
  defer(() => database.drop());
  const engine = await startBenchEngine({ port: o.enginePort, jdbc: database.engineJdbc });
  defer(() => engine.stop());
  line('engine', `up in ${ms(engine.startedInMs)} (${engine.url}, ${database.engineJdbc ? `MariaDB ${database.engineJdbc.database}` : 'H2'})`);
  const office = new ChildOffice({ port: o.officePort, env: officeEnv({ ...database.env, ...engineEnv(engine.url), ...o.officeEnv }) });
  defer(() => office.stop());
  line('back office', `up in ${ms(await office.start())} (${office.url}, ${o.db})`);
  const db = database.open();
  defer(() => db.destroy());
  return { engine, database, office, db };
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

/**
 * Reconciles the drill's cases — our tables against the happy path, then our open tasks against the
 * engine's (`engineUrls`: any node that answers) — and prints the one-line verdict (the last line of
 * the output): no case lost, no task duplicated, our task table equal to the engine's open tasks.
 */
export async function finish(db: Knex, r: LoadResult, cases: number, extra: { engineUrls: string[]; fail?: string[]; note?: string; office?: ChildOffice }): Promise<Verdict> {
  const rec = await reconcile(db, r.caseIds, { expectedCases: cases, waitMs: 120_000 });
  const check = engineVerdictParts(await compareWithEngine(db, extra.engineUrls));
  const fail = [...(extra.fail ?? []), ...check.fail, ...r.stuck.slice(0, 3).map((s) => `case #${s.index} stuck: ${s.why}`)];
  if (r.stuck.length > 3) fail.push(`${r.stuck.length} cases stuck in all`);
  const lostCases = cases - rec.concluded;
  const note = [`${lostCases} cases lost`, check.note, ...(extra.note ? [extra.note] : [])].join(', ');
  const v = verdictOf(rec, cases, { fail, note });
  for (const d of [...rec.details.slice(0, 10), ...check.details]) line('reconciliation', d);
  for (const [msg, k] of extra.office?.logCounts ?? []) line('office logged (warn+)', `${k}× ${msg.slice(0, 100)}`);
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
export async function loadWithFault(o: { url: string; cases: number; concurrency: number; fault: (tasksDone: number, total: number) => Promise<void>; onTaskDone?: (n: number) => void }): Promise<LoadResult> {
  const total = o.cases * HAPPY_PATH.length;
  let injected: Promise<void> | null = null;
  const load = await clerkLoad({
    urls: () => [o.url],
    cases: o.cases,
    concurrency: o.concurrency,
    caseDeadlineMs: 600_000,
    onTaskDone: (n) => {
      o.onTaskDone?.(n);
      if (n !== Math.floor(total / 3) || injected) return;
      injected = o.fault(n, total);
    },
  });
  await injected;
  return load;
}
