/** A small HTTP client for black-box API tests, acting as one user with groups. */
export interface Actor {
  userId: string;
  groups: string[];
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export function client(baseUrl: string, actor: Actor) {
  const headers = { 'x-user-id': actor.userId, 'x-user-groups': actor.groups.join(',') };
  async function call<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply<T>> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...extra },
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
  return {
    actor,
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, extra?: Record<string, string>) => call<T>('POST', path, body, extra),
  };
}

export type Client = ReturnType<typeof client>;
