/**
 * The audit log (全程留痕 for the people side: logins, lock-outs, reads of personal data). Append-only
 * and hash-chained: each row's hash covers its content and the previous row's hash, so editing or
 * deleting a row breaks the chain from there on, which `verifyChain` reports.
 */
import { createHash } from 'node:crypto';
import type { Db, Trx } from '../../db/knex.ts';
import { dialectOf } from '../../db/knex.ts';

export interface AuditEntry {
  actor: string | null;
  action: string;
  subject: string;
  subjectId?: string | null;
  caseId?: string | null;
  reason?: string | null;
  ip?: string | null;
  at: number;
}

const GENESIS = '0'.repeat(64);

function hashOf(prev: string, e: AuditEntry): string {
  const content = JSON.stringify([prev, e.actor, e.action, e.subject, e.subjectId ?? null, e.caseId ?? null, e.reason ?? null, e.ip ?? null, e.at]);
  return createHash('sha256').update(content).digest('hex');
}

/** Inside a transaction (`db` a Trx) the entry commits or rolls back with it. */
export async function appendAudit(db: Db | Trx, e: AuditEntry): Promise<void> {
  await db.transaction(async (trx: Trx) => {
    // The head row is the chain's lock: every append waits for the previous one to commit and then
    // reads its hash (a fixed row, so the locking read sees the latest version).
    const q = trx('audit_head').where({ id: 1 }).first<{ hash: string }>('hash');
    if (dialectOf(trx) === 'mysql') q.forUpdate();
    const prev = (await q)?.hash ?? GENESIS;
    await trx('audit_log').insert({
      actor: e.actor,
      action: e.action,
      subject: e.subject,
      subject_id: e.subjectId ?? null,
      case_id: e.caseId ?? null,
      reason: e.reason ?? null,
      ip: e.ip ?? null,
      at: e.at,
      prev_hash: prev,
      hash: hashOf(prev, e),
    });
    await trx('audit_head').where({ id: 1 }).update({ hash: hashOf(prev, e) });
  });
}

/** Returns the id of the first row that does not fit the chain, or null when it is intact. */
export async function verifyChain(db: Db): Promise<number | null> {
  let prev = GENESIS;
  const rows = await db('audit_log').orderBy('id', 'asc');
  for (const r of rows) {
    const e: AuditEntry = { actor: r.actor, action: r.action, subject: r.subject, subjectId: r.subject_id, caseId: r.case_id, reason: r.reason, ip: r.ip, at: Number(r.at) };
    if (r.prev_hash !== prev || r.hash !== hashOf(prev, e)) return Number(r.id);
    prev = r.hash;
  }
  return null;
}

export async function auditOfCase(db: Db, caseId: string) {
  const rows = await db('audit_log').where({ case_id: caseId }).orderBy('id', 'asc');
  return rows.map((r) => ({ id: Number(r.id), actor: r.actor, action: r.action, reason: r.reason, at: new Date(Number(r.at)).toISOString() }));
}
