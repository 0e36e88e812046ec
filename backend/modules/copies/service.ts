/**
 * 抄送 carbon copies: sending (to people, or to every active person of a department, expanded when
 * sent), the read receipt when a recipient opens the case, the receipts for those who read the
 * case, and "抄送我的" — the copies sent to me. Recipients are told at once (stored notification,
 * live to their sessions) and may open the case read-only.
 */
import type { Ctx, Identity } from '../../context.ts';
import type { DomainEvent } from '../../events.ts';
import { AppError, forbidden } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import { appendEvent } from '../cases/timeline.ts';
import { loadReadable } from '../cases/service.ts';
import { notify } from '../deadlines/notify.ts';
import type { CopyBody } from './schema.ts';

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

/** Everyone the copy goes to, each once, checked: known, active, in the case's province. */
async function recipients(ctx: Ctx, province: string | null, input: CopyBody): Promise<Array<{ userId: string; viaUnit: string | null }>> {
  const out = new Map<string, string | null>();
  const inProvince = (code: string) => province !== null && (code === province || code.startsWith(`${province}-`) || code.startsWith(`${province}.`));
  if (input.users.length) {
    const rows = await ctx.db('users').whereIn('id', input.users).andWhere('active', true).select('id', 'unit_code');
    const found = new Map(rows.map((r: { id: string; unit_code: string }) => [r.id, r.unit_code]));
    const bad = input.users.filter((u) => !found.has(u) || !inProvince(String(found.get(u))));
    if (bad.length) throw new AppError('VALIDATION_FAILED', `body.users: no active person ${bad.join(', ')} in this case's province`, bad.map((b) => ({ path: 'body.users', message: `unknown: ${b}` })));
    for (const u of input.users) out.set(u, null);
  }
  for (const unit of input.units) {
    const u = await ctx.db('org_units').where({ code: unit, kind: 'department' }).first('code');
    if (!u || !inProvince(unit)) throw new AppError('VALIDATION_FAILED', `body.units: ${unit} is not a department of this case's province`, [{ path: 'body.units', message: `unknown: ${unit}` }]);
    const people = await ctx.db('users').where({ unit_code: unit, active: true }).pluck('id');
    for (const p of people) if (!out.has(String(p))) out.set(String(p), unit);
  }
  return [...out].map(([userId, viaUnit]) => ({ userId, viaUnit }));
}

export async function copyCase(ctx: Ctx, who: Identity, caseId: string, input: CopyBody, ip: string | null) {
  const { row, may } = await loadReadable(ctx, who, caseId);
  if (!may('copy')) throw forbidden('only those who work this case copy it to others');
  const to = (await recipients(ctx, row.province_code, input)).filter((r) => r.userId !== who.userId);
  const at = ctx.clock.now();
  let added: string[] = [];
  let events: DomainEvent[] = [];
  await ctx.db.transaction(async (trx) => {
    const already = new Set((await trx('case_copies').where({ case_id: caseId }).whereIn('user_id', to.map((r) => r.userId)).pluck('user_id')).map(String));
    const fresh = to.filter((r) => !already.has(r.userId));
    if (fresh.length === 0) return; // a repeated copy: nothing new to send
    await trx('case_copies').insert(fresh.map((r) => ({ case_id: caseId, user_id: r.userId, via_unit: r.viaUnit, sent_by: who.userId, note: input.note || null, created_at: at })));
    added = fresh.map((r) => r.userId);
    await appendEvent(trx, { caseId, type: 'case.copied', actor: who.userId, data: { users: input.users, units: input.units, recipients: added, ...(input.note ? { message: input.note } : {}) }, at });
    await appendAudit(trx, { actor: who.userId, action: 'case.copy', subject: 'Case', subjectId: caseId, caseId, reason: `to ${added.join(', ')}${input.note ? `: ${input.note}` : ''}`, ip, at });
    events = await notify(trx, added, { kind: 'case.copied', caseId, userTaskKey: null, data: { caseNo: row.case_no, by: who.userId, note: input.note }, at });
  });
  ctx.events.publish(events);
  ctx.log.info({ caseId, recipients: added.length }, 'case copied');
  return { added, receipts: await receiptsOf(ctx, caseId) };
}

async function receiptsOf(ctx: Ctx, caseId: string) {
  const rows = await ctx.db('case_copies as cc')
    .leftJoin('users as ru', 'ru.id', 'cc.user_id')
    .leftJoin('users as su', 'su.id', 'cc.sent_by')
    .leftJoin('org_units as vu', 'vu.code', 'cc.via_unit')
    .where('cc.case_id', caseId)
    .orderBy('cc.id')
    .select('cc.*', 'ru.display_name as user_name', 'su.display_name as sent_by_name', 'vu.name as via_unit_name');
  return rows.map((r) => ({ userId: String(r.user_id), userName: r.user_name ?? null, viaUnit: r.via_unit ?? null, viaUnitName: r.via_unit_name ?? null, sentBy: String(r.sent_by), sentByName: r.sent_by_name ?? null, note: r.note ?? '', sentAt: iso(r.created_at), readAt: iso(r.read_at) }));
}

export async function caseReceipts(ctx: Ctx, who: Identity, caseId: string) {
  await loadReadable(ctx, who, caseId);
  return { items: await receiptsOf(ctx, caseId) };
}

/** The read receipt: the first time the recipient opens the case (later opens change nothing). */
export async function markCopyRead(ctx: Ctx, who: Identity, caseId: string) {
  await loadReadable(ctx, who, caseId);
  const at = ctx.clock.now();
  let first = false;
  await ctx.db.transaction(async (trx) => {
    const changed = await trx('case_copies').where({ case_id: caseId, user_id: who.userId }).whereNull('read_at').update({ read_at: at });
    if (changed === 0) return;
    first = true;
    await appendEvent(trx, { caseId, type: 'case.copy_read', actor: who.userId, at });
  });
  return { read: first };
}

/** 抄送我的: newest first. */
export async function myCopies(ctx: Ctx, who: Identity, unreadOnly: boolean) {
  const q = ctx.db('case_copies as cc').join('cases', 'cases.id', 'cc.case_id').leftJoin('users as su', 'su.id', 'cc.sent_by').leftJoin('service_items as si', 'si.code', 'cases.item_code').where('cc.user_id', who.userId).orderBy('cc.id', 'desc').limit(200).select('cc.*', 'cases.case_no', 'cases.item_code', 'cases.status', 'su.display_name as sent_by_name', 'si.name as item_name');
  if (unreadOnly) void q.whereNull('cc.read_at');
  const rows = await q;
  return { items: rows.map((r) => ({ caseId: String(r.case_id), caseNo: String(r.case_no), itemCode: String(r.item_code), status: String(r.status), itemName: r.item_name ?? null, sentBy: String(r.sent_by), sentByName: r.sent_by_name ?? null, viaUnit: r.via_unit ?? null, note: r.note ?? '', sentAt: iso(r.created_at), readAt: iso(r.read_at) })) };
}
