/**
 * The audit log (全程留痕 for the people side: logins, lock-outs, reads of personal data, decisions,
 * deploys). Append-only and chained under a key held outside the database (chain.ts): editing or
 * deleting a row breaks the chain from there on, and the head is anchored outside (anchor.ts).
 */
import type { Db, Trx } from '../../db/knex.ts';
import { dialectOf } from '../../db/knex.ts';
import { auditKeysOf, GENESIS, legacyHashOf, macOf, walkChain, type AuditKeyRing, type ChainBreak, type ChainedRow } from './chain.ts';
import { lastAnchor, type Anchor, type AnchorTarget } from './anchor.ts';

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

/** The head row is the chain's lock: every append waits for the previous one to commit. */
async function lockHead(trx: Trx): Promise<string> {
  const q = trx('audit_head').where({ id: 1 }).first<{ hash: string } | undefined>('hash');
  if (dialectOf(trx) === 'mysql') q.forUpdate();
  return (await q)?.hash ?? GENESIS;
}

/** Inside a transaction (`db` a Trx) the entry commits or rolls back with it. */
export async function appendAudit(db: Db | Trx, e: AuditEntry): Promise<void> {
  const ring = auditKeysOf(db);
  await db.transaction(async (trx: Trx) => {
    const prev = await lockHead(trx);
    const row = { actor: e.actor, action: e.action, subject: e.subject, subject_id: e.subjectId ?? null, case_id: e.caseId ?? null, reason: e.reason ?? null, ip: e.ip ?? null, at: e.at };
    const hash = macOf(ring.keys.get(ring.current) as Buffer, ring.current, prev, row);
    await trx('audit_log').insert({ ...row, prev_hash: prev, hash, key_id: ring.current });
    await trx('audit_head').where({ id: 1 }).update({ hash });
  });
}

export interface ChainReport {
  intact: boolean;
  rows: number;
  broken: ChainBreak | null;
  head: { id: number; hash: string } | null;
  /** the anchor checked (null: none configured or written yet) */
  anchor: Anchor | null;
}

/**
 * Recomputes the chain with the keys, then checks the stored head against the last row and the last
 * anchor against the rows: the anchored row must still exist with the anchored hash.
 */
export async function verifyAudit(db: Db, opts: { ring?: AuditKeyRing; anchorTarget?: AnchorTarget; anchor?: Anchor | null } = {}): Promise<ChainReport> {
  const ring = opts.ring ?? auditKeysOf(db);
  const anchor = opts.anchor !== undefined ? opts.anchor : opts.anchorTarget ? lastAnchor(opts.anchorTarget) : null;
  const walk = await walkChain(db, ring);
  const report = (broken: ChainBreak | null): ChainReport => ({ intact: broken === null, rows: walk.rows, broken, head: walk.last, anchor });
  if (walk.broken) return report(walk.broken);
  const stored = (await db('audit_head').where({ id: 1 }).first<{ hash: string } | undefined>('hash'))?.hash ?? GENESIS;
  if (stored !== (walk.last?.hash ?? GENESIS)) return report({ id: walk.last?.id ?? 0, reason: 'head' });
  if (anchor) {
    const row = await db('audit_log').where({ id: anchor.id }).first<{ hash: string } | undefined>('hash');
    if (!row || row.hash !== anchor.hash) return report({ id: anchor.id, reason: 'anchor' });
  }
  return report(null);
}

/** The id of the first row that does not fit the chain, or null when it is intact. */
export async function verifyChain(db: Db, ring?: AuditKeyRing): Promise<number | null> {
  return (await verifyAudit(db, ring ? { ring } : {})).broken?.id ?? null;
}

/**
 * Rows written before the chain was keyed carry no key id. At start-up they are checked against the
 * old unkeyed chain once, then re-chained under the current key, and a row saying how many were
 * re-chained and whether the old chain held is appended: a break found then stays on record.
 */
export async function rechainUnkeyed(db: Db, at: number): Promise<{ rechained: number; legacyBrokenAt: number | null } | null> {
  const ring = auditKeysOf(db);
  const key = ring.keys.get(ring.current) as Buffer;
  const done = await db.transaction(async (trx: Trx) => {
    await lockHead(trx);
    if (!(await trx('audit_log').whereNull('key_id').first('id'))) return null;
    const rows = (await trx('audit_log').orderBy('id', 'asc')) as (ChainedRow & { id: number | string })[];
    let legacyPrev = GENESIS;
    let legacyBrokenAt: number | null = null;
    let prev = GENESIS;
    let rechained = 0;
    for (const r of rows) {
      if (!r.key_id && legacyBrokenAt === null && (r.prev_hash !== legacyPrev || r.hash !== legacyHashOf(legacyPrev, r))) legacyBrokenAt = Number(r.id);
      legacyPrev = r.hash;
      const hash = macOf(key, ring.current, prev, r);
      await trx('audit_log').where({ id: r.id }).update({ prev_hash: prev, hash, key_id: ring.current });
      if (!r.key_id) rechained++;
      prev = hash;
    }
    await trx('audit_head').where({ id: 1 }).update({ hash: prev });
    return { rechained, legacyBrokenAt };
  });
  if (done) {
    const reason = `${done.rechained} unkeyed rows re-chained under key ${ring.current}; ${done.legacyBrokenAt === null ? 'the unkeyed chain was intact' : `the unkeyed chain was already broken at row ${done.legacyBrokenAt}`}`;
    await appendAudit(db, { actor: null, action: 'audit.rechained', subject: 'Audit', reason, at });
  }
  return done;
}

export async function auditOfCase(db: Db, caseId: string) {
  const rows = await db('audit_log').where({ case_id: caseId }).orderBy('id', 'asc');
  return rows.map((r) => ({ id: Number(r.id), actor: r.actor, action: r.action, reason: r.reason, at: new Date(Number(r.at)).toISOString() }));
}
