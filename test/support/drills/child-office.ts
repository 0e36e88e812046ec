/** A back office as a child process of the drill, so that it can be SIGKILLed mid-load. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../../config/index.ts';
import { DRILL_AUDIT_KEYS, DRILL_AUTH_SECRET, DRILL_KEYS, sleep } from './common.ts';

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
