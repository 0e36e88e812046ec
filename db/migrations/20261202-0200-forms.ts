/**
 * Forms (form-js): an item's application form (申请表) is part of the item, so it is versioned with it
 * (the snapshot in service_item_versions carries it); the data a window files is kept with the case,
 * and the data of a step's own approval form with that step's decision.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('service_items', (t) => {
    t.text('application_form', 'longtext'); // JSON form-js schema; null: the item has no form
  });
  await knex.schema.alterTable('cases', (t) => {
    t.text('form_data', 'longtext'); // JSON: the application form as filed (validated against item_version's form)
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.text('form_data', 'longtext'); // JSON: the step's approval form as decided
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('form_data');
  });
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('form_data');
  });
  await knex.schema.alterTable('service_items', (t) => {
    t.dropColumn('application_form');
  });
}
