/**
 * Clocks counted on the provisional calendar of a year not yet published (issue 13): `provisional`
 * marks a due date that rests on such days (shown as 暂定), indexed so that publishing the year finds
 * exactly the clocks to recompute; tasks carry the flag beside their mirrored due date for the queue.
 * `calendar_alerts` records the yearly alert that next year is still unpublished, once per year
 * under its primary key, whichever instance's scheduler gets there first.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clocks', (t) => {
    t.boolean('provisional').notNullable().defaultTo(false);
    t.index(['provisional', 'state'], 'clocks_provisional');
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.boolean('due_provisional').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('calendar_alerts', (t) => {
    t.integer('year').primary(); // the unpublished year alerted about
    t.bigInteger('alerted_at').notNullable();
    t.integer('recipients').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('calendar_alerts');
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('due_provisional');
  });
  await knex.schema.alterTable('clocks', (t) => {
    t.dropIndex(['provisional', 'state'], 'clocks_provisional');
    t.dropColumn('provisional');
  });
}
