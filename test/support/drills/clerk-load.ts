/** The clerk load: clerks walk the water-permit happy path through the HTTP API and survive outages by retrying as a browser would (same Idempotency-Key, re-claim, re-complete). */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { APPLICANT, COUNTY, FILER, HAPPY_PATH, WATER_ITEM, sleep } from './common.ts';
import { Tally, call, loginAll } from './http.ts';

export interface LoadOptions {
  /** back-office URLs; requests go round-robin over them (several instances) */
  urls: () => string[];
  cases: number;
  concurrency: number;
  pollMs?: number;
  /**
   * Clerks as the web app works: each step's clerk hears `task.created` over socket.io and then
   * reloads the queue (one GET), instead of polling it every `pollMs`. Polling stays the fallback
   * when no event came within a second (a missed event, an office restarting).
   */
  live?: boolean;
  /** a case that has not concluded its walk by then counts as stuck */
  caseDeadlineMs?: number;
  runId?: string;
  tally?: Tally;
  /** after each completed task (for "kill it when a third is done") */
  onTaskDone?: (done: number) => void;
}

export interface LoadResult {
  caseIds: string[];
  walked: number;
  stuck: Array<{ index: number; at: string; why: string }>;
  tasksCompleted: number;
  ms: number;
  tally: Tally;
  /** milliseconds from submission to the last task completed, per walked case */
  caseMs: number[];
  /** where the time went, per call: submit, waiting for the task to show, claim, complete */
  phases: { submit: number[]; wait: number[]; claim: number[]; complete: number[] };
}

interface TaskItem {
  userTaskKey: string;
  state: string;
  assignee: string | null;
}

/**
 * Walks `cases` water-permit applications down the happy path with `concurrency` clerks' browsers
 * at once. Every call that fails for a transient reason (network error, 503, 5xx) is retried as a
 * person would retry it; 4xx answers that should not happen are retried too, a few times, and then
 * the case is reported stuck — the reconciliation shows what that cost.
 */
export async function clerkLoad(o: LoadOptions): Promise<LoadResult> {
  const tally = o.tally ?? new Tally();
  const poll = o.pollMs ?? 50;
  const deadline = o.caseDeadlineMs ?? 300_000;
  const runId = o.runId ?? randomUUID().slice(0, 8);
  let rr = 0;
  const base = () => {
    const urls = o.urls();
    return urls[rr++ % urls.length] as string;
  };
  const users = [FILER, ...HAPPY_PATH.map((s) => s.who)];
  const tokens = await loginAll(base(), users, tally);
  const tok = (u: string) => tokens.get(u) as string;
  const heard = o.live ? await listenForTasks(o.urls(), [...new Set(HAPPY_PATH.map((s) => s.who))].map(tok)) : null;
  const caseIds: string[] = new Array<string>(o.cases);
  const caseMs: number[] = [];
  const stuck: LoadResult['stuck'] = [];
  const phases: LoadResult['phases'] = { submit: [], wait: [], claim: [], complete: [] };
  const timed = async <T>(into: number[], work: Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await work;
    into.push(performance.now() - t);
    return r;
  };
  let tasksCompleted = 0;
  let walked = 0;
  let next = 0;
  const t0 = performance.now();

  async function walk(i: number): Promise<void> {
    const started = performance.now();
    const until = started + deadline;
    const late = () => performance.now() > until;
    const key = `drill-${runId}-${i}`;
    let id: string | null = null;
    for (let attempt = 0; !id; attempt++) {
      if (late()) throw new Error('submit: deadline');
      const r = await timed(phases.submit, call<{ id: string }>(base(), 'POST', '/api/cases', { token: tok(FILER), body: { itemCode: WATER_ITEM, regionCode: COUNTY, applicant: APPLICANT, materials: [{ name: '取水许可申请书' }] }, headers: { 'idempotency-key': key }, tally }));
      if (r.status === 200 || r.status === 201 || r.status === 202) id = r.body.id;
      else await sleep(attempt < 5 ? 100 : 500);
    }
    caseIds[i] = id;
    for (const step of HAPPY_PATH) {
      const token = tok(step.who);
      let oddities = 0;
      let tried = false; // a completion was sent whose outcome we may not have heard
      const waitFrom = performance.now();
      let waited = false;
      if (heard) await heard.next(id, step.element, 1000);
      for (;;) {
        if (late()) throw new Error(`${step.element}: deadline`);
        const q = await call<{ items: TaskItem[] }>(base(), 'GET', `/api/tasks?caseId=${id}&elementId=${step.element}&state=open`, { token, tally });
        let task = q.status === 200 ? q.body.items[0] : undefined;
        if (!task) {
          // Not (yet) open: the engine has not created it, or our completion already went through.
          if (tried) {
            const c = await call<{ items: TaskItem[] }>(base(), 'GET', `/api/tasks?caseId=${id}&elementId=${step.element}&state=completed`, { token, tally });
            if (c.status === 200 && c.body.items.length > 0) break;
          }
          await sleep(q.status === 200 ? poll : 200);
          continue;
        }
        if (!waited) {
          phases.wait.push(performance.now() - waitFrom);
          waited = true;
        }
        if (task.assignee === null) {
          const claim = await timed(phases.claim, call<TaskItem>(base(), 'POST', `/api/tasks/${task.userTaskKey}/claim`, { token, tally }));
          if (claim.status !== 200) {
            if (claim.status > 0 && claim.status < 500 && ++oddities > 20) throw new Error(`${step.element}: claim answered ${claim.status} ${JSON.stringify(claim.body)}`);
            await sleep(claim.status === 409 ? poll : 200);
            continue;
          }
          task = claim.body;
        }
        tried = true;
        const completed = await timed(phases.complete, call<TaskItem>(base(), 'POST', `/api/tasks/${task.userTaskKey}/complete`, { token, body: { decision: step.decision, opinion: '同意' }, tally }));
        if (completed.status === 200) break;
        if (completed.status > 0 && completed.status < 500 && completed.status !== 409 && ++oddities > 20) throw new Error(`${step.element}: complete answered ${completed.status} ${JSON.stringify(completed.body)}`);
        await sleep(200);
      }
      tasksCompleted++;
      o.onTaskDone?.(tasksCompleted);
    }
    walked++;
    caseMs.push(performance.now() - started);
  }

  async function worker(): Promise<void> {
    while (next < o.cases) {
      const i = next++;
      await walk(i).catch((err: unknown) => {
        stuck.push({ index: i, at: caseIds[i] ?? '(not submitted)', why: err instanceof Error ? err.message : String(err) });
      });
    }
  }
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.cases) }, () => worker()));
  heard?.close();
  return { caseIds: caseIds.filter(Boolean), walked, stuck, tasksCompleted, ms: performance.now() - t0, tally, caseMs, phases };
}

/** `task.created` as the clerks' browsers hear it: one socket per clerk and office, events kept by case and step. */
async function listenForTasks(urls: string[], tokens: string[]) {
  const arrived = new Set<string>();
  const waiting = new Map<string, () => void>();
  const sockets: Socket[] = [];
  for (const url of urls) {
    for (const token of tokens) {
      const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
      socket.on('task.created', (e: { task: { caseId: string; elementId: string } }) => {
        const k = `${e.task.caseId} ${e.task.elementId}`;
        arrived.add(k);
        waiting.get(k)?.();
      });
      sockets.push(socket);
      await new Promise<void>((resolve) => {
        socket.once('connect', () => resolve());
        setTimeout(resolve, 5000); // not connected: the clerks fall back to polling
      });
    }
  }
  return {
    /** resolves when the step's task was announced, or after `timeoutMs` */
    next: (caseId: string, elementId: string, timeoutMs: number) =>
      new Promise<void>((resolve) => {
        const k = `${caseId} ${elementId}`;
        if (arrived.has(k)) return resolve();
        const timer = setTimeout(() => (waiting.delete(k), resolve()), timeoutMs);
        waiting.set(k, () => (clearTimeout(timer), waiting.delete(k), resolve()));
      }),
    close: () => sockets.forEach((s) => s.close()),
  };
}
