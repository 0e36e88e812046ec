/** A form-js schema as the server stores it (backend/modules/forms/form-js.ts checks it). */
export interface FormSchema {
  type?: string;
  id?: string;
  components: Array<Record<string, unknown> & { type: string; key?: string; label?: string }>;
  [other: string]: unknown;
}

/** Server problems of a form (details of a 400: body.form.<key>) as key → message. */
export function fieldProblems(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(details)) return out;
  for (const d of details as Array<{ path?: string; message?: string }>) {
    const m = /^body\.form\.(\w+)/.exec(d.path ?? '');
    if (m?.[1]) out[m[1]] = out[m[1]] ? `${out[m[1]]}; ${d.message ?? ''}` : (d.message ?? '');
  }
  return out;
}
