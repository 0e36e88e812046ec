/**
 * The engine records our exporter pushes (Zeebe's own `Record.toJson()`), parsed without losing
 * precision: Zeebe keys and positions are int64 and exceed JavaScript's safe integers.
 */
import JSONbig from 'json-bigint';
import { AppError } from '../errors.ts';

const parser = JSONbig({ storeAsString: true, strict: false });

export interface EngineRecord {
  partitionId: number;
  position: string;
  key: string;
  timestamp: number;
  recordType: string;
  valueType: string;
  intent: string;
  value: Record<string, unknown>;
}

export function parseRecords(raw: string): EngineRecord[] {
  let data: unknown;
  try {
    data = parser.parse(raw);
  } catch (err) {
    throw new AppError('BAD_REQUEST', `engine records are not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new AppError('BAD_REQUEST', 'engine records must be a JSON array');
  return data.map((r, i) => {
    const rec = r as Record<string, unknown>;
    if (!rec || typeof rec !== 'object' || typeof rec.valueType !== 'string' || typeof rec.intent !== 'string' || rec.position === undefined || typeof rec.value !== 'object') {
      throw new AppError('BAD_REQUEST', `engine record ${i} lacks valueType/intent/position/value`);
    }
    return {
      partitionId: Number(rec.partitionId),
      position: String(rec.position),
      key: String(rec.key),
      timestamp: Number(rec.timestamp),
      recordType: String(rec.recordType),
      valueType: rec.valueType,
      intent: rec.intent,
      value: rec.value as Record<string, unknown>,
    };
  });
}

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(',').map((s) => s.trim()) : []);
