/**
 * The keyed audit chain. Each row's `hash` is HMAC-SHA-256, under a key that lives outside the
 * database (AUDIT_KEYS / AUDIT_KEY_FILE), of the previous row's hash and the row's content. Someone
 * who can write the database but does not hold the key cannot recompute the chain after editing or
 * deleting a row; the head anchored outside the database (anchor.ts) catches a tail cut off or a
 * chain recomputed by someone who does hold the key.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Db, Trx } from '../../db/knex.ts';

export interface AuditKeyRing {
  current: string;
  keys: Map<string, Buffer>;
}

/** "id:base64key[,id:key…]": the first signs new rows, all verify (rows record their key id). */
export function auditKeyRing(spec: string): AuditKeyRing {
  const keys = new Map<string, Buffer>();
  let current = '';
  for (const part of spec.split(',')) {
    const [id, b64] = part.trim().split(':') as [string, string];
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || key.length < 32) throw new Error(`audit key ${id || '(no id)'} is shorter than 32 bytes`);
    keys.set(id, key);
    current ||= id;
  }
  return { current, keys };
}

// The key travels with the database handle it signs for, so every caller of appendAudit (with a
// handle or a transaction of it) signs without passing keys around. Transactions share their
// parent's `client.config` object, which is why that is the map's key.
const rings = new WeakMap<object, AuditKeyRing>();

export function bindAuditKeys(db: Db, ring: AuditKeyRing): void {
  rings.set(db.client.config as object, ring);
}

export function auditKeysOf(db: Db | Trx): AuditKeyRing {
  const ring = rings.get(db.client.config as object);
  if (!ring) throw new Error('no audit key is bound to this database handle (bindAuditKeys at start-up)');
  return ring;
}

export const GENESIS = '0'.repeat(64);

export interface ChainedRow {
  actor: string | null;
  action: string;
  subject: string;
  subject_id: string | null;
  case_id: string | null;
  reason: string | null;
  ip: string | null;
  at: number | string;
  prev_hash: string;
  hash: string;
  key_id: string | null;
}

type Content = Omit<ChainedRow, 'hash' | 'prev_hash' | 'key_id'>;

const contentOf = (r: Content) => [r.actor ?? null, r.action, r.subject, r.subject_id ?? null, r.case_id ?? null, r.reason ?? null, r.ip ?? null, Number(r.at)];

export function macOf(key: Buffer, keyId: string, prev: string, r: Content): string {
  return createHmac('sha256', key).update(JSON.stringify([prev, keyId, ...contentOf(r)])).digest('hex');
}

/** The chain before keys (rows with no key id): kept only to check them once when they are re-chained. */
export function legacyHashOf(prev: string, r: Content): string {
  return createHash('sha256').update(JSON.stringify([prev, ...contentOf(r)])).digest('hex');
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export type BreakReason = 'link' | 'mac' | 'unknown-key' | 'unkeyed' | 'head' | 'anchor';

export interface ChainBreak {
  /** the first row that does not fit (for 'head'/'anchor': the row the head or anchor names) */
  id: number;
  reason: BreakReason;
}

/** Walks the rows in id order, a page at a time (the log grows without bound). */
export async function walkChain(db: Db, ring: AuditKeyRing, pageSize = 2000): Promise<{ broken: ChainBreak | null; rows: number; last: { id: number; hash: string } | null }> {
  let prev = GENESIS;
  let after = 0;
  let rows = 0;
  let last: { id: number; hash: string } | null = null;
  for (;;) {
    const page = await db('audit_log').where('id', '>', after).orderBy('id', 'asc').limit(pageSize);
    if (page.length === 0) break;
    for (const r of page as (ChainedRow & { id: number | string })[]) {
      const id = Number(r.id);
      rows++;
      if (r.prev_hash !== prev) return { broken: { id, reason: 'link' }, rows, last };
      if (!r.key_id) return { broken: { id, reason: 'unkeyed' }, rows, last };
      const key = ring.keys.get(r.key_id);
      if (!key) return { broken: { id, reason: 'unknown-key' }, rows, last };
      if (!same(r.hash, macOf(key, r.key_id, prev, r))) return { broken: { id, reason: 'mac' }, rows, last };
      prev = r.hash;
      last = { id, hash: r.hash };
      after = id;
    }
  }
  return { broken: null, rows, last };
}
