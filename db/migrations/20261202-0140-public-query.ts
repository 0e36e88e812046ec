/**
 * The applicant's status query without an account: one query code per case, kept only as a salted
 * slow hash (the clear code is printed on the receipt and shown once), with how often it was used.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('query_codes', (t) => {
    t.string('case_id', 36).primary().references('id').inTable('cases');
    t.string('code_hash', 128).notNullable(); // scrypt(code, salt), hex
    t.string('salt', 32).notNullable();
    t.string('issued_by', 64);
    t.bigInteger('issued_at').notNullable();
    t.integer('generation').notNullable().defaultTo(1); // a re-issue (lost receipt) replaces the code
    t.bigInteger('queries').notNullable().defaultTo(0);
    t.bigInteger('last_query_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('query_codes');
}
