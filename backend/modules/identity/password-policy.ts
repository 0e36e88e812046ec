/**
 * The password policy (等保 2.0 身份鉴别: complexity, periodic change, no reuse). Pure rules here; the
 * history lookup needs the hashes, so `checkNotReused` takes them from the caller.
 */
import type { Config } from '../../../config/index.ts';
import { verifyPassword } from './passwords.ts';

export type PasswordPolicy = Pick<Config, 'PASSWORD_MIN_LENGTH' | 'PASSWORD_MAX_AGE_DAYS' | 'PASSWORD_HISTORY'>;

const CLASSES: Array<[RegExp, string]> = [
  [/[a-z]/, 'lower-case letters'],
  [/[A-Z]/, 'upper-case letters'],
  [/[0-9]/, 'digits'],
  [/[^A-Za-z0-9]/, 'symbols'],
];

/** Reasons the password is refused, empty when it is acceptable. */
export function policyProblems(policy: PasswordPolicy, username: string, password: string): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.PASSWORD_MIN_LENGTH) problems.push(`at least ${policy.PASSWORD_MIN_LENGTH} characters`);
  const missing = CLASSES.filter(([re]) => !re.test(password));
  if (missing.length > 1) problems.push(`at least three of: lower-case letters, upper-case letters, digits, symbols (missing ${missing.map(([, n]) => n).join(', ')})`);
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  // the name or any part of it (jn-01.wr.reviewer → "reviewer") makes a password guessable
  if (lower.includes(name) || name.split(/[.\-_@]/).some((part) => part.length >= 4 && lower.includes(part))) problems.push('must not contain the username or a part of it');
  return problems;
}

export async function isReused(previousHashes: string[], password: string): Promise<boolean> {
  for (const h of previousHashes) if (await verifyPassword(h, password)) return true;
  return false;
}

export function isExpired(policy: PasswordPolicy, changedAt: number | null, now: number): boolean {
  if (policy.PASSWORD_MAX_AGE_DAYS === 0 || changedAt === null) return false;
  return now - changedAt > policy.PASSWORD_MAX_AGE_DAYS * 86_400_000;
}
