/**
 * Task operations (issue 12, engine side): 退回 / 撤回 move the token and the step they open must go
 * to a named person (the one who handled it before, or the one who withdrew), which the engine's
 * task.created event cannot carry — so the intent is written first as a handover row, consumed when
 * the feed brings the new task. A task returned "straight back to me" remembers where to jump after
 * the correction. 委派 keeps the delegating owner beside the delegate (the assignee).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.string('owner', 64); // 委派: who delegated and gets the task back
    t.string('return_to_element', 100); // 退回 "come straight back to me": the step to jump to
    t.string('return_to_user', 64);
  });
  await knex.schema.createTable('task_handovers', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('element_id', 100).notNullable();
    t.string('kind', 16).notNullable(); // return | withdraw | jump
    t.string('assignee', 64);
    t.string('return_to_element', 100);
    t.string('return_to_user', 64);
    t.string('created_by', 64);
    t.bigInteger('created_at').notNullable();
    t.string('consumed_by', 64); // the user task key that took it
    // the task moved away under a completion mark (退回, jump back): the engine reports it cancelled
    // ("deleted", like any modification) and the ingest records it as decided
    t.string('from_task', 64);
    t.index(['case_id', 'element_id', 'consumed_by'], 'task_handovers_open');
    t.index(['from_task'], 'task_handovers_from');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('task_handovers');
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('owner');
    t.dropColumn('return_to_element');
    t.dropColumn('return_to_user');
  });
}
