/**
 * 等保 2.0 level 3 hardening: what a login needs to be counted, changed and second-factored; the
 * history that keeps old passwords from coming back; four-eyes change requests for live processes;
 * absolute session lifetimes; and the short deny-list of access tokens revoked before they expire.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('lockouts').notNullable().defaultTo(0); // successive locks: each doubles the next (back-off)
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.bigInteger('password_changed_at');
    t.text('totp_secret'); // sealed with the data key ring, never in clear
    t.boolean('totp_enabled').notNullable().defaultTo(false);
    t.bigInteger('totp_last_step'); // a code is accepted once: replay refused
  });
  // Existing accounts keep working but count as changed now, so expiry starts from the upgrade.
  await knex('users').update({ password_changed_at: Date.now() });

  await knex.schema.createTable('password_history', (t) => {
    t.bigIncrements('id').primary();
    t.string('user_id', 64).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('password_hash', 255).notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['user_id', 'id'], 'password_history_by_user');
  });

  await knex.schema.alterTable('refresh_tokens', (t) => {
    t.bigInteger('session_started_at'); // the login's start: the absolute lifetime counts from here
  });

  await knex.schema.createTable('revoked_access_tokens', (t) => {
    t.string('jti', 36).primary();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at'], 'revoked_access_tokens_by_expiry');
  });

  // 四眼原则: a change to a live item's process waits here for a second person.
  await knex.schema.createTable('change_requests', (t) => {
    t.string('id', 36).primary();
    t.string('kind', 16).notNullable(); // deploy | bind
    t.string('department', 32).notNullable();
    t.string('region_code', 32).notNullable();
    t.string('summary', 255).notNullable();
    t.text('payload', 'longtext').notNullable();
    t.string('state', 16).notNullable(); // pending | approved | rejected
    t.string('requested_by', 64).notNullable();
    t.bigInteger('requested_at').notNullable();
    t.string('decided_by', 64);
    t.bigInteger('decided_at');
    t.text('decision_note');
    t.index(['state', 'department'], 'change_requests_by_state');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('change_requests');
  await knex.schema.dropTableIfExists('revoked_access_tokens');
  await knex.schema.alterTable('refresh_tokens', (t) => {
    t.dropColumn('session_started_at');
  });
  await knex.schema.dropTableIfExists('password_history');
  await knex.schema.alterTable('users', (t) => {
    for (const c of ['lockouts', 'must_change_password', 'password_changed_at', 'totp_secret', 'totp_enabled', 'totp_last_step']) t.dropColumn(c);
  });
}
