/** 常用意见: each user's own reusable opinion texts, offered in the decision form. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('common_opinions', (t) => {
    t.bigIncrements('id').primary();
    t.string('user_id', 64).notNullable().references('id').inTable('users');
    t.string('text', 500).notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['user_id', 'id'], 'common_opinions_by_user');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('common_opinions');
}
