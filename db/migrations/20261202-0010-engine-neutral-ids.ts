/**
 * The engine port speaks opaque string ids (Operaton's are UUIDs, its definition ids
 * "<process>:<version>:<uuid>"), no longer 64-bit numbers of at most 20 digits: the id columns
 * widen. SQLite does not enforce VARCHAR lengths, so only MySQL/MariaDB change.
 *
 * The feed replaces the exporter's per-partition positions: `engine_events_seen` remembers the
 * event ids applied (pruned after a day, far beyond any redelivery), and `engine_feed_lease` lets
 * one back office at a time read the feed.
 */
import type { Knex } from 'knex';

const TASK_KEY = 64;
const INSTANCE_KEY = 64;
const DEFINITION_KEY = 255;

const widen: Array<[table: string, column: string, length: number, nullable: boolean]> = [
  ['process_definitions', 'definition_key', DEFINITION_KEY, false],
  ['cases', 'process_instance_key', INSTANCE_KEY, true],
  ['cases', 'process_definition_key', DEFINITION_KEY, true],
  ['tasks', 'user_task_key', TASK_KEY, false],
  ['tasks', 'process_instance_key', INSTANCE_KEY, false],
  ['tasks', 'sort_key', TASK_KEY, false],
  ['task_candidates', 'user_task_key', TASK_KEY, false],
  ['task_candidates', 'sort_key', TASK_KEY, false],
  ['case_events', 'user_task_key', TASK_KEY, true],
  ['clocks', 'user_task_key', TASK_KEY, true],
  ['clock_events', 'user_task_key', TASK_KEY, true],
  ['notifications', 'user_task_key', TASK_KEY, true],
  ['urgings', 'user_task_key', TASK_KEY, false],
];

async function modify(knex: Knex, to: (length: number) => number): Promise<void> {
  if (knex.client.config.client === 'better-sqlite3') return;
  // MariaDB changes no column of a foreign key, even a VARCHAR that only grows: the one key from
  // task_candidates to tasks is dropped for the change and made again.
  await knex.schema.alterTable('task_candidates', (t) => t.dropForeign(['user_task_key']));
  for (const [table, column, length, nullable] of widen) {
    if (!(await knex.schema.hasColumn(table, column))) continue;
    await knex.raw(`ALTER TABLE ?? MODIFY ?? VARCHAR(${to(length)}) ${nullable ? 'NULL' : 'NOT NULL'}${column === 'sort_key' ? " DEFAULT ''" : ''}`, [table, column]);
  }
  await knex.schema.alterTable('task_candidates', (t) => t.foreign('user_task_key').references('user_task_key').inTable('tasks').onDelete('CASCADE'));
}

export async function up(knex: Knex): Promise<void> {
  await modify(knex, (l) => l);
  await knex.schema.createTable('engine_events_seen', (t) => {
    t.string('event_id', 64).primary();
    t.bigInteger('seen_at').notNullable().index('engine_events_seen_at');
  });
  await knex.schema.createTable('engine_feed_lease', (t) => {
    t.string('name', 32).primary();
    t.string('holder', 64);
    t.bigInteger('until').notNullable().defaultTo(0);
  });
  await knex('engine_feed_lease').insert({ name: 'feed', holder: null, until: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('engine_feed_lease');
  await knex.schema.dropTable('engine_events_seen');
  await modify(knex, () => 20);
}
