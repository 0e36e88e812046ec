/**
 * Queues that stay fast at millions of tasks, and the step's deadline on the task row.
 *
 * `sort_key` is the Zeebe key zero-padded to 20 digits: string order is then numeric order on both
 * databases, so a queue page is `ORDER BY created_at, sort_key` straight off an index (the keyset
 * used to sort on `length(user_task_key)`, which no index can serve) and keys beyond 2^53 stay exact.
 *
 * `due_at` / `due_on` / `level` copy the step clock (kept in sync by the deadlines module) so the
 * clerk's queue filters and sorts by deadline without a join. Each queue shape gets an index that
 * yields its rows in page order, so a page reads ~limit index entries however large the table is.
 */
import type { Knex } from 'knex';

const QUEUE_INDEXES: Array<[string, string[]]> = [
  ['tasks_q_created', ['state', 'created_at', 'sort_key']],
  ['tasks_q_assignee', ['state', 'assignee', 'created_at', 'sort_key']],
  ['tasks_q_due', ['state', 'due_at', 'created_at', 'sort_key']],
  ['tasks_q_level', ['state', 'level', 'due_at', 'created_at', 'sort_key']],
  ['tasks_q_province', ['province_code', 'state', 'created_at', 'sort_key']],
  ['tasks_q_city', ['city_code', 'state', 'created_at', 'sort_key']],
  ['tasks_q_county', ['county_code', 'state', 'created_at', 'sort_key']],
];

// the indexes the new ones supersede (each is a prefix of, or sorts worse than, a new one)
const OLD_INDEXES: Array<[string, string[]]> = [
  ['tasks_queue_assignee', ['state', 'assignee', 'created_at', 'user_task_key']],
  ['tasks_by_province', ['province_code', 'state']],
  ['tasks_by_city', ['city_code', 'state']],
  ['tasks_by_county', ['county_code', 'state']],
];

export async function up(knex: Knex): Promise<void> {
  const mysql = knex.client.config.client !== 'better-sqlite3';
  await knex.schema.alterTable('tasks', (t) => {
    t.string('sort_key', 20).notNullable().defaultTo('');
    t.bigInteger('due_at'); // end of the step's last working day, epoch ms; null: no step limit
    t.string('due_on', 10); // that day, YYYY-MM-DD (Beijing)
    t.string('level', 16).notNullable().defaultTo('none'); // none | warning | yellow | red
  });
  await knex('tasks').update({ sort_key: mysql ? knex.raw("LPAD(user_task_key, 20, '0')") : knex.raw("substr('00000000000000000000' || user_task_key, -20, 20)") });
  // existing step clocks → their tasks (a join update: the portable correlated form scans every task)
  if (mysql) await knex.raw("UPDATE clocks c JOIN tasks t ON t.user_task_key = c.user_task_key SET t.due_at = c.due_at, t.due_on = c.due_on, t.level = c.level WHERE c.kind = 'step'");
  else await knex.raw("UPDATE tasks SET due_at = c.due_at, due_on = c.due_on, level = c.level FROM clocks c WHERE c.kind = 'step' AND c.user_task_key = tasks.user_task_key");
  await knex.schema.alterTable('tasks', (t) => {
    for (const [name] of OLD_INDEXES) t.dropIndex([], name);
    for (const [name, columns] of QUEUE_INDEXES) t.index(columns, name);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    for (const [name] of QUEUE_INDEXES) t.dropIndex([], name);
    for (const [name, columns] of OLD_INDEXES) t.index(columns, name);
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumns('sort_key', 'due_at', 'due_on', 'level');
  });
}
