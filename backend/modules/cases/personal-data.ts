/**
 * Applicant personal data at rest: AES-256-GCM with a key ring from configuration
 * (APPLICANT_DATA_KEYS = "id:key,id:key", first one encrypts). Each value records the key id it was
 * sealed with, so rotating means: put the new key first, keep the old ones until
 * `reencryptApplicants` has rewritten every row, then drop them.
 * Views get a masked copy; the clear text is only for those allowed, and each such read is audited.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from '../../db/knex.ts';
import { applicantDigests, deriveIndexKey } from './search-index.ts';

export interface KeyRing {
  current: string;
  keys: Map<string, Buffer>;
  /** HMAC key of the applicant search hashes (search-index.ts) */
  indexKey: Buffer;
}

/** `indexKey`: APPLICANT_INDEX_KEY (base64, 32 bytes); unset, it is derived from the first data key. */
export function keyRing(spec: string, indexKey?: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let current = '';
  for (const part of spec.split(',')) {
    const [id, b64] = part.split(':') as [string, string];
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new Error(`applicant data key ${id} is not 32 bytes`);
    keys.set(id, key);
    current ||= id;
  }
  const index = indexKey ? Buffer.from(indexKey, 'base64') : deriveIndexKey(keys.get(current) as Buffer);
  if (index.length !== 32) throw new Error('applicant index key is not 32 bytes');
  return { current, keys, indexKey: index };
}

const PREFIX = 'enc1';

export function seal(ring: KeyRing, clear: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.current) as Buffer, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(clear), 'utf8'), cipher.final()]);
  return [PREFIX, ring.current, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

export function open<T>(ring: KeyRing, sealed: string): T {
  const [prefix, keyId, iv, tag, body] = sealed.split(':');
  if (prefix !== PREFIX || !keyId || !iv || !tag || !body) throw new Error('not a sealed value');
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`applicant data sealed with key ${keyId}, which is not configured`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8')) as T;
}

export const keyIdOf = (sealed: string) => sealed.split(':')[1];

const keep = (s: string, head: number, tail: number) => (s.length <= head + tail ? s.slice(0, 1) + '*'.repeat(Math.max(s.length - 1, 0)) : s.slice(0, head) + '*'.repeat(s.length - head - tail) + s.slice(s.length - tail));

/** The usual masks of Chinese government systems: 张**, 1101**********002X, 138****8000. */
export function mask(applicant: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...applicant, masked: true };
  if (typeof applicant.name === 'string') out.name = applicant.kind === 'organisation' ? applicant.name : keep(applicant.name, 1, 0);
  if (typeof applicant.idNumber === 'string') out.idNumber = keep(applicant.idNumber, 4, 4);
  if (typeof applicant.phone === 'string') out.phone = keep(applicant.phone, 3, 4);
  if (typeof applicant.address === 'string') out.address = keep(applicant.address, Math.min(6, applicant.address.length - 1), 0);
  if (typeof applicant.contact === 'string') out.contact = keep(applicant.contact, 1, 0);
  return out;
}

/**
 * Rewrites every applicant sealed with an older key under the current one, with its search hashes
 * (a derived index key changes with the first data key). Returns rows changed.
 */
export async function reencryptApplicants(db: Db, ring: KeyRing): Promise<number> {
  let changed = 0;
  const rows = await db('cases').select('id', 'applicant');
  for (const r of rows) {
    if (keyIdOf(String(r.applicant)) === ring.current) continue;
    const clear = open<Record<string, unknown>>(ring, String(r.applicant));
    await db('cases').where({ id: r.id, applicant: r.applicant }).update({ applicant: seal(ring, clear), ...applicantDigests(ring.indexKey, clear) });
    changed++;
  }
  return changed;
}
