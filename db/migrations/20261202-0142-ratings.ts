/**
 * 好差评 (GB/T 39734-2020): the applicant's rating of a case's services, one per case and service and
 * never changed by staff; a 差评 opens a rectification with its own two dates (核实 by, 整改 by),
 * escalated yellow / red like a supervision order.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ratings', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('service', 16).notNullable(); // window | decision
    t.integer('score').notNullable(); // 5 非常满意 … 1 非常不满意
    t.text('aspects').notNullable(); // JSON: the optional items rated
    t.text('comment');
    t.string('unit_code', 32).notNullable(); // the responsible unit
    t.string('item_code', 64).notNullable();
    t.string('province_code', 32);
    t.string('city_code', 32);
    t.string('county_code', 32);
    t.bigInteger('rated_at').notNullable();
    t.unique(['case_id', 'service'], { indexName: 'ratings_once' });
    t.index(['unit_code', 'score'], 'ratings_by_unit');
    t.index(['item_code', 'score'], 'ratings_by_item');
  });
  await knex.schema.createTable('rectifications', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('rating_id').unsigned().notNullable().unique().references('id').inTable('ratings');
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('unit_code', 32).notNullable();
    t.string('province_code', 32);
    t.string('city_code', 32);
    t.string('county_code', 32);
    t.string('state', 16).notNullable(); // open | verified | answered | rectified
    t.text('finding'); // 核实
    t.text('answer'); // to the applicant
    t.text('measures'); // 整改
    t.string('verify_by', 10).notNullable();
    t.bigInteger('verify_due_at').notNullable();
    t.string('rectify_by', 10).notNullable();
    t.bigInteger('rectify_due_at').notNullable();
    t.bigInteger('verified_at');
    t.bigInteger('answered_at');
    t.bigInteger('rectified_at');
    t.string('handled_by', 64);
    t.boolean('applicant_accepted'); // null: not said
    t.bigInteger('applicant_said_at');
    t.string('level', 16).notNullable().defaultTo('none'); // none | yellow | red
    t.bigInteger('created_at').notNullable();
    t.index(['state', 'level'], 'rectifications_open');
    t.index(['unit_code'], 'rectifications_by_unit');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rectifications');
  await knex.schema.dropTableIfExists('ratings');
}
