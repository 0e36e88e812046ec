/**
 * The walking skeleton's tables: catalogue, case register, task table, timeline, engine bookkeeping.
 * Times are epoch ms (BIGINT); Zeebe keys are VARCHAR(20) (see backend/db/knex.ts).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('process_definitions', (t) => {
    t.string('definition_key', 20).primary();
    t.string('bpmn_process_id', 100).notNullable();
    t.integer('version').notNullable();
    t.string('resource_name', 200).notNullable();
    t.string('checksum', 64).notNullable();
    t.text('xml', 'longtext').notNullable();
    t.bigInteger('deployed_at').notNullable();
    t.unique(['bpmn_process_id', 'version']);
  });

  await knex.schema.createTable('service_items', (t) => {
    t.string('code', 64).primary();
    t.string('name', 200).notNullable();
    t.string('item_type', 32).notNullable(); // 行政许可 …
    t.string('department', 16).notNullable(); // WR, NR, EE …
    t.string('handling_level', 16).notNullable(); // county | city | province (where it is accepted)
    t.string('implementing_body', 200).notNullable();
    t.text('legal_basis').notNullable();
    t.integer('statutory_limit_days').notNullable();
    t.integer('promised_limit_days').notNullable();
    t.text('materials').notNullable(); // JSON: [{ name, required }]
    t.string('process_id', 100).notNullable();
    t.integer('process_version'); // null = latest deployed
    t.text('process_settings').notNullable(); // JSON: joint departments, lead, correction window
    t.boolean('active').notNullable().defaultTo(true);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('cases', (t) => {
    t.string('id', 36).primary(); // uuid: unique across databases sharing a broker
    t.string('case_no', 32).notNullable().unique();
    t.string('item_code', 64).notNullable().references('code').inTable('service_items');
    t.text('applicant').notNullable(); // JSON (encrypted at rest with the authorization issue)
    t.string('county_code', 32);
    t.string('city_code', 32);
    t.string('province_code', 32);
    // submitted: recorded, engine start pending · in_progress: process running · concluded
    t.string('status', 16).notNullable();
    t.string('result', 32); // granted | refused | not_accepted | withdrawn | cancelled
    t.string('awaiting', 64); // a message the process waits for (e.g. supplements)
    t.string('bpmn_process_id', 100).notNullable();
    t.integer('process_version');
    t.string('process_instance_key', 20).unique();
    t.string('idempotency_key', 100).unique();
    t.string('submitted_by', 64).notNullable();
    t.integer('start_attempts').notNullable().defaultTo(0);
    t.bigInteger('next_start_at'); // starter lease / back-off; null once started
    t.text('last_start_error');
    t.bigInteger('submitted_at').notNullable();
    t.bigInteger('started_at');
    t.bigInteger('concluded_at');
    t.index(['status', 'next_start_at'], 'cases_pending_start');
    t.index(['item_code', 'submitted_at'], 'cases_by_item');
  });

  await knex.schema.createTable('tasks', (t) => {
    t.string('user_task_key', 20).primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('process_instance_key', 20).notNullable();
    t.string('element_id', 100).notNullable();
    t.string('element_name', 200).notNullable();
    t.string('item_code', 64).notNullable(); // denormalised for queue filters
    t.text('candidate_groups').notNullable(); // JSON array, for display; queries use task_candidates
    t.text('candidate_users').notNullable();
    t.text('decisions').notNullable(); // JSON array of allowed decisions (task header `decisions`)
    t.integer('step_limit_days');
    t.string('assignee', 64);
    t.string('state', 16).notNullable(); // open | completed | canceled
    t.string('completing_by', 64); // set while a completion is sent to the engine
    t.string('decision', 32);
    t.text('opinion');
    t.string('completed_by', 64);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('claimed_at');
    t.bigInteger('ended_at');
    t.index(['state', 'assignee', 'created_at', 'user_task_key'], 'tasks_queue_assignee');
    t.index(['case_id', 'state'], 'tasks_by_case');
  });

  // One row per candidate so "tasks of my groups" is an indexed join, not a scan of JSON.
  await knex.schema.createTable('task_candidates', (t) => {
    t.string('user_task_key', 20).notNullable().references('user_task_key').inTable('tasks').onDelete('CASCADE');
    t.string('kind', 8).notNullable(); // group | user
    t.string('name', 100).notNullable();
    t.primary(['user_task_key', 'kind', 'name']);
    t.index(['kind', 'name', 'user_task_key'], 'task_candidates_lookup');
  });

  await knex.schema.createTable('case_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('type', 48).notNullable();
    t.string('actor', 64); // null = the engine / the system
    t.string('element_id', 100);
    t.string('user_task_key', 20);
    t.text('data'); // JSON
    t.bigInteger('at').notNullable();
    t.index(['case_id', 'id'], 'case_events_timeline');
  });

  // Highest engine record position applied per partition: the exporter delivers at least once.
  await knex.schema.createTable('engine_positions', (t) => {
    t.integer('partition_id').primary();
    t.string('position', 20).notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  // Named counters (daily case-number sequences): incremented under a row lock in the same
  // transaction as the insert, so two instances never hand out the same case number.
  await knex.schema.createTable('counters', (t) => {
    t.string('name', 64).primary();
    t.bigInteger('value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['counters', 'engine_positions', 'case_events', 'task_candidates', 'tasks', 'cases', 'service_items', 'process_definitions']) {
    await knex.schema.dropTableIfExists(table);
  }
}
