/** A PDF from a POST (a template preview) or a GET (a notice), saved by the browser with the bearer token. */
import { accessToken, ApiError, restoreSession } from '../api.ts';

export async function savePdf(path: string, body: unknown | null, name: string, retried = false): Promise<void> {
  const token = accessToken();
  const headers: Record<string, string> = { accept: 'application/pdf', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === null ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`/api${path}`, { method: body === null ? 'GET' : 'POST', headers, body: body === null ? undefined : JSON.stringify(body) });
  if (res.status === 401 && !retried && (await restoreSession())) return savePdf(path, body, name, true);
  if (!res.ok) {
    const b = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
    throw new ApiError(res.status, b?.error?.code ?? `HTTP_${res.status}`, b?.error?.message ?? res.statusText, b?.error?.details);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
