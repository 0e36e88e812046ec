/** A small HTTP client for black-box API tests, acting as one logged-in user. */
import { DEMO_PASSWORD } from '../../db/seeds/02-demo-org.ts';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function request<T>(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export function client(baseUrl: string, username: string, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  return {
    username,
    token,
    get: <T = Record<string, unknown>>(path: string) => request<T>(baseUrl, 'GET', path, undefined, auth),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, extra: Record<string, string> = {}) => request<T>(baseUrl, 'POST', path, body, { ...auth, ...extra }),
    put: <T = Record<string, unknown>>(path: string, body?: unknown) => request<T>(baseUrl, 'PUT', path, body, auth),
    del: <T = Record<string, unknown>>(path: string) => request<T>(baseUrl, 'DELETE', path, undefined, auth),
  };
}

export type Client = ReturnType<typeof client>;

export async function login(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<Client> {
  const res = await request<{ accessToken: string }>(baseUrl, 'POST', '/api/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return client(baseUrl, username, res.body.accessToken);
}
