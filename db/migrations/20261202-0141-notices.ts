/**
 * Written notices (受理通知书, 补正材料通知书, 决定书 …): each issue kept as the PDF that was handed
 * out, with its SHA-256, and the per-item templates administrators edit. A notice is issued once per
 * moment (once_key), so a redelivered engine event or a retried command does not issue it twice.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  const mysql = knex.client.config.client !== 'better-sqlite3';
  await knex.schema.createTable('notices', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('kind', 32).notNullable(); // acceptance | non_acceptance | correction | special_procedure | extension | grant | refusal
    t.string('title', 100).notNullable();
    t.string('once_key', 160).notNullable().unique();
    t.string('sha256', 64).notNullable();
    t.integer('size').notNullable();
    t.specificType('pdf', mysql ? 'longblob' : 'blob').notNullable();
    t.text('text').notNullable(); // the merged wording, for search and for the timeline's reader
    t.string('issued_by', 64);
    t.bigInteger('issued_at').notNullable();
    t.index(['case_id', 'id'], 'notices_by_case');
  });
  await knex.schema.createTable('notice_templates', (t) => {
    t.string('item_code', 64).notNullable().references('code').inTable('service_items');
    t.string('kind', 32).notNullable();
    t.string('title', 100).notNullable();
    t.text('body').notNullable();
    t.string('updated_by', 64).notNullable();
    t.bigInteger('updated_at').notNullable();
    t.primary(['item_code', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('notice_templates');
  await knex.schema.dropTableIfExists('notices');
}
