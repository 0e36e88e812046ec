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
  ) {
    super(message);
  }
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

// Per browser tab: a shared office PC should not keep someone else's login in a new window.
const STORE = 'licence-desk.tokens';
let tokens: Tokens | null = JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as Tokens | null;
let refreshing: Promise<boolean> | null = null;
const expiredListeners = new Set<() => void>();

export const accessToken = (): string | null => tokens?.accessToken ?? null;
export function setTokens(t: Tokens | null): void {
  tokens = t ? { accessToken: t.accessToken, refreshToken: t.refreshToken } : null;
  if (tokens) sessionStorage.setItem(STORE, JSON.stringify(tokens));
  else sessionStorage.removeItem(STORE);
}
export const refreshTokenValue = (): string | null => tokens?.refreshToken ?? null;
export function onSessionExpired(fn: () => void): () => void {
  expiredListeners.add(fn);
  return () => expiredListeners.delete(fn);
}

async function refresh(): Promise<boolean> {
  const rt = tokens?.refreshToken;
  if (!rt) return false;
  const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: rt }) });
  if (!res.ok) return false;
  setTokens((await res.json()) as Tokens);
  return true;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
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
    refreshing ??= refresh().finally(() => (refreshing = null));
    if (await refreshing) return api<T>(path, opts, true);
    setTokens(null);
    for (const fn of expiredListeners) fn();
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.details);
  }
  if (res.status === 204) return undefined as T;
  return (opts.text ? await res.text() : await res.json()) as T;
}
