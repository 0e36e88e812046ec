/**
 * 超时自动处理: a step whose setting `timeoutAction` is `pass` or `return` is decided by the system
 * when its step clock turns yellow. The row is written in the transaction that fires the yellow
 * level (so once per step clock), then worked by the deadline sweep under its own lease until the
 * engine has been told and the result recorded — a crash in between leaves it pending, not lost.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('timeout_actions', (t) => {
    t.bigIncrements('id').primary();
    t.string('clock_id', 100).notNullable().unique();
    t.string('user_task_key', 64).notNullable();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('action', 16).notNullable(); // pass | return
    t.string('decision', 32); // pass: the decision taken
    t.string('state', 16).notNullable(); // pending | done | void
    t.text('note'); // void: why nothing was done
    t.bigInteger('lease_until');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('done_at');
    t.index(['state', 'id'], 'timeout_actions_pending');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('timeout_actions');
}
