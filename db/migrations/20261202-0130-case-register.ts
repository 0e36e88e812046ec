/**
 * The case register (issue 13, part 2). Applicant search hashes on every case (search-index.ts) —
 * backfilled here for the rows that exist, opened with the office's keys (knex userParams, see
 * backend/db/knex.ts migrate) — and the indexes the register pages on: every listing is
 * `ORDER BY submitted_at DESC, id DESC` with a keyset, so each filter gets an index in that order, and
 * the two personal lists (已办 by the completer, 我经办的 by the actor on the timeline) get theirs.
 */
import type { Knex } from 'knex';
import { open, type KeyRing } from '../../backend/modules/cases/personal-data.ts';
import { applicantDigests } from '../../backend/modules/cases/search-index.ts';

const DIGESTS = ['applicant_id_digest', 'applicant_phone_digest', 'applicant_name_digest'] as const;
const CASE_INDEXES: Array<[string, string[]]> = [
  ['cases_reg_submitted', ['submitted_at', 'id']],
  ['cases_reg_status', ['status', 'submitted_at', 'id']],
  ['cases_reg_item', ['item_code', 'submitted_at', 'id']],
  ['cases_reg_region', ['region_code', 'submitted_at', 'id']],
  ...DIGESTS.map((c): [string, string[]] => [`cases_${c}`, [c]]),
];

/**
 * Outside one transaction: the backfill commits batch by batch (a million rows are not one
 * transaction), and SQLite can only turn foreign keys off to rebuild the table on `down` outside one.
 * So `up` may be re-run after a failure: it adds only the columns still missing.
 */
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  // before any DDL: MariaDB commits each ALTER at once, so a refusal later would leave half a schema
  const ring = (knex.userParams as { applicantKeys?: KeyRing }).applicantKeys;
  if (!ring && (await knex('cases').first('id'))) {
    throw new Error('migration 0130 hashes existing applicants for search: run it through the back office (npm start), which passes the applicant keys');
  }
  const missing: string[] = [];
  for (const c of DIGESTS) if (!(await knex.schema.hasColumn('cases', c))) missing.push(c);
  if (missing.length) {
    await knex.schema.alterTable('cases', (t) => {
      for (const c of missing) t.string(c, 64);
    });
  }
  if (ring) await backfill(knex, ring);
  await knex.schema.alterTable('cases', (t) => {
    for (const [name, cols] of CASE_INDEXES) t.index(cols, name);
  });
  await knex.schema.alterTable('tasks', (t) => t.index(['completed_by', 'case_id'], 'tasks_completed_by'));
  await knex.schema.alterTable('case_events', (t) => t.index(['actor', 'case_id'], 'case_events_actor'));
}

async function backfill(knex: Knex, ring: KeyRing): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await knex('cases').where('id', '>', after).orderBy('id').limit(500).select('id', 'applicant');
    if (rows.length === 0) return;
    await knex.transaction(async (trx) => {
      for (const r of rows) await trx('cases').where({ id: r.id }).update(applicantDigests(ring.indexKey, open<Record<string, unknown>>(ring, String(r.applicant))));
    });
    after = String(rows[rows.length - 1].id);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_events', (t) => t.dropIndex(['actor', 'case_id'], 'case_events_actor'));
  await knex.schema.alterTable('tasks', (t) => t.dropIndex(['completed_by', 'case_id'], 'tasks_completed_by'));
  await knex.schema.alterTable('cases', (t) => {
    for (const [name, cols] of CASE_INDEXES) t.dropIndex(cols, name);
  });
  await knex.schema.alterTable('cases', (t) => {
    for (const c of DIGESTS) t.dropColumn(c);
  });
}
