/**
 * HTTP to Operaton's REST API (the Camunda 7 REST API, under /engine-rest) with the back office's
 * bearer token, a time limit on every call, and the engine's `{type, message}` errors classified once
 * into the port's EngineError kinds.
 */
import { EngineError } from '../port.ts';

export interface ClientOptions {
  baseUrl: string;
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
  // a task that was completed a moment ago answers 500 "Cannot find task…" on some paths
  if (/cannot find|does not exist|no .* found/i.test(body.message ?? '')) return new EngineError('not_found', message);
  return new EngineError('unavailable', message);
}

export class OperatonClient {
  constructor(private readonly opts: ClientOptions) {}

  async call<T>(method: string, path: string, body?: unknown, extra: { timeoutMs?: number; form?: FormData } = {}): Promise<T> {
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
      res = await fetch(`${this.opts.baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(extra.timeoutMs ?? this.opts.timeoutMs) });
    } catch (err) {
      const e = err as Error;
      const reason = e.name === 'TimeoutError' ? `did not answer within ${extra.timeoutMs ?? this.opts.timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message;
      throw new EngineError('unavailable', `${what}: the engine ${reason}`);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      let parsed: OperatonErrorBody = {};
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
