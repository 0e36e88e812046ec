/**
 * Fires warning / yellow levels when clocks reach them. Safe with several instances: a clock is
 * leased with a conditional UPDATE before it is looked at, and each level is written once under a
 * unique key, so a restart or a second instance neither loses a pending level nor fires it twice.
 * A step whose setting says so is then decided by the system (operations/timeout.ts), on the same
 * sweep, from a row written with the yellow level.
 */
import { PollingLoop } from '../../polling.ts';
import { lostLockRace } from '../../db/knex.ts';
import type { Ctx } from '../../context.ts';
import type { DomainEvent } from '../../events.ts';
import { regionsOf } from '../../events.ts';
import { appendEvent } from '../cases/timeline.ts';
import { LEVEL_ORDER, levelAt, type Level } from './clock-math.ts';
import { holdersOf, notify, urge } from './notify.ts';
import { escalateLateOrders } from './supervision.ts';
import { escalateRectifications } from '../ratings/escalation.ts';
import { mirrorOnTask } from './commands.ts';
import { alertUnpublishedYear } from './provisional.ts';
import { runTimeoutActions, scheduleTimeoutAction, timeoutActionOf, type TimeoutAction } from '../operations/index.ts';

const LEASE_MS = 30_000;

export class DeadlineScheduler {
  private readonly loop: PollingLoop;

  constructor(private readonly ctx: Ctx) {
    this.loop = new PollingLoop('deadline', ctx.config.DEADLINE_POLL_MS, () => ctx.metrics.timeSweep('deadline', () => this.tick()), ctx.log);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One sweep; returns the levels fired (tests call it directly on a controlled clock). */
  async tick(): Promise<number> {
    const { db, clock } = this.ctx;
    const now = clock.now();
    const due = await db('clocks').where('state', 'running').andWhere('next_check_at', '<=', now).andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now)).orderBy('next_check_at').limit(100).pluck('id');
    let fired = 0;
    for (const id of due) {
      let leased: number;
      try {
        leased = await db('clocks').where({ id, state: 'running' }).andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now)).update({ lease_until: now + LEASE_MS });
      } catch (err) {
        if (lostLockRace(err)) continue; // another instance is at this clock right now
        throw err;
      }
      if (leased === 0) continue;
      // the step's 超时自动处理 setting, read outside the transaction (it may load the diagram)
      const pre = await db('clocks').where({ id }).first('kind', 'user_task_key', 'due_at', 'level');
      let onTimeout: TimeoutAction = { kind: 'remind' };
      try {
        if (pre?.kind === 'step' && pre.user_task_key && now > Number(pre.due_at) && pre.level !== 'yellow' && pre.level !== 'red') onTimeout = await timeoutActionOf(this.ctx, String(pre.user_task_key));
      } catch (err) {
        // the diagram could not be read (engine away): firing yellow now would lose the action
        this.ctx.log.warn({ err, clockId: id }, 'step setting not readable; the clock is looked at again on the next sweep');
        await db('clocks').where({ id }).update({ lease_until: null });
        continue;
      }
      let done: { fired: number; events: DomainEvent[] };
      try {
        done = await this.fire(id, now, onTimeout);
      } catch (err) {
        if (!lostLockRace(err)) throw err;
        // rolled back whole: nothing fired; the clock is free for the next sweep
        this.ctx.log.info({ clockId: id }, 'deadline sweep lost a lock race; the clock is looked at again');
        await db('clocks').where({ id }).update({ lease_until: null }).catch(() => undefined);
        continue;
      }
      fired += done.fired;
      this.ctx.events.publish(done.events);
    }
    const acted = await runTimeoutActions(this.ctx, now);
    const red = await escalateLateOrders(this.ctx, now);
    this.ctx.events.publish(red.events);
    // 差评 rectifications escalate on the same sweep as supervision orders
    const rect = await escalateRectifications(this.ctx, now);
    this.ctx.events.publish(rect.events);
    this.ctx.events.publish(await alertUnpublishedYear(this.ctx, now));
    return fired + acted + red.fired + rect.fired;
  }

  /** The levels a leased clock has reached, fired in one transaction (and its 超时自动处理 intent). */
  private async fire(id: string, now: number, onTimeout: TimeoutAction): Promise<{ fired: number; events: DomainEvent[] }> {
    const { db } = this.ctx;
    const events: DomainEvent[] = [];
    let fired = 0;
    await db.transaction(async (trx) => {
      const c = await trx('clocks').join('cases', 'cases.id', 'clocks.case_id').where('clocks.id', id).first('clocks.*', 'cases.case_no', 'cases.province_code', 'cases.city_code', 'cases.county_code');
      if (!c || c.state !== 'running') return;
      const reached = levelAt({ dueAt: Number(c.due_at), warnAt: Number(c.warn_at) }, now);
      const steps: Level[] = (['warning', 'yellow'] as Level[]).filter((l) => LEVEL_ORDER[l] > LEVEL_ORDER[c.level as Level] && LEVEL_ORDER[l] <= LEVEL_ORDER[reached]);
      const task = c.user_task_key ? await trx('tasks').where({ user_task_key: c.user_task_key }).first() : null;
      for (const level of steps) {
        await trx('clock_events').insert({ clock_id: id, type: 'level', level, at: now, once_key: `${id}:${level}` }).onConflict('once_key').ignore();
        // the unique key kept an earlier firing: this level was already announced
        if (Number((await trx('clock_events').where({ once_key: `${id}:${level}` }).first('at'))?.at) !== now) continue;
        fired++;
        await appendEvent(trx, { caseId: c.case_id, type: `deadline.${level}`, userTaskKey: c.user_task_key, data: { clock: c.kind, dueOn: c.due_on }, at: now });
        events.push({
          type: 'deadline.level',
          caseId: c.case_id,
          caseNo: c.case_no,
          clockId: id,
          kind: c.kind,
          level: level as 'warning' | 'yellow',
          dueOn: c.due_on,
          userTaskKey: c.user_task_key,
          candidateGroups: task ? (JSON.parse(task.candidate_groups) as string[]) : [],
          assignee: task?.assignee ?? null,
          regions: regionsOf(c),
        });
        if (task) {
          const holders = await holdersOf(trx, task);
          events.push(...(await notify(trx, holders, { kind: level, caseId: c.case_id, userTaskKey: c.user_task_key, data: { caseNo: c.case_no, step: task.element_name, dueOn: c.due_on, provisional: Boolean(c.provisional) }, at: now })));
          // the system urges on its own when a step reaches the warning threshold
          if (level === 'warning') events.push(...(await urge(trx, { userTaskKey: String(c.user_task_key), by: null, message: `办理时限将至（${c.due_on}${c.provisional ? '，暂定' : ''} 到期），请尽快办理`, at: now })));
          // past the limit: the step's automatic action, once, with the yellow level that announces it
          if (level === 'yellow' && task.state === 'open') await scheduleTimeoutAction(trx, { clockId: id, userTaskKey: String(c.user_task_key), caseId: c.case_id, at: now }, onTimeout);
        }
      }
      const level = LEVEL_ORDER[reached] > LEVEL_ORDER[c.level as Level] ? reached : (c.level as Level);
      const next = level === 'none' ? Number(c.warn_at) : level === 'warning' ? Number(c.due_at) + 1 : null;
      await trx('clocks').where({ id }).update({ level, next_check_at: next, lease_until: null, updated_at: now });
      if (level !== c.level) await mirrorOnTask(trx, c.user_task_key, { level });
    });
    return { fired, events };
  }
}
