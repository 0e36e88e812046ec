/**
 * 加签 on an ordinary step: the person added as a signer holds the same task for a while — before the
 * holder decides (前加签, the engine's delegation: it comes back) or after the holder's decision
 * (后加签: the signer has the last word). The row remembers who signs, in which position and for whom,
 * so the signer may act on a step their own groups do not name, and the UI can say why they hold it.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.string('signer', 64);
    t.string('sign_position', 8); // before | after
    t.string('sign_by', 64); // the holder who added the signer
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('sign_by');
    t.dropColumn('sign_position');
    t.dropColumn('signer');
  });
}
