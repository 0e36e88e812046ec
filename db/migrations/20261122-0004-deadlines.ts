/**
 * Legal clocks kept by the back office (not by Zeebe timers, which know no working days and cannot
 * be moved once running): one row per clock, its due date on the working-day calendar, and the
 * next moment the scheduler must look at it (indexed, leased so several instances never fire twice).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clocks', (t) => {
    t.string('id', 64).primary(); // case:<caseId> (decision) · task:<userTaskKey> (step)
    t.string('kind', 16).notNullable(); // decision | step
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('user_task_key', 20);
    t.string('region_code', 32).notNullable(); // whose calendar counts
    t.integer('limit_days').notNullable();
    t.string('started_on', 10).notNullable(); // Beijing civil date; not counted itself
    t.string('due_on', 10).notNullable();
    t.bigInteger('due_at').notNullable(); // end of due_on, Beijing time
    t.bigInteger('warn_at').notNullable();
    t.string('state', 16).notNullable(); // running | paused | stopped
    t.string('paused_on', 10);
    t.integer('paused_days').notNullable().defaultTo(0);
    t.integer('extended_days').notNullable().defaultTo(0);
    t.string('level', 16).notNullable().defaultTo('none'); // none | warning | yellow | red
    t.bigInteger('next_check_at'); // null when nothing is left to fire
    t.bigInteger('lease_until');
    t.bigInteger('updated_at').notNullable();
    t.index(['next_check_at'], 'clocks_due_check');
    t.index(['case_id', 'kind'], 'clocks_by_case');
    t.index(['level', 'state'], 'clocks_by_level');
  });

  await knex.schema.createTable('clock_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('clock_id', 64).notNullable().references('id').inTable('clocks');
    t.string('type', 16).notNullable(); // pause | resume | extension | level
    t.string('actor', 64);
    t.text('reason');
    t.integer('days');
    t.string('level', 16);
    t.bigInteger('at').notNullable();
    t.index(['clock_id', 'id'], 'clock_events_by_clock');
  });
  // A level is reached once per clock: the unique index makes "fire exactly once" a database fact.
  await knex.schema.alterTable('clock_events', (t) => {
    t.string('once_key', 96).unique();
  });

  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').primary();
    t.string('user_id', 64).notNullable();
    t.string('type', 32).notNullable(); // urge | warning | yellow | red | supervision
    t.string('case_id', 36);
    t.string('user_task_key', 20);
    t.text('data').notNullable(); // JSON
    t.bigInteger('created_at').notNullable();
    t.bigInteger('read_at');
    t.index(['user_id', 'read_at', 'id'], 'notifications_inbox');
  });

  await knex.schema.createTable('urgings', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('user_task_key', 20).notNullable();
    t.string('urged_by', 64); // null = the system, at the warning threshold
    t.text('message').notNullable();
    t.bigInteger('at').notNullable();
    t.bigInteger('acknowledged_at');
    t.string('acknowledged_by', 64);
    t.index(['user_task_key'], 'urgings_by_task');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['urgings', 'notifications', 'clock_events', 'clocks']) await knex.schema.dropTableIfExists(table);
}
