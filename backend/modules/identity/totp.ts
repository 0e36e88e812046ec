/**
 * The second factor: TOTP (RFC 6238, SHA-1, 6 digits, 30 s — what every authenticator app reads).
 * Codes are checked against real time, not the office's clock: the user's phone keeps real time.
 * A code is accepted once (its time step must be newer than the last accepted one), so a code seen
 * over a shoulder or in a proxy log cannot be replayed. Secrets are sealed with the data key ring.
 */
import * as OTPAuth from 'otpauth';

const PERIOD = 30;

export const newSecret = (): string => new OTPAuth.Secret({ size: 20 }).base32;

const totpOf = (secret: string, username = 'user') =>
  new OTPAuth.TOTP({ issuer: 'licence-desk', label: username, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });

export const otpauthUri = (secret: string, username: string): string => totpOf(secret, username).toString();

/** The time step the code belongs to (±1 step for clock drift), or null if it is not valid now. */
export function stepOfCode(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** For tests and tools: the code of a given step. */
export const codeAt = (secret: string, step: number): string => totpOf(secret).generate({ timestamp: step * PERIOD * 1000 });
export const currentStep = (now = Date.now()): number => Math.floor(now / 1000 / PERIOD);
