/**
 * Attachments of a case or one of its steps. The bytes live in a content-addressed store (the
 * SHA-256 names the blob, so the same file uploaded twice is stored once); the row says what it is,
 * who added it, to which step.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attachments', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('user_task_key', 64);
    t.string('sha256', 64).notNullable();
    t.string('name', 200).notNullable();
    t.string('media_type', 100).notNullable();
    t.bigInteger('size').notNullable();
    t.string('uploaded_by', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['case_id', 'id'], 'attachments_by_case');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('attachments');
}
