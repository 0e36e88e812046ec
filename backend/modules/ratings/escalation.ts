/**
 * Late rectifications turn yellow when the 核实 date passes unverified and red when the 整改 date
 * passes unrectified — each once, stored, on the timeline and pushed live to the responsible unit's
 * heads and leaders and to the supervisors above the case, as a supervision order escalates.
 * Run by the deadline scheduler's sweep.
 */
import type { Ctx } from '../../context.ts';
import { regionsOf, type DomainEvent } from '../../events.ts';
import { appendEvent } from '../cases/timeline.ts';

const RANK = { none: 0, yellow: 1, red: 2 } as const;
type RectLevel = keyof typeof RANK;

export function levelOf(r: { state: string; verify_due_at: number; rectify_due_at: number }, now: number): RectLevel {
  if (r.state === 'rectified') return 'none';
  if (now > r.rectify_due_at) return 'red';
  if (r.state === 'open' && now > r.verify_due_at) return 'yellow';
  return 'none';
}

export async function escalateRectifications(ctx: Ctx, now: number): Promise<{ fired: number; events: DomainEvent[] }> {
  const candidates = await ctx.db('rectifications')
    .join('cases', 'cases.id', 'rectifications.case_id')
    .whereNot('rectifications.state', 'rectified')
    .whereNot('rectifications.level', 'red')
    .andWhere((q) => q.where('rectifications.verify_due_at', '<', now).orWhere('rectifications.rectify_due_at', '<', now))
    .limit(200)
    .select('rectifications.*', 'cases.case_no');
  const events: DomainEvent[] = [];
  let fired = 0;
  for (const r of candidates) {
    const from = String(r.level) as RectLevel;
    const to = levelOf({ state: String(r.state), verify_due_at: Number(r.verify_due_at), rectify_due_at: Number(r.rectify_due_at) }, now);
    if (RANK[to] <= RANK[from]) continue;
    await ctx.db.transaction(async (trx) => {
      // compare-and-set: with several instances sweeping, one raises the level
      const n = await trx('rectifications').where({ id: r.id, level: from }).update({ level: to });
      if (n === 0) return;
      fired++;
      await appendEvent(trx, { caseId: String(r.case_id), type: `rectification.${to}`, data: { rectificationId: Number(r.id), dueOn: to === 'red' ? r.rectify_by : r.verify_by }, at: now });
      events.push({ type: 'rectification.level', rectificationId: Number(r.id), caseId: String(r.case_id), caseNo: String(r.case_no), level: to as 'yellow' | 'red', unitCode: String(r.unit_code), dueOn: String(to === 'red' ? r.rectify_by : r.verify_by), regions: regionsOf(r) });
    });
  }
  return { fired, events };
}
