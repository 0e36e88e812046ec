/**
 * Group queues driven from the candidate rows.
 *
 * A group's queue used to be "walk the open tasks in order and probe task_candidates for each": fast
 * while the group holds many of the open tasks, a walk over every open task when it holds none (the
 * county window at 1M cases waited > 10 s), and when the database drove the join from the other side
 * it read every candidate row the group ever had — a million completed ones for a window group.
 *
 * The candidate rows now carry the task's state and what its queues sort and filter by — created_at
 * and sort_key (immutable), the step's due_at and deadline level — indexed so that a group's open
 * queue in each order (by arrival, by due date, by due date within levels) is one index range, empty
 * when the group has nothing open. `state`, `due_at` and `level` follow the task in the same
 * transaction (tasks/commands.ts, deadlines' mirrorOnTask).
 *
 * "Tasks I completed" gets its index too, so that leg of a clerk's queue is a range as well.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  const mysql = knex.client.config.client !== 'better-sqlite3';
  await knex.schema.alterTable('task_candidates', (t) => {
    t.string('state', 16).notNullable().defaultTo('open');
    t.bigInteger('created_at').notNullable().defaultTo(0);
    t.string('sort_key', 20).notNullable().defaultTo('');
    t.bigInteger('due_at');
    t.string('level', 16).notNullable().defaultTo('none');
  });
  // a join update: the portable correlated form reads the tasks table once per candidate row
  if (mysql) await knex.raw('UPDATE task_candidates c JOIN tasks t ON t.user_task_key = c.user_task_key SET c.state = t.state, c.created_at = t.created_at, c.sort_key = t.sort_key, c.due_at = t.due_at, c.level = t.level');
  else await knex.raw('UPDATE task_candidates SET state = t.state, created_at = t.created_at, sort_key = t.sort_key, due_at = t.due_at, level = t.level FROM tasks t WHERE t.user_task_key = task_candidates.user_task_key');
  await knex.schema.alterTable('task_candidates', (t) => {
    t.dropIndex([], 'task_candidates_lookup'); // (kind, name, user_task_key): a prefix of the new one serves its lookups
    t.index(['kind', 'name', 'state', 'created_at', 'sort_key'], 'task_candidates_queue');
    t.index(['kind', 'name', 'state', 'due_at', 'created_at', 'sort_key'], 'task_candidates_due');
    t.index(['kind', 'name', 'state', 'level', 'due_at', 'created_at', 'sort_key'], 'task_candidates_level');
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.index(['state', 'completed_by', 'created_at', 'sort_key'], 'tasks_q_completed_by');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex([], 'tasks_q_completed_by');
  });
  await knex.schema.alterTable('task_candidates', (t) => {
    t.dropIndex([], 'task_candidates_queue');
    t.dropIndex([], 'task_candidates_due');
    t.dropIndex([], 'task_candidates_level');
    t.index(['kind', 'name', 'user_task_key'], 'task_candidates_lookup');
  });
  await knex.schema.alterTable('task_candidates', (t) => {
    t.dropColumns('state', 'created_at', 'sort_key', 'due_at', 'level');
  });
}
