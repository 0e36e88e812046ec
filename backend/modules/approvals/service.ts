/**
 * Change requests (四眼原则). A module that changes how live cases are handled registers an applier
 * for its kind; when its change touches a live item it files a request instead of applying, and the
 * change happens only when a second person approves. Requests, approvals and refusals are audited.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx, Identity } from '../../context.ts';
import { conflict, forbidden, notFound } from '../../errors.ts';
import { abilityFor, subjectOf } from '../../authz/ability.ts';
import { appendAudit } from '../audit/service.ts';

export type ChangeKind = 'deploy' | 'bind';
type Applier = (ctx: Ctx, requester: string, payload: Record<string, unknown>, ip: string | null) => Promise<unknown>;
const appliers = new Map<ChangeKind, Applier>();

export function registerApplier(kind: ChangeKind, apply: Applier): void {
  appliers.set(kind, apply);
}

export interface ChangeRequestView {
  id: string;
  kind: ChangeKind;
  department: string;
  regionCode: string;
  summary: string;
  state: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

const view = (r: Record<string, unknown>): ChangeRequestView => ({
  id: String(r.id),
  kind: r.kind as ChangeKind,
  department: String(r.department),
  regionCode: String(r.region_code),
  summary: String(r.summary),
  state: r.state as ChangeRequestView['state'],
  requestedBy: String(r.requested_by),
  requestedAt: new Date(Number(r.requested_at)).toISOString(),
  decidedBy: r.decided_by ? String(r.decided_by) : null,
  decidedAt: r.decided_at ? new Date(Number(r.decided_at)).toISOString() : null,
  decisionNote: r.decision_note ? String(r.decision_note) : null,
});

/** Active catalogue items that start one of these processes: changing them changes live handling. */
export async function liveItemsOf(ctx: Ctx, processIds: string[]): Promise<string[]> {
  return (await ctx.db('service_items').whereIn('process_id', processIds).where({ active: true }).pluck('code')).map(String);
}

export async function requestChange(ctx: Ctx, who: Identity, input: { kind: ChangeKind; department: string; summary: string; payload: Record<string, unknown>; ip: string | null }): Promise<ChangeRequestView> {
  const id = randomUUID();
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    await trx('change_requests').insert({ id, kind: input.kind, department: input.department, region_code: who.regionCode, summary: input.summary.slice(0, 255), payload: JSON.stringify(input.payload), state: 'pending', requested_by: who.userId, requested_at: at });
    await appendAudit(trx, { actor: who.userId, action: 'change.requested', subject: 'ChangeRequest', subjectId: id, reason: `${input.kind}: ${input.summary}`.slice(0, 500), ip: input.ip, at });
  });
  return view((await ctx.db('change_requests').where({ id }).first()) as Record<string, unknown>);
}

export async function listChangeRequests(ctx: Ctx, who: Identity): Promise<ChangeRequestView[]> {
  const ability = abilityFor(who);
  const rows = await ctx.db('change_requests').where({ region_code: who.regionCode }).orderBy('requested_at', 'desc').limit(200);
  return rows.map(view).filter((r) => ability.can('read', subjectOf('ChangeRequest', { ...r })));
}

async function decidable(ctx: Ctx, who: Identity, id: string): Promise<Record<string, unknown>> {
  const row = (await ctx.db('change_requests').where({ id }).first()) as Record<string, unknown> | undefined;
  const ability = abilityFor(who);
  const fields = row ? { department: String(row.department), regionCode: String(row.region_code) } : null;
  if (!row || !fields || !ability.can('read', subjectOf('ChangeRequest', fields))) throw notFound('change request', id);
  if (!ability.can('approve', subjectOf('ChangeRequest', fields))) throw forbidden(`only designers and leaders of department ${fields.department} decide this request`);
  if (String(row.requested_by) === who.userId) throw forbidden('a second person must approve: you filed this request yourself');
  if (row.state !== 'pending') throw conflict(`this request is already ${String(row.state)}`);
  return row;
}

export async function approveChange(ctx: Ctx, who: Identity, id: string, ip: string | null): Promise<{ request: ChangeRequestView; result: unknown }> {
  const row = await decidable(ctx, who, id);
  const at = ctx.clock.now();
  // claim the decision first, so two approvers at once apply it once
  const claimed = await ctx.db('change_requests').where({ id, state: 'pending' }).update({ state: 'approved', decided_by: who.userId, decided_at: at });
  if (Number(claimed) !== 1) throw conflict('this request was decided a moment ago');
  const apply = appliers.get(row.kind as ChangeKind);
  let result: unknown;
  try {
    if (!apply) throw new Error(`no applier for ${String(row.kind)}`);
    result = await apply(ctx, String(row.requested_by), JSON.parse(String(row.payload)) as Record<string, unknown>, ip);
  } catch (err) {
    await ctx.db('change_requests').where({ id }).update({ state: 'pending', decided_by: null, decided_at: null });
    throw err;
  }
  await appendAudit(ctx.db, { actor: who.userId, action: 'change.approved', subject: 'ChangeRequest', subjectId: id, reason: `${String(row.kind)}: ${String(row.summary)} (requested by ${String(row.requested_by)})`.slice(0, 500), ip, at });
  return { request: view((await ctx.db('change_requests').where({ id }).first()) as Record<string, unknown>), result };
}

export async function rejectChange(ctx: Ctx, who: Identity, id: string, note: string, ip: string | null): Promise<ChangeRequestView> {
  await decidable(ctx, who, id);
  const at = ctx.clock.now();
  const done = await ctx.db('change_requests').where({ id, state: 'pending' }).update({ state: 'rejected', decided_by: who.userId, decided_at: at, decision_note: note });
  if (Number(done) !== 1) throw conflict('this request was decided a moment ago');
  await appendAudit(ctx.db, { actor: who.userId, action: 'change.rejected', subject: 'ChangeRequest', subjectId: id, reason: note, ip, at });
  return view((await ctx.db('change_requests').where({ id }).first()) as Record<string, unknown>);
}
