/**
 * The only way the app talks to the back office: the public JSON API with a bearer token. A 401 is
 * answered by one refresh (tokens rotate; a spent refresh token ends the session), then the request
 * is repeated once. Errors keep the server's code and reason so views can show them as they are.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** what the code is worded with, e.g. retryAt of a 429 */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}

interface Tokens {
  accessToken: string;
}

// The access token lives in memory only (a script injected into the page finds nothing stored); the
// refresh token is an HttpOnly SameSite=Strict cookie the page cannot read, sent only to /api/auth.
let tokens: Tokens | null = null;
let refreshing: Promise<boolean> | null = null;
const expiredListeners = new Set<() => void>();

export const accessToken = (): string | null => tokens?.accessToken ?? null;
export function setTokens(t: Tokens | null): void {
  tokens = t ? { accessToken: t.accessToken } : null;
}
export function onSessionExpired(fn: () => void): () => void {
  expiredListeners.add(fn);
  return () => expiredListeners.delete(fn);
}

/** The cookie is the session: a new access token from it (also after a reload). */
export async function refresh(): Promise<boolean> {
  const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'licence-desk' }, body: '{}' });
  if (!res.ok) return false;
  setTokens((await res.json()) as Tokens);
  return true;
}

export async function restoreSession(): Promise<boolean> {
  refreshing ??= refresh().finally(() => (refreshing = null));
  return refreshing;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** answer as text (BPMN XML) instead of JSON */
  text?: boolean;
}

export async function api<T>(path: string, opts: RequestOptions = {}, retried = false): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const url = `/api${path}${qs.size ? `?${qs}` : ''}`;
  const headers: Record<string, string> = { accept: opts.text ? 'application/xml' : 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (tokens) headers.authorization = `Bearer ${tokens.accessToken}`;
  const res = await fetch(url, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  if (res.status === 401 && tokens && !retried) {
    if (await restoreSession()) return api<T>(path, opts, true);
    setTokens(null);
    for (const fn of expiredListeners) fn();
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown; params?: Record<string, string | number> } } | null;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.details, body?.error?.params);
  }
  if (res.status === 204) return undefined as T;
  return (opts.text ? await res.text() : await res.json()) as T;
}
