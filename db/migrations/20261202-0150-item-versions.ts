/**
 * The catalogue becomes editable and versioned: every edit of a service item writes a new version
 * (a full snapshot), the item row keeps the current one, and each case records the version it was
 * filed under, so a running case keeps its limits and materials when the item changes. Fees join the
 * catalogue fields (GB/T 39554.1's item elements include 收费).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_item_versions', (t) => {
    t.string('item_code', 64).notNullable().references('code').inTable('service_items');
    t.integer('version').notNullable();
    t.text('content', 'longtext').notNullable(); // JSON snapshot of every catalogue field
    t.string('created_by', 64);
    t.bigInteger('created_at').notNullable();
    t.primary(['item_code', 'version']);
  });
  await knex.schema.alterTable('service_items', (t) => {
    t.integer('version').notNullable().defaultTo(1);
    t.text('fees'); // JSON: [{ name, amountYuan, basis }]; empty: free of charge
  });
  await knex.schema.alterTable('cases', (t) => {
    t.integer('item_version'); // null: filed before versions existed (read the current item)
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('item_version');
  });
  await knex.schema.alterTable('service_items', (t) => {
    t.dropColumns('version', 'fees');
  });
  await knex.schema.dropTableIfExists('service_item_versions');
}
