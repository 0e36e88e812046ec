/**
 * 督办 supervision orders: a supervisor instructs the responsible unit on a case with a reply-by
 * date; the unit replies; the supervisor closes it. When the reply-by date passes without a reply the
 * order escalates once, and a case that is already yellow turns red (the red card).
 */
import type { Ctx, Identity } from '../../context.ts';
import type { Trx } from '../../db/knex.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';
import { regionsOf, type DomainEvent } from '../../events.ts';
import { appendEvent } from '../cases/timeline.ts';
import { loadReadable } from '../cases/service.ts';
import { beijingDate, endOfBeijingDay } from '../calendar/index.ts';
import { findUnit } from '../org/service.ts';
import { notify } from './notify.ts';
import { mirrorOnTask } from './commands.ts';

async function leadersOf(trx: Trx | Ctx['db'], unitCode: string): Promise<string[]> {
  const rows = await trx('users').join('user_roles', 'user_roles.user_id', 'users.id').where({ 'users.unit_code': unitCode, 'users.active': true }).whereIn('user_roles.role', ['leader', 'section_head']).distinct('users.id');
  return rows.map((r: { id: string }) => r.id);
}

export async function openOrder(ctx: Ctx, who: Identity, caseId: string, input: { unitCode: string; instructions: string; replyBy: string }) {
  const { row, may } = await loadReadable(ctx, who, caseId);
  if (!may('supervise')) throw forbidden('only supervisors of this case’s region open supervision orders');
  const unit = await findUnit(ctx.db, input.unitCode);
  if (!unit || unit.kind !== 'department') throw new AppError('VALIDATION_FAILED', `body.unitCode: ${input.unitCode} is not a department`, [{ path: 'body.unitCode', message: 'a department unit' }]);
  const regions = regionsOf(row);
  if (!regions.includes(unit.regionCode)) throw new AppError('VALIDATION_FAILED', `body.unitCode: ${input.unitCode} does not handle this case’s region`, [{ path: 'body.unitCode', message: 'a unit of the case’s region' }]);
  const now = ctx.clock.now();
  if (input.replyBy < beijingDate(now)) throw new AppError('VALIDATION_FAILED', 'body.replyBy: the reply-by date is in the past', [{ path: 'body.replyBy', message: 'today or later' }]);
  let id = 0;
  let events: DomainEvent[] = [];
  await ctx.db.transaction(async (trx) => {
    const [inserted] = await trx('supervision_orders').insert({ case_id: caseId, opened_by: who.userId, responsible_unit: unit.code, instructions: input.instructions, reply_by: input.replyBy, reply_due_at: endOfBeijingDay(input.replyBy), state: 'open', created_at: now }, ['id']);
    id = Number(typeof inserted === 'object' ? (inserted as { id: number }).id : inserted);
    await appendEvent(trx, { caseId, type: 'supervision.opened', actor: who.userId, data: { orderId: id, unit: unit.code, replyBy: input.replyBy, instructions: input.instructions }, at: now });
    events = await notify(trx, await leadersOf(trx, unit.code), { kind: 'supervision', caseId, userTaskKey: null, data: { orderId: id, caseNo: row.case_no, instructions: input.instructions, replyBy: input.replyBy }, at: now });
  });
  ctx.events.publish(events);
  return orderView(ctx, id);
}

async function loadOrder(ctx: Ctx, who: Identity, id: number) {
  const o = await ctx.db('supervision_orders').where({ id }).first();
  if (!o) throw notFound('supervision order', String(id));
  const { may } = await loadReadable(ctx, who, String(o.case_id)).catch(() => ({ may: () => false }));
  const ofUnit = who.unitCode === o.responsible_unit;
  if (!may('read') && !ofUnit) throw notFound('supervision order', String(id));
  return { o, may, ofUnit };
}

export async function replyOrder(ctx: Ctx, who: Identity, id: number, reply: string) {
  const { o, ofUnit } = await loadOrder(ctx, who, id);
  if (!ofUnit || !(who.roles.includes('leader') || who.roles.includes('section_head'))) throw forbidden('the responsible unit’s heads and leaders reply');
  if (o.state !== 'open') throw conflict(`the order is ${o.state}`);
  const now = ctx.clock.now();
  let events: DomainEvent[] = [];
  await ctx.db.transaction(async (trx) => {
    await trx('supervision_orders').where({ id, state: 'open' }).update({ state: 'replied', reply, replied_by: who.userId, replied_at: now });
    await appendEvent(trx, { caseId: o.case_id, type: 'supervision.replied', actor: who.userId, data: { orderId: id, reply }, at: now });
    // the supervisor who opened it hears the reply at once (and finds it in the inbox)
    events = await notify(trx, [o.opened_by], { kind: 'supervision.replied', caseId: o.case_id, userTaskKey: null, data: { orderId: id, reply, by: who.userId }, at: now });
  });
  ctx.events.publish(events);
  return orderView(ctx, id);
}

export async function closeOrder(ctx: Ctx, who: Identity, id: number) {
  const { o, may } = await loadOrder(ctx, who, id);
  if (!may('supervise')) throw forbidden('only supervisors of this case’s region close supervision orders');
  if (o.state === 'closed') throw conflict('the order is already closed');
  const now = ctx.clock.now();
  let events: DomainEvent[] = [];
  await ctx.db.transaction(async (trx) => {
    await trx('supervision_orders').where({ id }).whereNot({ state: 'closed' }).update({ state: 'closed', closed_by: who.userId, closed_at: now });
    await appendEvent(trx, { caseId: o.case_id, type: 'supervision.closed', actor: who.userId, data: { orderId: id }, at: now });
    events = await notify(trx, await leadersOf(trx, o.responsible_unit), { kind: 'supervision.closed', caseId: o.case_id, userTaskKey: null, data: { orderId: id, by: who.userId }, at: now });
  });
  ctx.events.publish(events);
  return orderView(ctx, id);
}

/**
 * The orders of a case, for its page: everyone who reads the case sees them; each says whether the
 * reader may reply (the responsible unit's heads and leaders, while open) or close it (a supervisor).
 */
export async function ordersOfCase(ctx: Ctx, who: Identity, caseId: string) {
  const { may } = await loadReadable(ctx, who, caseId);
  const rows = await ctx.db('supervision_orders').where({ case_id: caseId }).orderBy('id').select('id');
  const replier = who.roles.includes('leader') || who.roles.includes('section_head');
  const items = await Promise.all(rows.map((r) => orderView(ctx, Number(r.id))));
  return { items: items.map((o) => ({ ...o, mayReply: o.state === 'open' && replier && who.unitCode === o.unitCode, mayClose: o.state !== 'closed' && may('supervise') })) };
}

export async function orderView(ctx: Ctx, id: number) {
  const o = await ctx.db('supervision_orders as so')
    .leftJoin('users as ob', 'ob.id', 'so.opened_by')
    .leftJoin('users as rb', 'rb.id', 'so.replied_by')
    .leftJoin('org_units as ru', 'ru.code', 'so.responsible_unit')
    .where('so.id', id)
    .first('so.*', 'ob.display_name as opened_by_name', 'rb.display_name as replied_by_name', 'ru.name as unit_name');
  // names beside the codes: the page shows people and departments by name
  return { id: Number(o.id), caseId: o.case_id, openedBy: o.opened_by, openedByName: o.opened_by_name ?? null, openedAt: new Date(Number(o.created_at)).toISOString(), repliedBy: o.replied_by ?? null, repliedByName: o.replied_by_name ?? null, unitCode: o.responsible_unit, unitName: o.unit_name ?? null, instructions: o.instructions, replyBy: o.reply_by, state: o.state, reply: o.reply ?? null, escalated: o.escalated_at !== null && o.escalated_at !== undefined };
}

/**
 * Orders whose reply-by date passed unanswered escalate once; each yellow clock of their case turns
 * red once (the same unique key as the other levels).
 */
export async function escalateLateOrders(ctx: Ctx, now: number): Promise<{ fired: number; events: DomainEvent[] }> {
  const late = await ctx.db('supervision_orders').where({ state: 'open' }).whereNull('escalated_at').andWhere('reply_due_at', '<', now).limit(100);
  const events: DomainEvent[] = [];
  let fired = 0;
  for (const o of late) {
    await ctx.db.transaction(async (trx) => {
      const claimed = await trx('supervision_orders').where({ id: o.id, state: 'open' }).whereNull('escalated_at').update({ escalated_at: now });
      if (claimed === 0) return; // another instance got it
      const c = await trx('cases').where({ id: o.case_id }).first();
      await appendEvent(trx, { caseId: o.case_id, type: 'supervision.escalated', data: { orderId: Number(o.id), replyBy: o.reply_by }, at: now });
      const recipients = [o.opened_by, ...(await leadersOf(trx, o.responsible_unit))];
      events.push(...(await notify(trx, recipients, { kind: 'supervision.escalated', caseId: o.case_id, userTaskKey: null, data: { orderId: Number(o.id), caseNo: c.case_no, replyBy: o.reply_by }, at: now })));
      const yellow = await trx('clocks').where({ case_id: o.case_id, level: 'yellow' }).whereNot({ state: 'stopped' });
      for (const k of yellow) {
        await trx('clock_events').insert({ clock_id: k.id, type: 'level', level: 'red', at: now, once_key: `${k.id}:red` }).onConflict('once_key').ignore();
        if (Number((await trx('clock_events').where({ once_key: `${k.id}:red` }).first('at'))?.at) !== now) continue;
        fired++;
        await trx('clocks').where({ id: k.id }).update({ level: 'red', updated_at: now });
        await mirrorOnTask(trx, k.user_task_key, { level: 'red' });
        await appendEvent(trx, { caseId: o.case_id, type: 'deadline.red', userTaskKey: k.user_task_key, data: { clock: k.kind, orderId: Number(o.id) }, at: now });
        const task = k.user_task_key ? await trx('tasks').where({ user_task_key: k.user_task_key }).first() : null;
        events.push({ type: 'deadline.level', caseId: o.case_id, caseNo: c.case_no, clockId: k.id, kind: k.kind, level: 'red', dueOn: k.due_on, userTaskKey: k.user_task_key, candidateGroups: task ? (JSON.parse(task.candidate_groups) as string[]) : [], assignee: task?.assignee ?? null, regions: regionsOf(c) });
      }
    });
  }
  return { fired, events };
}
