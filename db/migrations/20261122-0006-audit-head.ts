/**
 * One row holding the audit chain's latest hash. Appends lock this row (FOR UPDATE), which serialises
 * them across connections and instances: locking "the last audit row" instead let two transactions
 * read the same predecessor under READ COMMITTED and fork the chain.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_head', (t) => {
    t.integer('id').primary();
    t.string('hash', 64).notNullable();
  });
  const last = await knex('audit_log').orderBy('id', 'desc').first('hash');
  await knex('audit_head').insert({ id: 1, hash: last?.hash ?? '0'.repeat(64) });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_head');
}
