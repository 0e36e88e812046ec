/**
 * The engine's side of a reconciliation: its open user tasks (`GET /task`, paged by 1,000; their ids
 * are our tasks.user_task_key) and its running process instances, compared with our task table.
 * After a drill both sides should hold the same open tasks (none, once every case has concluded)
 * and the engine one running instance per case of ours not concluded: a task open on the engine that
 * we do not show (or the reverse), or an instance left running, is a case the back office lost track
 * of.
 *
 * test/support/drills.ts's reconcile() looks at our tables only; this is the half it would need to
 * compare with the engine (kept here so the bench does not edit the shared test support).
 */
import type { Knex } from 'knex';
import { ENGINE_TOKEN } from './common.ts';
import { sleep } from '../../test/support/drills.ts';

export interface EngineTask {
  id: string;
  processInstanceId: string;
  taskDefinitionKey: string;
  assignee: string | null;
}

export interface EngineTaskCheck {
  /** open tasks in our table */
  ours: number;
  /** open tasks on the engine */
  engine: number;
  /** open for us, not on the engine (a completion or cancellation we never applied) */
  onlyOurs: string[];
  /** open on the engine, not for us (a task nobody can see in the back office) */
  onlyEngine: EngineTask[];
  /** process instances still running on the engine */
  running: number;
  /** our cases that have not concluded (each should have one running instance) */
  ourRunning: number;
  equal: boolean;
}

/** GET on the first node of `urls` that answers (a cluster may have one down). */
async function get<T>(urls: string[], p: string, token: string): Promise<T> {
  let last: unknown;
  for (const url of urls) {
    try {
      const res = await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`GET ${p.replace(/\?.*/, '')} on ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      return (await res.json()) as T;
    } catch (err) {
      last = err;
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

/** Every open user task on the engine, oldest id first. */
export async function engineOpenTasks(urls: string[], token = ENGINE_TOKEN): Promise<EngineTask[]> {
  const out: EngineTask[] = [];
  for (let first = 0; ; first += 1000) {
    const page = await get<EngineTask[]>(urls, `/task?sortBy=id&sortOrder=asc&firstResult=${first}&maxResults=1000`, token);
    out.push(...page.map((t) => ({ id: t.id, processInstanceId: t.processInstanceId, taskDefinitionKey: t.taskDefinitionKey, assignee: t.assignee })));
    if (page.length < 1000) return out;
  }
}

export async function engineRunningInstances(urls: string[], token = ENGINE_TOKEN): Promise<number> {
  return (await get<{ count: number }>(urls, '/process-instance/count', token)).count;
}

async function checkOnce(db: Knex, urls: string[], token: string): Promise<EngineTaskCheck> {
  const engine = await engineOpenTasks(urls, token);
  const running = await engineRunningInstances(urls, token);
  const ours = new Set((await db('tasks').where({ state: 'open' }).pluck('user_task_key')).map(String));
  const theirs = new Set(engine.map((t) => t.id));
  const onlyOurs = [...ours].filter((k) => !theirs.has(k));
  const onlyEngine = engine.filter((t) => !ours.has(t.id));
  const ourRunning = Number((await db('cases').whereNot({ status: 'concluded' }).count({ n: '*' }))[0]?.n ?? 0);
  return { ours: ours.size, engine: engine.length, onlyOurs, onlyEngine, running, ourRunning, equal: onlyOurs.length === 0 && onlyEngine.length === 0 };
}

/**
 * Our open tasks against the engine's. The feed may still be on its way, so a difference is looked
 * at again for up to `settleMs` before it counts.
 */
export async function compareWithEngine(db: Knex, urls: string[], o: { token?: string; settleMs?: number } = {}): Promise<EngineTaskCheck> {
  const until = Date.now() + (o.settleMs ?? 15_000);
  for (;;) {
    const c = await checkOnce(db, urls, o.token ?? ENGINE_TOKEN);
    if ((c.equal && c.running === c.ourRunning) || Date.now() > until) return c;
    await sleep(500);
  }
}

/** The check as verdict parts: what fails, and the note for the VERDICT line. */
export function engineVerdictParts(c: EngineTaskCheck): { fail: string[]; note: string; details: string[] } {
  const fail: string[] = [];
  if (c.onlyOurs.length) fail.push(`${c.onlyOurs.length} tasks open in our table but not on the engine`);
  if (c.onlyEngine.length) fail.push(`${c.onlyEngine.length} tasks open on the engine but not in our table`);
  if (c.running !== c.ourRunning) fail.push(`${c.running} process instances running on the engine for ${c.ourRunning} cases of ours not concluded`);
  const details = [
    ...c.onlyOurs.slice(0, 5).map((k) => `open for us, not on the engine: task ${k}`),
    ...c.onlyEngine.slice(0, 5).map((t) => `open on the engine, not for us: task ${t.id} (${t.taskDefinitionKey}, instance ${t.processInstanceId})`),
  ];
  return { fail, note: `task table ${c.equal ? '=' : '≠'} engine's open tasks (${c.ours} / ${c.engine})`, details };
}
