/**
 * 挂起 / 激活 and 终止 of a whole case (issue 12). The suspension lives on the case row because every
 * task command must refuse while it holds, with its reason; `suspended_clock` says whether the
 * suspension also paused the decision clock (only a special procedure does — 行政许可法 art. 45).
 * The termination is recorded before the engine is asked, so the concluding feed event (and the
 * applicant's notice) knows why the case ended and which result it has.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.bigInteger('suspended_at');
    t.string('suspended_by', 64);
    t.text('suspend_reason');
    t.string('suspend_procedure', 32);
    t.boolean('suspended_clock').notNullable().defaultTo(false);
    t.string('termination_kind', 16); // withdrawn | statutory
    t.text('termination_reason');
    t.string('terminated_by', 64);
    t.bigInteger('terminated_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    for (const c of ['suspended_at', 'suspended_by', 'suspend_reason', 'suspend_procedure', 'suspended_clock', 'termination_kind', 'termination_reason', 'terminated_by', 'terminated_at']) t.dropColumn(c);
  });
}
