/**
 * Lock-out counted in SQL, so parallel guesses cannot outrun it: an attempt first *reserves* a slot
 * (one conditional UPDATE), then verifies. Forty requests at once still get only LOGIN_MAX_FAILURES
 * slots; the rest are refused without a password check. A correct login gives the slot back.
 */
import type { Ctx } from '../../context.ts';
import { appendAudit } from '../audit/service.ts';

/** True if this attempt may check a password; false while the account is locked or all slots are taken. */
export async function reserveAttempt(ctx: Ctx, userId: string): Promise<boolean> {
  const now = ctx.clock.now();
  // an expired lock opens the account again with a fresh count
  await ctx.db('users').where({ id: userId }).whereNotNull('locked_until').andWhere('locked_until', '<=', now).update({ failed_logins: 0, locked_until: null });
  const taken = await ctx.db('users')
    .where({ id: userId })
    .whereNull('locked_until')
    .andWhere('failed_logins', '<', ctx.config.LOGIN_MAX_FAILURES)
    .increment('failed_logins', 1);
  return Number(taken) === 1;
}

/** After a wrong password or code: the slot stays spent; the attempt that fills the last slot locks. */
export async function recordFailure(ctx: Ctx, userId: string, ip: string | null, what: string): Promise<void> {
  const now = ctx.clock.now();
  const row = await ctx.db('users').where({ id: userId }).first('lockouts');
  // back-off: each lock without a good login in between lasts twice as long as the one before
  const seconds = Math.min(ctx.config.LOGIN_LOCK_SECONDS * 2 ** Number(row?.lockouts ?? 0), ctx.config.LOGIN_LOCK_MAX_SECONDS);
  const locked = await ctx.db('users')
    .where({ id: userId })
    .whereNull('locked_until')
    .andWhere('failed_logins', '>=', ctx.config.LOGIN_MAX_FAILURES)
    .update({ locked_until: now + seconds * 1000, lockouts: ctx.db.raw('lockouts + 1') });
  await appendAudit(ctx.db, { actor: userId, action: 'login.failed', subject: 'User', subjectId: userId, reason: what, ip, at: now });
  if (Number(locked) === 1) await appendAudit(ctx.db, { actor: userId, action: 'account.locked', subject: 'User', subjectId: userId, reason: `${seconds} s`, ip, at: now });
}

export async function recordSuccess(ctx: Ctx, userId: string): Promise<void> {
  await ctx.db('users').where({ id: userId }).update({ failed_logins: 0, locked_until: null, lockouts: 0 });
}
