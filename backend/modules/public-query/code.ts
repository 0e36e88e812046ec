/**
 * The query code printed on the applicant's receipt. Only a salted scrypt hash is kept: a leaked
 * table does not reveal codes, and checking a code costs the same whether the case exists or not.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

/** no 0/O, 1/I/L: read off paper and typed on a phone */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 8;
// about 20 ms a check: negligible for one applicant, a wall for guessing (also rate-limited)
const COST = { N: 1 << 13, r: 8, p: 1, maxmem: 32 * 1024 * 1024 };

export function newCode(): string {
  let s = '';
  for (let i = 0; i < LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** Shown as XXXX-XXXX; typed in any case, with or without the dash and spaces. */
export const formatCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
export const normalizeCode = (typed: string) => typed.toUpperCase().replace(/[\s-]/g, '');

export const newSalt = () => randomBytes(16).toString('hex');

export function hashCode(code: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(normalizeCode(code), salt, 32, COST, (err, key) => (err ? reject(err) : resolve(key.toString('hex'))));
  });
}

// checked against this when the case is unknown, so both answers take one scrypt
const DUMMY = { salt: '00000000000000000000000000000000', hash: '0'.repeat(64) };

export async function codeMatches(typed: string, stored: { salt: string; hash: string } | null): Promise<boolean> {
  const s = stored ?? DUMMY;
  const wellFormed = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`).test(normalizeCode(typed));
  const got = Buffer.from(await hashCode(wellFormed ? typed : 'XXXXXXXX', s.salt), 'hex');
  const want = Buffer.from(s.hash, 'hex');
  return stored !== null && wellFormed && got.length === want.length && timingSafeEqual(got, want);
}
