/** 督办: formal supervision orders with a reply-by date, tracked until closed, escalated when late. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('supervision_orders', (t) => {
    t.bigIncrements('id').primary();
    t.string('case_id', 36).notNullable().references('id').inTable('cases');
    t.string('opened_by', 64).notNullable();
    t.string('responsible_unit', 32).notNullable().references('code').inTable('org_units');
    t.text('instructions').notNullable();
    t.string('reply_by', 10).notNullable(); // Beijing civil date
    t.bigInteger('reply_due_at').notNullable(); // end of that day
    t.string('state', 16).notNullable(); // open | replied | closed
    t.text('reply');
    t.string('replied_by', 64);
    t.bigInteger('replied_at');
    t.string('closed_by', 64);
    t.bigInteger('closed_at');
    t.bigInteger('escalated_at'); // set once, when the reply-by date passed without a reply
    t.bigInteger('created_at').notNullable();
    t.index(['state', 'reply_due_at'], 'supervision_orders_due');
    t.index(['case_id'], 'supervision_orders_by_case');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('supervision_orders');
}
