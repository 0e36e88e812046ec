/**
 * Rows for append-only tables (the timeline, task candidates) that a transaction collects and writes
 * with one multi-row INSERT per table just before it commits, instead of one round trip per row.
 * The engine ingest applies a whole exporter batch in one transaction and every step of every case
 * waits for that commit, so its round trips are the back office's latency.
 *
 * Only a transaction that opted in (`collectInserts`) defers; every other caller of `insertRows`
 * writes at once, as before. Deferred rows get their ids at the flush, in the order they were
 * added; nothing may read them back inside the transaction, which holds for the tables routed here
 * (nobody reads the timeline or the candidates during an ingest). A write that changes such rows
 * (a candidate row follows its task's state) calls `updateCollected` as well as its UPDATE, so a
 * task created and closed within one batch is not written back as open at the flush.
 */
import type { Knex } from 'knex';

type Row = Record<string, unknown>;

const pending = new WeakMap<Knex, Map<string, Row[]>>();

/** SQLite allows 32,766 bound values per statement; a timeline row has 7 columns. */
const CHUNK = 500;

export function collectInserts(trx: Knex.Transaction): void {
  pending.set(trx, new Map());
}

export async function insertRows(db: Knex, table: string, rows: Row | Row[]): Promise<void> {
  const list = Array.isArray(rows) ? rows : [rows];
  if (list.length === 0) return;
  const collected = pending.get(db);
  if (!collected) {
    await db(table).insert(list);
    return;
  }
  const into = collected.get(table);
  if (into) into.push(...list);
  else collected.set(table, [...list]);
}

/** Applies `set` to the rows of `table` still waiting in this transaction that `match`. */
export function updateCollected(db: Knex, table: string, match: Row, set: Row): void {
  const rows = pending.get(db)?.get(table);
  if (!rows) return;
  for (const row of rows) if (Object.entries(match).every(([k, v]) => row[k] === v)) Object.assign(row, set);
}

/** Writes what was collected, table by table in the order each table was first written to. */
export async function flushInserts(trx: Knex.Transaction): Promise<void> {
  const collected = pending.get(trx);
  if (!collected) return;
  pending.delete(trx);
  for (const [table, rows] of collected) {
    for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
  }
}
