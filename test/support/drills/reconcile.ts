/** Reconciliation after a drill: what was lost, doubled or left half-written in our tables. */
import type { Knex } from 'knex';
import { HAPPY_PATH, sleep } from './common.ts';

export interface Reconciliation {
  cases: number;
  concluded: number;
  granted: number;
  /** expected completed tasks that are missing (no row, or a row not completed) */
  lost: number;
  /** task rows beyond one per (case, step), and task/case events recorded more than once */
  duplicated: number;
  open: number;
  canceled: number;
  details: string[];
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Waits (bounded) for every case to conclude, then checks our tables against the happy path. */
export async function reconcile(db: Knex, caseIds: string[], opts: { expectedCases?: number; waitMs?: number } = {}): Promise<Reconciliation> {
  const expected = opts.expectedCases ?? caseIds.length;
  const waitUntil = Date.now() + (opts.waitMs ?? 60_000);
  const statusOf = async () => {
    let concluded = 0;
    for (const part of chunks(caseIds, 500)) concluded += Number((await db('cases').whereIn('id', part).andWhere('status', 'concluded').count({ n: '*' }))[0]?.n ?? 0);
    return concluded;
  };
  while ((await statusOf()) < caseIds.length && Date.now() < waitUntil) await sleep(250);
  // settle: the feed may still be delivering the last events
  await sleep(500);

  const cases: Array<{ id: string; status: string; result: string | null }> = [];
  const tasks: Array<{ user_task_key: string; case_id: string; element_id: string; state: string }> = [];
  const events: Array<{ case_id: string; type: string; user_task_key: string | null }> = [];
  for (const part of chunks(caseIds, 500)) {
    cases.push(...(await db('cases').whereIn('id', part).select('id', 'status', 'result')));
    tasks.push(...(await db('tasks').whereIn('case_id', part).select('user_task_key', 'case_id', 'element_id', 'state')));
    events.push(...(await db('case_events').whereIn('case_id', part).whereIn('type', ['task.created', 'task.completed', 'case.started', 'case.concluded']).select('case_id', 'type', 'user_task_key')));
  }
  const details: string[] = [];
  const note = (s: string) => {
    if (details.length < 20) details.push(s);
  };
  let lost = 0;
  let duplicated = 0;
  const byCase = new Map<string, typeof tasks>();
  for (const t of tasks) byCase.set(t.case_id, [...(byCase.get(t.case_id) ?? []), t]);
  for (const c of cases) {
    const ts = byCase.get(c.id) ?? [];
    for (const step of HAPPY_PATH) {
      const rows = ts.filter((t) => t.element_id === step.element);
      if (!rows.some((t) => t.state === 'completed')) {
        lost++;
        note(`case ${c.id}: no completed ${step.element} (${rows.map((r) => r.state).join(',') || 'no row'})`);
      }
      if (rows.length > 1) {
        duplicated += rows.length - 1;
        note(`case ${c.id}: ${rows.length} rows for ${step.element}`);
      }
    }
    const extra = ts.filter((t) => !HAPPY_PATH.some((s) => s.element === t.element_id));
    if (extra.length) {
      duplicated += extra.length;
      note(`case ${c.id}: unexpected tasks ${extra.map((t) => t.element_id).join(',')}`);
    }
  }
  lost += (expected - cases.length) * HAPPY_PATH.length;
  if (expected > cases.length) note(`${expected - cases.length} cases never recorded`);
  const seen = new Map<string, number>();
  for (const e of events) {
    const k = `${e.case_id}|${e.type}|${e.user_task_key ?? ''}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  for (const [k, n] of seen) {
    if (n > 1) {
      duplicated += n - 1;
      note(`event recorded ${n}×: ${k}`);
    }
  }
  return {
    cases: cases.length,
    concluded: cases.filter((c) => c.status === 'concluded').length,
    granted: cases.filter((c) => c.result === 'granted').length,
    lost,
    duplicated,
    open: tasks.filter((t) => t.state === 'open').length,
    canceled: tasks.filter((t) => t.state === 'canceled').length,
    details,
  };
}

export interface Verdict {
  pass: boolean;
  line: string;
}

export function verdictOf(r: Reconciliation, expectedCases: number, extra: { fail?: string[]; note?: string } = {}): Verdict {
  const problems = [...(extra.fail ?? [])];
  if (r.concluded !== expectedCases) problems.push(`${expectedCases - r.concluded} of ${expectedCases} cases not concluded`);
  if (r.granted !== r.concluded) problems.push(`${r.concluded - r.granted} concluded without a grant`);
  if (r.open) problems.push(`${r.open} tasks left open`);
  if (r.canceled) problems.push(`${r.canceled} tasks cancelled`);
  const pass = problems.length === 0 && r.lost === 0 && r.duplicated === 0;
  const line = `VERDICT: ${pass ? 'PASS' : 'FAIL'} — ${r.concluded} cases concluded, ${r.lost} tasks lost, ${r.duplicated} duplicated${extra.note ? `, ${extra.note}` : ''}${problems.length ? ` (${problems.join('; ')})` : ''}`;
  return { pass, line };
}
