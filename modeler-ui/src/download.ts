/** A file from the API (an export) saved by the browser, with the same bearer token as `api`. */
import { accessToken, ApiError, restoreSession } from './api.ts';

export async function download(path: string, query: Record<string, string>, retried = false): Promise<void> {
  const qs = new URLSearchParams(query);
  const token = accessToken();
  const res = await fetch(`/api${path}${qs.size ? `?${qs}` : ''}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status === 401 && !retried && (await restoreSession())) return download(path, query, true);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.details);
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export.xlsx';
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
