/**
 * The audit chain becomes keyed (HMAC under AUDIT_KEYS): each row records the id of the key that
 * signed it. Rows already there keep no key id here — the key is not the database's to know — and
 * the back office re-chains them under its key at the next start (audit/service.ts
 * rechainUnkeyed), appending a row that says how many and whether the old chain held.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.string('key_id', 16);
  });
  // the viewer searches by who and by when (keyset pages on id)
  await knex.schema.alterTable('audit_log', (t) => {
    t.index(['actor', 'id'], 'audit_by_actor');
    t.index(['at', 'id'], 'audit_by_at');
    t.index(['action', 'id'], 'audit_by_action');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropIndex(['actor', 'id'], 'audit_by_actor');
    t.dropIndex(['at', 'id'], 'audit_by_at');
    t.dropIndex(['action', 'id'], 'audit_by_action');
    t.dropColumn('key_id');
  });
}
