/**
 * The keyed audit chain (issue 16): a row edited and the chain recomputed the old unkeyed way fails
 * verification at that row; a chain cut or recomputed even with the key fails against the anchor
 * kept outside the database; rows from before the key are re-chained once, on record.
 */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { loginSession } from '../support/api.ts';
import { startOffice, stopFeed, TEST_AUDIT_KEYS, type TestOffice } from '../support/harness.ts';
import { appendAudit, verifyAudit } from '../../backend/modules/audit/service.ts';
import { anchorTarget, lastAnchor } from '../../backend/modules/audit/anchor.ts';
import type { Db } from '../../backend/db/knex.ts';

type Row = Record<string, unknown> & { id: number | string; hash: string; prev_hash: string };

const content = (r: Row) => [r.actor ?? null, r.action, r.subject, r.subject_id ?? null, r.case_id ?? null, r.reason ?? null, r.ip ?? null, Number(r.at)];
const sha = (prev: string, r: Row) => createHash('sha256').update(JSON.stringify([prev, ...content(r)])).digest('hex');
const key = Buffer.from(TEST_AUDIT_KEYS.split(':')[1] as string, 'base64');
const mac = (prev: string, r: Row) => createHmac('sha256', key).update(JSON.stringify([prev, 'a1', ...content(r)])).digest('hex');

/** What someone with write access to the database does: recompute every hash from `fromId` on. */
async function recompute(db: Db, fromId: number, hashOf: (prev: string, r: Row) => string, opts: { unkeyed?: boolean } = {}): Promise<void> {
  const rows = (await db('audit_log').orderBy('id', 'asc')) as Row[];
  let prev = '0'.repeat(64);
  for (const r of rows) {
    if (Number(r.id) >= fromId) {
      const hash = hashOf(prev, r);
      await db('audit_log').where({ id: r.id }).update({ prev_hash: prev, hash, ...(opts.unkeyed ? { key_id: null } : {}) });
      r.hash = hash;
    }
    prev = r.hash;
  }
  await db('audit_head').where({ id: 1 }).update({ hash: prev });
}

describe('security: the keyed audit chain and its anchor', () => {
  let t: TestOffice;
  let db: Db;
  const target = () => anchorTarget(t.office.ctx.config.AUDIT_ANCHOR);
  const verify = () => verifyAudit(t.office.ctx.db, { anchorTarget: target() });

  before(async () => {
    t = await startOffice();
    db = t.office.ctx.db;
    await loginSession(t.url, 'jn-01-01.wr.reviewer');
    for (let i = 0; i < 6; i++) await appendAudit(db, { actor: `probe-${i}`, action: 'login.failed', subject: 'User', subjectId: `probe-${i}`, at: Date.now() });
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('signs every row with the key id and verifies as intact', async () => {
    const rows = (await db('audit_log').orderBy('id')) as Row[];
    assert.isAtLeast(rows.length, 7);
    assert.deepStrictEqual([...new Set(rows.map((r) => r.key_id))], ['a1']);
    const report = await verify();
    assert.deepStrictEqual([report.intact, report.broken, report.rows], [true, null, rows.length]);
  });

  it('fails at the edited row when the chain is recomputed the unkeyed way, and holds again once restored', async () => {
    const saved = (await db('audit_log').orderBy('id')) as Row[];
    const head = await db('audit_head').first('hash');
    const victim = saved.find((r) => r.actor === 'probe-2') as Row;
    await db('audit_log').where({ id: victim.id }).update({ actor: 'someone-else' });
    await recompute(db, Number(victim.id), sha);
    const report = await verify();
    assert.strictEqual(report.intact, false);
    assert.deepStrictEqual(report.broken, { id: Number(victim.id), reason: 'mac' }, 'the first row that does not fit is named');
    for (const r of saved) await db('audit_log').where({ id: r.id }).update({ actor: r.actor, prev_hash: r.prev_hash, hash: r.hash });
    await db('audit_head').where({ id: 1 }).update({ hash: head.hash });
    assert.strictEqual((await verify()).intact, true, 'the same rows put back verify again (the check is the content, not a flag)');
  });

  it('names a removed row by the next one, and a cut-off tail by the stored head', async () => {
    const saved = (await db('audit_log').orderBy('id')) as Row[];
    const middle = saved[saved.length - 3] as Row;
    await db('audit_log').where({ id: middle.id }).delete();
    assert.deepStrictEqual((await verify()).broken, { id: Number((saved[saved.length - 2] as Row).id), reason: 'link' });
    await db('audit_log').insert(middle);
    const last = saved[saved.length - 1] as Row;
    await db('audit_log').where({ id: last.id }).delete();
    assert.deepStrictEqual((await verify()).broken, { id: Number((saved[saved.length - 2] as Row).id), reason: 'head' });
    await db('audit_log').insert(last);
    assert.strictEqual((await verify()).intact, true);
  });

  it('anchors the head outside the database, and a chain recomputed even with the key fails against it', async () => {
    await t.office.anchorer.anchorNow();
    const anchor = lastAnchor(target());
    const headRow = (await db('audit_log').orderBy('id', 'desc').first()) as Row;
    assert.deepInclude(anchor, { id: Number(headRow.id), hash: headRow.hash }, 'the anchor file holds the head');
    const file = t.office.ctx.config.AUDIT_ANCHOR.slice('file:'.length);
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600, 'the anchor file is the office user\'s only');
    assert.strictEqual((await verify()).intact, true);

    // whoever holds the key deletes a row and recomputes the rest correctly: the chain itself holds…
    const victim = (await db('audit_log').where({ actor: 'probe-1' }).first()) as Row;
    await db('audit_log').where({ id: victim.id }).delete();
    await recompute(db, Number(victim.id), mac);
    const unanchored = await verifyAudit(db, { anchor: null });
    assert.strictEqual(unanchored.intact, true, 'without the anchor the rewrite would pass');
    // …but the anchored row no longer has its anchored hash
    const report = await verify();
    assert.strictEqual(report.intact, false);
    assert.deepStrictEqual(report.broken, { id: Number(headRow.id), reason: 'anchor' });

    // and the office does not anchor the rewritten head over it, though the head moves on
    await appendAudit(db, { actor: 'after-rewrite', action: 'login.failed', subject: 'User', at: Date.now() });
    await t.office.anchorer.anchorNow();
    assert.deepInclude(lastAnchor(target()), { id: anchor?.id, hash: anchor?.hash }, 'no new anchor launders the rewrite');
  });

  it('re-chains rows written before the key once at start, says so in the chain, and anchors afresh', async () => {
    await t.stop();
    // the database as the unkeyed version left it: no key ids, plain SHA-256 links
    const raw = (await import('knex')).default(t.databaseUrl ? { client: 'mysql2', connection: t.databaseUrl } : { client: 'better-sqlite3', connection: { filename: t.sqliteFile as string }, useNullAsDefault: true });
    try {
      await recompute(raw as unknown as Db, 0, sha, { unkeyed: true });
      const n = Number((await raw('audit_log').whereNull('key_id').count({ n: '*' }))[0]?.n);
      assert.isAtLeast(n, 6);
    } finally {
      await raw.destroy();
    }
    t = await startOffice({ database: t.database });
    db = t.office.ctx.db;
    const note = await db('audit_log').where({ action: 'audit.rechained' }).first();
    assert.match(String(note?.reason), /unkeyed rows re-chained under key a1; the unkeyed chain was intact/);
    assert.strictEqual(Number((await db('audit_log').whereNull('key_id').count({ n: '*' }))[0]?.n), 0);
    const anchor = lastAnchor(target());
    assert.strictEqual(anchor?.rebase && anchor.id, Number(note?.id), 'a fresh anchor on the re-chained head, marked as such');
    assert.strictEqual((await verify()).intact, true);
  });
});
