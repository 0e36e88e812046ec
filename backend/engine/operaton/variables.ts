/**
 * Port variables as Operaton's typed REST values. Only strings, numbers and booleans cross: the
 * dialect needs no JSON data format (Spin), and a list travels comma-separated, read in BPMN as
 * `${ld.list(name)}` (backend/engine/operaton/server: Functions.java).
 */
import type { Variables } from '../port.ts';

export type TypedValue = { value: string | number | boolean | null; type: 'String' | 'Integer' | 'Long' | 'Double' | 'Boolean' | 'Null' };

const INT32 = 2 ** 31;

export function toOperaton(vars: Variables | undefined): Record<string, TypedValue> {
  const out: Record<string, TypedValue> = {};
  for (const [name, v] of Object.entries(vars ?? {})) {
    if (v === null || v === undefined) out[name] = { value: null, type: 'Null' };
    else if (Array.isArray(v)) out[name] = { value: v.join(','), type: 'String' };
    else if (typeof v === 'string') out[name] = { value: v, type: 'String' };
    else if (typeof v === 'boolean') out[name] = { value: v, type: 'Boolean' };
    else if (Number.isInteger(v)) out[name] = { value: v, type: Math.abs(v) < INT32 ? 'Integer' : 'Long' };
    else out[name] = { value: v, type: 'Double' };
  }
  return out;
}
