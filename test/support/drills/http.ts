/** HTTP with accounting: every call tallied by status, network errors counted, logins for a set of clerks. */
import { loginSession } from '../api.ts';
import { sleep } from './common.ts';

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
