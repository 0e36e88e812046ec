/**
 * Organisation tree, users and roles, refresh tokens, the audit log.
 * The tree keeps a materialised path ("/JN/JN-01/JN-01-01/") so "this unit and everything below it"
 * is one indexed prefix query. Cases and tasks carry their region codes (province/city/county), so
 * supervision scopes filter by indexed equality.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('org_units', (t) => {
    t.string('code', 32).primary(); // JN, JN-01, JN-01-01 (regions); JN-01-01.WR (departments)
    t.string('name', 100).notNullable();
    t.string('kind', 16).notNullable(); // region | department
    t.string('level', 16).notNullable(); // province | city | county (of the region it belongs to)
    t.string('region_code', 32).notNullable(); // the region itself, or the region of a department
    t.string('department', 16); // WR, NR, EE, ASC, SUP (departments only)
    t.string('parent_code', 32).references('code').inTable('org_units');
    t.string('path', 255).notNullable();
    t.index(['path'], 'org_units_path');
    t.index(['parent_code'], 'org_units_parent');
  });

  await knex.schema.createTable('users', (t) => {
    t.string('id', 64).primary();
    t.string('username', 64).notNullable().unique();
    t.string('display_name', 100).notNullable();
    t.string('unit_code', 32).notNullable().references('code').inTable('org_units');
    t.string('password_hash', 255).notNullable();
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.bigInteger('locked_until');
    t.boolean('active').notNullable().defaultTo(true);
    t.bigInteger('created_at').notNullable();
    t.index(['unit_code'], 'users_by_unit');
  });

  await knex.schema.createTable('user_roles', (t) => {
    t.string('user_id', 64).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('role', 32).notNullable();
    t.primary(['user_id', 'role']);
  });

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 64).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.string('family', 36).notNullable(); // one login's chain of rotated tokens
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('revoked_at');
    t.bigInteger('created_at').notNullable();
    t.index(['family'], 'refresh_tokens_family');
  });

  // Append-only; each row carries the hash of the previous one, so a removed or edited row shows.
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.string('actor', 64);
    t.string('action', 48).notNullable();
    t.string('subject', 32).notNullable();
    t.string('subject_id', 64);
    t.string('case_id', 36);
    t.text('reason');
    t.string('ip', 64);
    t.bigInteger('at').notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['case_id', 'id'], 'audit_by_case');
  });

  // Processes belong to a department: only its designers deploy new versions.
  await knex.schema.createTable('process_owners', (t) => {
    t.string('bpmn_process_id', 100).primary();
    t.string('department', 16).notNullable();
  });

  await knex.schema.alterTable('tasks', (t) => {
    t.string('province_code', 32);
    t.string('city_code', 32);
    t.string('county_code', 32);
    t.index(['province_code', 'state'], 'tasks_by_province');
    t.index(['city_code', 'state'], 'tasks_by_city');
    t.index(['county_code', 'state'], 'tasks_by_county');
  });
  await knex.schema.alterTable('cases', (t) => {
    t.string('region_code', 32); // where the application was filed: the window's region
  });
  await knex('cases').update({ region_code: knex.raw('coalesce(county_code, city_code, province_code)') });
  await knex.schema.alterTable('cases', (t) => {
    t.index(['region_code', 'submitted_at'], 'cases_by_region');
    t.index(['province_code', 'submitted_at'], 'cases_by_province');
    t.index(['city_code', 'submitted_at'], 'cases_by_city');
    t.index(['county_code', 'submitted_at'], 'cases_by_county');
    t.index(['submitted_by'], 'cases_by_submitter');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropIndex([], 'cases_by_province');
    t.dropIndex([], 'cases_by_city');
    t.dropIndex([], 'cases_by_county');
    t.dropIndex([], 'cases_by_submitter');
    t.dropIndex([], 'cases_by_region');
    t.dropColumn('region_code');
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex([], 'tasks_by_province');
    t.dropIndex([], 'tasks_by_city');
    t.dropIndex([], 'tasks_by_county');
    t.dropColumns('province_code', 'city_code', 'county_code');
  });
  for (const table of ['process_owners', 'audit_log', 'refresh_tokens', 'user_roles', 'users', 'org_units']) await knex.schema.dropTableIfExists(table);
}
