/**
 * HTTP to Operaton's REST API (the Camunda 7 REST API, under /engine-rest) with the back office's
 * bearer token, a time limit on every call, and the engine's `{type, message}` errors classified once
 * into the port's EngineError kinds.
 */
import { EngineError } from '../port.ts';

export interface ClientOptions {
  /** one or more engine nodes (on one database); calls go to one, and move on when it is down */
  baseUrls: string[];
  token: string;
  timeoutMs: number;
}

interface OperatonErrorBody {
  type?: string;
  message?: string;
  details?: Record<string, { errors?: Array<{ message: string; line?: number; mainElementId?: string; elementIds?: string[] }> }>;
}

const CONFLICT_TYPES = new Set(['OptimisticLockingException']);
const NOT_FOUND_TYPES = new Set(['NotFoundException', 'NullValueException']);

function classify(status: number, body: OperatonErrorBody, what: string): EngineError {
  const message = `${what}: ${body.message ?? `HTTP ${status}`}`;
  if (status === 401 || status === 403) return new EngineError('unavailable', `${what}: the engine refused our credentials (is OPERATON_TOKEN the engine's token?)`);
  if (CONFLICT_TYPES.has(body.type ?? '')) return new EngineError('conflict', message);
  if (status === 404 || NOT_FOUND_TYPES.has(body.type ?? '')) return new EngineError('not_found', message);
  if (status === 400 || status === 409 || status === 422) {
    const details = Object.values(body.details ?? {}).flatMap((r) =>
      (r.errors ?? []).map((e) => ({ message: e.message, ...(e.line ? { line: e.line } : {}), ...((e.mainElementId ?? e.elementIds?.[0]) ? { elementId: e.mainElementId ?? e.elementIds?.[0] } : {}) })),
    );
    return new EngineError('rejected', message, details);
  }
  // commands refused for the state they meet answer 500 too
  if (/is suspended|suspended state|not active/i.test(body.message ?? '')) return new EngineError('rejected', message);
  // a task that was completed a moment ago answers 500 "Cannot find task…" on some paths
  if (/cannot find|does not exist|no .* found/i.test(body.message ?? '')) return new EngineError('not_found', message);
  return new EngineError('unavailable', message);
}

/** Refused or reset before an answer: the request never reached an engine, so another node may take it. */
const NOT_REACHED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export class OperatonClient {
  private current = 0;

  constructor(private readonly opts: ClientOptions) {
    if (opts.baseUrls.length === 0) throw new Error('OperatonClient needs at least one engine URL');
  }

  /**
   * One call, to the current node; when that node cannot be reached at all, to the next one. A call
   * that timed out is not sent elsewhere: it may have run, and a start must not run twice.
   */
  async call<T>(method: string, path: string, body?: unknown, extra: { timeoutMs?: number; form?: FormData } = {}): Promise<T> {
    const nodes = this.opts.baseUrls.length;
    for (let tried = 1; ; tried++) {
      const base = this.opts.baseUrls[this.current % nodes] ?? this.opts.baseUrls[0]!;
      try {
        return await this.callOnce<T>(base, method, path, body, extra);
      } catch (err) {
        const notReached = err instanceof EngineError && err.kind === 'unavailable' && (err as EngineError & { notReached?: boolean }).notReached === true;
        if (!notReached || tried >= nodes) throw err;
        this.current = (this.current + 1) % nodes;
      }
    }
  }

  private async callOnce<T>(baseUrl: string, method: string, path: string, body: unknown, extra: { timeoutMs?: number; form?: FormData }): Promise<T> {
    const what = `${method} ${path.replace(/\?.*/, '')}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.token}`, accept: 'application/json' };
    let payload: BodyInit | undefined;
    if (extra.form) payload = extra.form;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(extra.timeoutMs ?? this.opts.timeoutMs) });
    } catch (err) {
      const e = err as Error;
      const cause = e.cause as (Error & { code?: string }) | undefined;
      const reason = e.name === 'TimeoutError' ? `did not answer within ${extra.timeoutMs ?? this.opts.timeoutMs} ms` : (cause?.message ?? e.message);
      const failure = new EngineError('unavailable', `${what}: the engine at ${baseUrl} ${reason}`);
      if (cause?.code && NOT_REACHED.has(cause.code)) Object.assign(failure, { notReached: true });
      throw failure;
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      let parsed: OperatonErrorBody;
      try {
        parsed = JSON.parse(text) as OperatonErrorBody;
      } catch {
        parsed = { message: text.slice(0, 300) };
      }
      throw classify(res.status, parsed, what);
    }
    if (res.status === 204 || text === '') return undefined as T;
    return JSON.parse(text) as T;
  }
}
