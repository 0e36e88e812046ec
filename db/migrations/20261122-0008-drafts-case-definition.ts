/**
 * What the browser's designer and case page need besides the existing tables:
 *  - `process_drafts`: a designer's unfinished BPMN, one per process id, saved on the server so a
 *    colleague of the same department can continue it. It keeps the department it belongs to, so a
 *    process that exists only as a draft is not taken over by another department's designer.
 *  - `cases.process_definition_key`: the exact definition a case runs (the engine answers it when
 *    the instance is created). With "always the latest" bindings the version alone is not stored, so
 *    without it the case page could not fetch the diagram the case actually follows.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('process_drafts', (t) => {
    t.string('bpmn_process_id', 100).primary();
    t.string('name', 200).notNullable(); // file name it will be deployed under, e.g. water-abstraction-permit.bpmn
    t.text('xml', 'longtext').notNullable();
    t.string('department', 16).notNullable(); // who may save, delete and later deploy it
    t.string('updated_by', 64).notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.alterTable('cases', (t) => {
    t.string('process_definition_key', 20);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('process_definition_key');
  });
  await knex.schema.dropTableIfExists('process_drafts');
}
