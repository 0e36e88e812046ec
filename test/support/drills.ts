/**
 * Fault drills, shared by the `npm test` drill files (test/integration/drill-*.test.ts) and the
 * bench scripts (bench/drills/*.ts): a back office run as a child process we can SIGKILL, a clerk
 * load that walks the water-permit happy path through the HTTP API and survives outages by retrying
 * the way a browser would (same Idempotency-Key, re-claim, re-complete), a reconciliation of our
 * tables after the fact, and a generated bad-input run. No timed assertions: figures are printed,
 * verdicts are about what was lost, doubled or answered 5xx.
 *
 * Independent of test/support/harness.ts on purpose (that one insists on the test engine's env).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type { Knex } from 'knex';
import { SignJWT } from 'jose';
import { io, type Socket } from 'socket.io-client';
import { repoRoot } from '../../config/index.ts';
import { keyRing, open } from '../../backend/modules/cases/personal-data.ts';
import { verifyChain } from '../../backend/modules/audit/service.ts';
import { auditKeyRing } from '../../backend/modules/audit/chain.ts';
import { loginSession } from './api.ts';

export const DEMO_PASSWORD = 'Demo@2026';
export const DRILL_AUTH_SECRET = 'drill-secret-drill-secret-drill-secret-0123';
export const DRILL_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
export const DRILL_AUDIT_KEYS = `a1:${Buffer.alloc(32, 8).toString('base64')}`;
export const WATER_ITEM = '000117002000';

/** The water-permit happy path: who decides which step, and how. */
export const HAPPY_PATH = [
  { element: 'window_acceptance', who: 'jn-01-01.asc.window', decision: 'accept' },
  { element: 'county_review', who: 'jn-01-01.wr.reviewer', decision: 'approve' },
  { element: 'city_review', who: 'jn-01.wr.reviewer', decision: 'approve' },
  { element: 'province_decision', who: 'jn.wr.leader', decision: 'grant' },
  { element: 'licence_delivery', who: 'jn.asc.window', decision: 'done' },
] as const;
export const FILER = 'jn-01-01.asc.window';
export const COUNTY = 'JN-01-01';
export const APPLICANT = { kind: 'person', name: '张三', idNumber: '11010519491231002X', phone: '13800138000', address: '江南省示范市一区' } as const;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// ---- a back office as a child process ------------------------------------------------------------

export interface ChildOfficeOptions {
  port: number;
  /** DATABASE_URL or SQLITE_FILE, OPERATON_* and anything else; merged over the drill defaults */
  env: Record<string, string>;
  /** which health endpoint means "up": ready (database + engine) or live (process only) */
  health?: 'ready' | 'live';
  /** run the compiled back office (dist/backend/main.js, what `npm start` runs) instead of the sources under tsx */
  compiled?: boolean;
  log?: (line: string) => void;
}

/** The env a back office needs besides its database and the engine's address and token. */
export function officeEnv(extra: Record<string, string>): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // the drills read the office's log lines as JSON
    LOG_FORMAT: 'json',
    AUTH_TOKEN_SECRET: DRILL_AUTH_SECRET,
    APPLICANT_DATA_KEYS: DRILL_KEYS,
    AUDIT_KEYS: DRILL_AUDIT_KEYS,
    FEED_LEASE_SECONDS: '3',
    FEED_WAIT_MS: '500',
    STARTER_POLL_MS: '200',
    STARTER_LEASE_SECONDS: '5',
    OPERATON_REQUEST_TIMEOUT_MS: '3000',
    // the demo province on either database; rate limits far above what a test's many logins and
    // actions from one address need (test/integration/security*.test.ts sets them low to prove them)
    SEED_DEMO: 'true',
    // the suite's filings predate application forms: the forms tests design their own (forms.test.ts)
    SEED_DEMO_FORMS: 'false',
    RATE_LIMIT_LOGIN_PER_IP: '100000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
    RATE_LIMIT_WRITES_PER_USER: '100000',
    RATE_LIMIT_URGES_PER_USER: '100000',
    ...extra,
  };
}

/** `node --import tsx backend/main.ts`: one process, so SIGKILL kills the back office itself. */
export class ChildOffice {
  child: ChildProcess | null = null;
  readonly url: string;
  readonly stderr: string[] = [];
  /** how often each warning or error message was logged (pino level ≥ 40), across restarts */
  readonly logCounts = new Map<string, number>();
  /** "unexpected error" log lines (the ones answered 500), kept across restarts, at most 50 */
  readonly errors: string[] = [];
  constructor(readonly opts: ChildOfficeOptions) {
    this.url = `http://127.0.0.1:${opts.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns and waits for the health endpoint; resolves with the milliseconds it took. */
  async start(timeoutMs = 90_000): Promise<number> {
    const t0 = performance.now();
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.opts.env, PORT: String(this.opts.port) };
    const entry = this.opts.compiled ? [path.join(repoRoot, 'dist', 'backend', 'main.js')] : ['--import', 'tsx', path.join(repoRoot, 'backend', 'main.ts')];
    const child = spawn(process.execPath, entry, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (buf: Buffer) => {
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.stderr.push(line);
        if (this.stderr.length > 200) this.stderr.shift();
        if (line.includes('unexpected error') && this.errors.length < 50) this.errors.push(line);
        const m = /"level":([4-6]\d).*?"msg":"([^"]*)"/.exec(line);
        if (m) this.logCounts.set(m[2] as string, (this.logCounts.get(m[2] as string) ?? 0) + 1);
        this.opts.log?.(line);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const health = `${this.url}/health/${this.opts.health ?? 'ready'}`;
    while (performance.now() - t0 < timeoutMs) {
      if (!this.running) throw new Error(`back office exited (${child.exitCode ?? child.signalCode}) while starting:\n${this.stderr.slice(-20).join('\n')}`);
      const ok = await fetch(health, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - t0;
      await sleep(100);
    }
    await this.kill9();
    throw new Error(`back office not up within ${timeoutMs} ms:\n${this.stderr.slice(-20).join('\n')}`);
  }

  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const done = await Promise.race([gone.then(() => true), sleep(15_000).then(() => false)]);
    if (!done) await this.kill9();
  }
}

// ---- HTTP with accounting -------------------------------------------------------------------------

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

/** Counts every answer by "METHOD /route → status" (or the network error), so verdicts can name 5xx. */
export class Tally {
  readonly counts = new Map<string, number>();
  readonly samples: string[] = [];
  add(route: string, outcome: string, detail?: string): void {
    const k = `${route} → ${outcome}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (detail && this.samples.length < 20) this.samples.push(`${k}: ${detail.slice(0, 300)}`);
  }
  count(pred: (outcome: string) => boolean): number {
    let n = 0;
    for (const [k, v] of this.counts) if (pred(k.slice(k.lastIndexOf('→ ') + 2))) n += v;
    return n;
  }
  /** answers with this HTTP status */
  status(code: number): number {
    return this.count((o) => o === String(code));
  }
  fiveXx(except: number[] = []): number {
    return this.count((o) => /^5\d\d$/.test(o) && !except.includes(Number(o)));
  }
  networkErrors(): number {
    return this.count((o) => !/^\d{3}$/.test(o));
  }
  table(): string {
    return [...this.counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => `  ${String(v).padStart(7)}  ${k}`).join('\n');
  }
}

const routeOf = (method: string, p: string) =>
  `${method} ${p.split('?')[0]?.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}').replace(/\/\d{6,}/g, '/{key}') ?? p}`;

export async function call<T>(base: string, method: string, p: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; tally?: Tally; timeoutMs?: number } = {}): Promise<Reply<T>> {
  const route = routeOf(method, p);
  try {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* keep text */
    }
    opts.tally?.add(route, String(res.status), res.status >= 500 && res.status !== 503 ? text : undefined);
    return { status: res.status, body: body as T };
  } catch (err) {
    const e = err as { cause?: { code?: string }; name?: string; message?: string };
    const code = e.cause?.code ?? e.name ?? 'ERROR';
    opts.tally?.add(route, code);
    return { status: 0, body: { error: { code, message: e.message } } as T };
  }
}

export async function loginAll(base: string, usernames: readonly string[], tally?: Tally): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const u of new Set(usernames)) {
    for (let attempt = 0; ; attempt++) {
      try {
        // the helper completes the forced change of the demo password and any TOTP step
        tokens.set(u, (await loginSession(base, u)).accessToken);
        tally?.add('POST /api/auth/login', '200');
        break;
      } catch (err) {
        tally?.add('POST /api/auth/login', 'retry');
        if (attempt > 100) throw err;
        await sleep(200);
      }
    }
  }
  return tokens;
}

// ---- the clerk load -------------------------------------------------------------------------------

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

// ---- reconciliation -------------------------------------------------------------------------------

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

// ---- generated bad input --------------------------------------------------------------------------

/** A small seeded PRNG so a failing run can be replayed with the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  hasBody: boolean;
}

export function operationsOf(doc: { paths?: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [p, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      const query = (op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name);
      ops.push({ method: method.toUpperCase(), path: p, params, query, hasBody: Boolean(op.requestBody) });
    }
  }
  return ops;
}

const HOSTILE = [
  "' OR '1'='1",
  "1; DROP TABLE cases; --",
  '" OR ""="',
  "') UNION SELECT password_hash FROM users --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '\u0000',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\uFEFF\u202E中文\uD83D\uDE00',
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  ' ',
  '',
  'A'.repeat(5000),
];

const VALID_BODIES: Record<string, () => unknown> = {
  'POST /api/cases': () => ({ itemCode: WATER_ITEM, regionCode: COUNTY, applicant: { ...APPLICANT }, materials: [{ name: '申请书' }] }),
  'POST /api/auth/login': () => ({ username: 'jn-02-01.nr.leader', password: 'wrong-password' }),
  'POST /api/auth/refresh': () => ({ refreshToken: 'x'.repeat(43) }),
  'POST /api/auth/logout': () => ({ refreshToken: 'x'.repeat(43) }),
  'POST /api/cases/{id}/supplements': () => ({ materials: [{ name: '补正材料' }] }),
  'POST /api/tasks/{key}/complete': () => ({ decision: 'approve', opinion: '同意' }),
  'POST /api/processes': () => ({ name: 'bad.bpmn', xml: '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>' }),
};

const BILLION_LAUGHS = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol4;</bpmn:definitions>';
const XXE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="&x;"/>';

export interface BadInputOptions {
  url: string;
  requests: number;
  seed?: number;
  concurrency?: number;
  /** valid tokens of several roles (window, reviewer, supervisor, designer, admin …) */
  tokens: string[];
  /** known ids to aim at (a real case id, a real task key) so requests reach deeper code */
  caseIds: string[];
  taskKeys: string[];
  authSecret: string;
}

export interface BadInputResult {
  sent: number;
  tally: Tally;
  byStatus: Map<number, number>;
  fiveXx: number;
  networkErrors: number;
  /** 2xx answers per route (some hostile-looking inputs are valid and do create rows) */
  created: { cases: number; processes: number };
  failures: string[];
  ms: number;
}

/**
 * Sends `requests` malformed or hostile requests across every operation of the OpenAPI document:
 * wrong types, missing and unknown fields, huge and malformed bodies, unknown and malformed ids,
 * injection strings, forged and expired tokens, wrong content types and methods.
 */
export async function badInputRun(o: BadInputOptions): Promise<BadInputResult> {
  const rnd = prng(o.seed ?? 20261122);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const doc = (await (await fetch(`${o.url}/api/openapi.json`)).json()) as Parameters<typeof operationsOf>[0];
  const ops = operationsOf(doc);
  if (ops.length === 0) throw new Error('the OpenAPI document lists no operations');
  const secret = new TextEncoder().encode(o.authSecret);
  const wrongSecret = new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret');
  const now = Math.floor(Date.now() / 1000);
  const forged = [
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiJqbi5hc2MuYWRtaW4ifQ.',
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('jn.asc.admin').setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(wrongSecret),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('jn.asc.admin').setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now - 7200).setExpirationTime(now - 3600).sign(secret),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject("' OR 1=1 --").setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(secret),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('no-such-user').setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(secret),
    await new SignJWT({ sub: 12345 } as unknown as Record<string, string>).setProtectedHeader({ alg: 'HS256' }).setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(secret),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('jn.asc.admin').setIssuer('evil').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(secret),
    'not.a.jwt',
    'x'.repeat(4000),
    `${o.tokens[0] ?? ''}x`,
  ];
  const authHeader = (): Record<string, string> => {
    const r = rnd();
    if (r < 0.55) return { authorization: `Bearer ${pick(o.tokens)}` };
    if (r < 0.65) return {};
    if (r < 0.7) return { authorization: `Basic ${Buffer.from('jn.asc.admin:Demo@2026').toString('base64')}` };
    if (r < 0.73) return { authorization: 'Bearer' };
    if (r < 0.75) return { 'x-user-id': 'jn.asc.admin', 'x-user-groups': 'JN.ASC:window' };
    return { authorization: `Bearer ${pick(forged)}` };
  };
  const paramValue = (name: string): string => {
    const r = rnd();
    if (r < 0.25) return name === 'id' ? pick(o.caseIds.length ? o.caseIds : [randomUUID()]) : name === 'key' ? pick(o.taskKeys.length ? o.taskKeys : ['2251799813685249']) : pick(['000117002000', 'JN-01', 'JN', '2251799813685249']);
    if (r < 0.45) return name === 'id' ? randomUUID() : String(2251799813685249 + Math.floor(rnd() * 1e6));
    return encodeURIComponent(pick(HOSTILE));
  };
  const mutate = (body: unknown, depth = 0): unknown => {
    if (body === null || typeof body !== 'object' || depth > 3) return pick([42, -1, 1.5, true, null, [], {}, pick(HOSTILE), 'x'.repeat(100_000)]);
    const obj: Record<string, unknown> = Array.isArray(body) ? { ...body } : { ...(body as Record<string, unknown>) };
    const keys = Object.keys(obj);
    const r = rnd();
    if (r < 0.2 && keys.length) delete obj[pick(keys)];
    else if (r < 0.55 && keys.length) {
      const k = pick(keys);
      obj[k] = rnd() < 0.4 ? mutate(obj[k], depth + 1) : pick([42, -1, true, null, [], {}, pick(HOSTILE), ['a', 1], { $gt: '' }, 'x'.repeat(100_000)]);
    } else if (r < 0.65) obj[pick(['isAdmin', 'status', 'submittedBy', 'approveAll', 'role', 'constructor'])] = pick([true, 'concluded', 'jn.asc.admin']);
    else if (r < 0.75) return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown;
    else if (keys.length) {
      // a valid-looking body with hostile strings in every string field
      for (const k of keys) if (typeof obj[k] === 'string') obj[k] = pick(HOSTILE);
    }
    return Array.isArray(body) ? Object.values(obj) : obj;
  };
  const rawBody = (op: Operation): { text: string; type: string; encoding?: string } | null => {
    const tpl = VALID_BODIES[`${op.method} ${op.path}`];
    const r = rnd();
    if (r < 0.5) return { text: JSON.stringify(mutate(tpl ? tpl() : { a: 1 })), type: 'application/json' };
    if (r < 0.58) return { text: pick(['{"itemCode": "000117002000",', '{', 'nul', '[1,2', '{"a":}', "{'a':1}", '\u0000\u0001', '{"a":1}{"b":2}']), type: 'application/json' };
    if (r < 0.63) return { text: pick(['null', '[]', '"str"', '0', 'true', '{}', '[{}]']), type: 'application/json' };
    if (r < 0.66) return { text: `${'['.repeat(3000)}${']'.repeat(3000)}`, type: 'application/json' };
    if (r < 0.69) return { text: JSON.stringify({ a: 'x'.repeat(3 * 1024 * 1024) }), type: 'application/json' };
    if (r < 0.73) return { text: JSON.stringify(tpl ? tpl() : {}), type: pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-7', '']) };
    if (r < 0.75) return { text: 'garbage-not-gzip', type: 'application/json', encoding: pick(['gzip', 'deflate', 'br', 'x-unknown']) };
    if (r < 0.8 && op.path === '/api/processes') return { text: JSON.stringify({ name: 'evil.bpmn', xml: pick([BILLION_LAUGHS, XXE, '<'.repeat(100_000), `<a>${'<b>'.repeat(20_000)}`]) }), type: 'application/json' };
    return tpl ? { text: JSON.stringify(tpl()), type: 'application/json' } : null;
  };
  const queryString = (op: Operation): string => {
    const parts: string[] = [];
    for (const q of op.query) {
      if (rnd() < 0.5) continue;
      const v = rnd() < 0.5 ? pick(HOSTILE) : pick(['abc', '-5', '0', '101', '1e3', '99999999999999999999', '[]', '{"$gt":""}', 'true']);
      parts.push(`${encodeURIComponent(q)}=${encodeURIComponent(v)}`);
      if (rnd() < 0.1) parts.push(`${encodeURIComponent(q)}=${encodeURIComponent(v)}`); // repeated key → array
    }
    if (rnd() < 0.2) parts.push(`${encodeURIComponent(pick(HOSTILE))}=${encodeURIComponent(pick(HOSTILE))}`);
    if (rnd() < 0.03) parts.push(`x=${'y'.repeat(12_000)}`);
    return parts.length ? `?${parts.join('&')}` : '';
  };

  const tally = new Tally();
  const byStatus = new Map<number, number>();
  const failures: string[] = [];
  const created = { cases: 0, processes: 0 };
  let sent = 0;
  const t0 = performance.now();
  async function one(): Promise<void> {
    const op = pick(ops);
    let method = op.method;
    if (rnd() < 0.04) method = pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
    let p = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(name));
    if (rnd() < 0.03) p = `${p}/${pick(['..', '%2e%2e', 'x', '%ff', '%'])}`;
    p += queryString(op);
    const headers: Record<string, string> = { ...authHeader() };
    let body: string | undefined;
    if (op.hasBody || rnd() < 0.1) {
      const b = rawBody(op);
      if (b) {
        body = b.text;
        if (b.type) headers['content-type'] = b.type;
        if (b.encoding) headers['content-encoding'] = b.encoding;
      }
    }
    if (method === 'GET' || method === 'HEAD') body = undefined;
    const route = `${method} ${op.path}`;
    try {
      const res = await fetch(`${o.url}${p}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
      const text = method === 'HEAD' ? '' : await res.text();
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      tally.add(route, String(res.status));
      if (res.status >= 500 && failures.length < 30) failures.push(`${res.status} ${method} ${p.slice(0, 200)} body=${(body ?? '').slice(0, 200)} → ${text.slice(0, 300)}`);
      if (res.status >= 200 && res.status < 300 && method === 'POST' && op.path === '/api/cases') created.cases++;
      if (res.status === 201 && method === 'POST' && op.path === '/api/processes') created.processes++;
    } catch (err) {
      const e = err as { cause?: { code?: string }; name?: string; message?: string };
      const code = e.cause?.code ?? e.name ?? 'ERROR';
      // Node answers a request line + headers over 16 KiB with 431 and closes the socket at once; a
      // client still sending its body then sees a reset instead of the 431. That is the HTTP server's
      // documented limit, not a dropped connection.
      const headBytes = p.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
      if (headBytes > 16_000) {
        byStatus.set(431, (byStatus.get(431) ?? 0) + 1);
        tally.add(route, '431');
        return;
      }
      tally.add(route, code);
      if (failures.length < 30) failures.push(`${code} ${method} ${p.slice(0, 200)}: ${e.message ?? ''}`);
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: o.concurrency ?? 8 }, async () => {
      while (next < o.requests) {
        next++;
        sent++;
        await one();
      }
    }),
  );
  const fiveXx = [...byStatus.entries()].filter(([s]) => s >= 500).reduce((n, [, v]) => n + v, 0);
  return { sent, tally, byStatus, fiveXx, networkErrors: tally.networkErrors(), created, failures, ms: performance.now() - t0 };
}

export interface Integrity {
  counts: Record<string, number>;
  unreadableApplicants: number;
  brokenAuditRow: number | null;
  orphanTasks: number;
  badStatus: number;
}

const TABLES = ['cases', 'tasks', 'task_candidates', 'case_events', 'users', 'user_roles', 'org_units', 'service_items', 'process_definitions', 'refresh_tokens', 'audit_log', 'counters'];

/** Row counts, and that what is there still makes sense: applicants open, the audit chain holds. */
export async function integrity(db: Knex, applicantKeys: string, auditKeys: string): Promise<Integrity> {
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = Number((await db(t).count({ n: '*' }))[0]?.n ?? 0);
  const ring = keyRing(applicantKeys);
  let unreadable = 0;
  for (const r of await db('cases').select('applicant')) {
    try {
      open(ring, String(r.applicant));
    } catch {
      unreadable++;
    }
  }
  const orphanTasks = Number((await db('tasks').leftJoin('cases', 'cases.id', 'tasks.case_id').whereNull('cases.id').count({ n: '*' }))[0]?.n ?? 0);
  const badStatus = Number((await db('cases').whereNotIn('status', ['submitted', 'in_progress', 'concluded']).count({ n: '*' }))[0]?.n ?? 0);
  return { counts, unreadableApplicants: unreadable, brokenAuditRow: await verifyChain(db, auditKeyRing(auditKeys)), orphanTasks, badStatus };
}

/** The bad-input verdict: no 5xx, no dropped connection, rows changed only as the 2xx answers say, the audit chain intact. */
export function badInputVerdict(r: BadInputResult, before: Integrity, after: Integrity): Verdict {
  const problems: string[] = [];
  if (r.fiveXx) problems.push(`${r.fiveXx} answers 5xx`);
  if (r.networkErrors) problems.push(`${r.networkErrors} connections dropped`);
  if (after.unreadableApplicants) problems.push(`${after.unreadableApplicants} applicants no longer open`);
  if (after.orphanTasks) problems.push(`${after.orphanTasks} orphan tasks`);
  if (after.badStatus) problems.push(`${after.badStatus} cases with an unknown status`);
  const d = (t: string) => (after.counts[t] ?? 0) - (before.counts[t] ?? 0);
  let corrupted = after.unreadableApplicants + after.orphanTasks + after.badStatus;
  if (d('cases') !== r.created.cases) {
    problems.push(`cases changed by ${d('cases')} but ${r.created.cases} submissions were accepted`);
    corrupted += Math.abs(d('cases') - r.created.cases);
  }
  for (const t of ['users', 'user_roles', 'org_units', 'service_items']) {
    if (d(t) !== 0) {
      problems.push(`${t} changed by ${d(t)}`);
      corrupted += Math.abs(d(t));
    }
  }
  if (after.brokenAuditRow !== null) problems.push(`audit hash chain broken at row ${after.brokenAuditRow}`);
  const pass = problems.length === 0;
  return { pass, line: `VERDICT: ${pass ? 'PASS' : 'FAIL'} — ${r.sent} hostile requests, ${r.fiveXx} answered 5xx, ${corrupted} corrupted rows${problems.length ? ` (${problems.join('; ')})` : ''}` };
}
