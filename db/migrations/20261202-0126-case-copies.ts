/**
 * 抄送: a case copied to people (or to every active person of a unit, expanded when sent) for their
 * information. One row per recipient and case — copying again to the same person changes nothing —
 * with its read receipt. A row lets its recipient read the case (never act on it).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_copies', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('user_id', 64).notNullable().references('id').inTable('users');
    t.string('via_unit', 32); // sent to this unit (null: to the person)
    t.string('sent_by', 64).notNullable();
    t.text('note');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('read_at');
    t.unique(['case_id', 'user_id'], { indexName: 'case_copies_once' });
    t.index(['user_id', 'created_at'], 'case_copies_by_user');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('case_copies');
}
