/**
 * Searching sealed applicant data. The applicant column is AES-GCM with a random IV, so equal values
 * never look equal at rest; each case therefore also keeps keyed hashes (HMAC-SHA256) of the applicant's
 * ID number, phone and name, and an exact-match search compares the hash of what the clerk typed with
 * those columns through an index. Nothing is decrypted to search, and without the key a hash cannot
 * be tested against guesses (an ID number has too little entropy for a plain hash).
 *
 * The key is APPLICANT_INDEX_KEY, or — when unset — derived (HKDF) from the first data key; a data-key
 * rotation then changes it, and `reencryptApplicants` rewrites the hashes with the seals.
 */
import { createHmac, hkdfSync } from 'node:crypto';

export type SearchField = 'idNumber' | 'phone' | 'name';

export const DIGEST_COLUMNS: Record<SearchField, string> = {
  idNumber: 'applicant_id_digest',
  phone: 'applicant_phone_digest',
  name: 'applicant_name_digest',
};

export function deriveIndexKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'licence-desk applicant search index v1', 32));
}

/** What the clerk typed and what was filed compare equal when they mean the same thing. */
export function normalise(field: SearchField, value: string): string {
  const v = value.normalize('NFKC').trim();
  if (field === 'idNumber') return v.toUpperCase().replace(/\s+/g, '');
  if (field === 'phone') return v.replace(/[\s-]+/g, '');
  return v.replace(/\s+/g, ' ');
}

export function digest(key: Buffer, field: SearchField, value: string): string {
  return createHmac('sha256', key).update(`${field}\u0000${normalise(field, value)}`).digest('hex');
}

/** The hash columns of a case row for its (clear) applicant. */
export function applicantDigests(key: Buffer, applicant: Record<string, unknown>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [field, col] of Object.entries(DIGEST_COLUMNS) as Array<[SearchField, string]>) {
    const v = applicant[field];
    out[col] = typeof v === 'string' && v.trim() ? digest(key, field, v) : null;
  }
  return out;
}
