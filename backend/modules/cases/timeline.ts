/** The case timeline (全程留痕): append-only; every state change of a case or its tasks lands here. */
import type { Db, Trx } from '../../db/knex.ts';
import { json } from '../../context.ts';
import { insertRows } from '../../db/batch.ts';

export interface TimelineEntry {
  caseId: string;
  type: string;
  actor?: string | null;
  elementId?: string | null;
  userTaskKey?: string | null;
  data?: Record<string, unknown>;
  at: number;
}

/** Written at once, or with the transaction's other rows when it collects inserts (db/batch.ts). */
export async function appendEvent(trx: Trx | Db, e: TimelineEntry): Promise<void> {
  await insertRows(trx, 'case_events', {
    case_id: e.caseId,
    type: e.type,
    actor: e.actor ?? null,
    element_id: e.elementId ?? null,
    user_task_key: e.userTaskKey ?? null,
    data: e.data ? json.stringify(e.data) : null,
    at: e.at,
  });
}

/** Entries with the actor's display name beside the id: people read names, not account codes. */
export async function timelineOf(db: Db, caseId: string) {
  const rows = await db('case_events as e').leftJoin('users as u', 'u.id', 'e.actor').where('e.case_id', caseId).orderBy('e.id', 'asc').select('e.*', 'u.display_name as actor_name');
  return rows.map((r) => ({
    id: Number(r.id),
    type: String(r.type),
    actor: r.actor ?? null,
    actorName: r.actor_name ?? null,
    elementId: r.element_id ?? null,
    userTaskKey: r.user_task_key ?? null,
    data: json.parse<Record<string, unknown> | null>(r.data, null),
    at: new Date(Number(r.at)).toISOString(),
  }));
}
