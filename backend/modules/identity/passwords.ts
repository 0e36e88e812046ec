/** Password hashing: argon2id with the library's defaults (64 MiB, 3 passes). */
import argon2 from 'argon2';

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}

/** Spent on unknown usernames so timing does not tell which accounts exist. */
let decoy: Promise<string> | null = null;
export async function burnVerification(password: string): Promise<void> {
  decoy ??= hashPassword('licence-desk-decoy-password');
  await verifyPassword(await decoy, password);
}
