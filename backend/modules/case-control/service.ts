/**
 * 挂起 / 激活 / 终止 of a case. Each command: authorize (404 outside the remit, 403 for who may see
 * but not do), check the state (409 with the reason), then write in a safe order:
 *  - suspend / resume ask the engine first (an instance suspended twice, or resumed twice, is the
 *    same instance) and record second, so a retry after a failure redoes both without a duplicate;
 *  - terminate records its reason first (the concluding feed event reads it to set the result) and
 *    asks the engine second; a retry finds its own mark and asks again.
 * A suspension pauses the decision clock only for a special procedure (行政许可法 art. 45).
 */
import type { Ctx, Identity } from '../../context.ts';
import type { DomainEvent } from '../../events.ts';
import { regionsOf } from '../../events.ts';
import { conflict, forbidden } from '../../errors.ts';
import { EngineError } from '../../engine/port.ts';
import { json } from '../../context.ts';
import { appendAudit } from '../audit/service.ts';
import { appendEvent } from '../cases/timeline.ts';
import { getCase, loadReadable } from '../cases/service.ts';
import type { CaseRow } from '../cases/records.ts';
import { pauseDecisionClock, resumeDecisionClock } from '../deadlines/pause.ts';
import type { SuspendBody, TerminateBody } from './schema.ts';

/** The holders of the case's open steps: who must hear that their work is frozen or gone. */
async function holders(ctx: Ctx, caseId: string) {
  const rows = await ctx.db('tasks').where({ case_id: caseId, state: 'open' }).select('candidate_groups', 'assignee');
  return {
    candidateGroups: [...new Set(rows.flatMap((r) => json.parse<string[]>(r.candidate_groups, [])))],
    assignees: [...new Set(rows.map((r) => r.assignee).filter((a): a is string => typeof a === 'string'))],
  };
}

function assertRunning(row: CaseRow): string {
  if (row.status === 'concluded') throw conflict(`case ${row.case_no} is concluded`);
  if (!row.process_instance_key) throw conflict(`case ${row.case_no} has not started yet`);
  if (row.termination_kind) throw conflict(`case ${row.case_no} is being terminated: ${row.termination_reason ?? ''}`);
  return row.process_instance_key;
}

async function publishControl(ctx: Ctx, type: 'case.suspended' | 'case.resumed' | 'case.terminated', row: CaseRow, by: string, reason: string) {
  const e: DomainEvent = { type, caseId: row.id, caseNo: row.case_no, by, reason, ...(await holders(ctx, row.id)), regions: regionsOf(row) };
  ctx.events.publish(e);
}

export async function suspendCase(ctx: Ctx, who: Identity, caseId: string, input: SuspendBody, ip: string | null) {
  const { row, may } = await loadReadable(ctx, who, caseId);
  if (!may('suspend')) throw forbidden('only a leader of a unit handling this case suspends it');
  const instance = assertRunning(row);
  if (row.suspended_at) {
    // the same request again (a retry) is answered as it was; anything else is told why not
    if (row.suspended_by === who.userId && row.suspend_reason === input.reason) return getCase(ctx, who, caseId);
    throw conflict(`case ${row.case_no} is already suspended since ${new Date(Number(row.suspended_at)).toISOString()} by ${row.suspended_by}: ${row.suspend_reason}`);
  }
  await ctx.engine.suspend(instance);
  const at = ctx.clock.now();
  let done = false;
  try {
    await ctx.db.transaction(async (trx) => {
      const changed = await trx('cases').where({ id: caseId, status: 'in_progress' }).whereNull('suspended_at').whereNull('termination_kind').update({ suspended_at: at, suspended_by: who.userId, suspend_reason: input.reason, suspend_procedure: input.procedure ?? null, suspended_clock: false });
      if (changed === 0) return;
      const clockPaused = input.procedure ? await pauseDecisionClock(trx, caseId, { actor: who.userId, reason: input.reason, expectedDays: input.expectedDays ?? null, procedure: input.procedure, at }) : false;
      if (clockPaused) await trx('cases').where({ id: caseId }).update({ suspended_clock: true });
      await appendEvent(trx, { caseId, type: 'case.suspended', actor: who.userId, data: { reason: input.reason, procedure: input.procedure ?? null, expectedDays: input.expectedDays ?? null, clockPaused }, at });
      await appendAudit(trx, { actor: who.userId, action: 'case.suspend', subject: 'Case', subjectId: caseId, caseId, reason: input.reason, ip, at });
      done = true;
    });
  } catch (err) {
    await ctx.engine.resume(instance).catch((e: unknown) => ctx.log.warn({ err: e, caseId }, 'suspension not recorded and the engine instance not resumed'));
    throw err;
  }
  if (!done) throw conflict(`case ${row.case_no} changed a moment ago; reload it`);
  ctx.log.info({ caseId, procedure: input.procedure ?? null }, 'case suspended');
  await publishControl(ctx, 'case.suspended', row, who.userId, input.reason);
  return getCase(ctx, who, caseId);
}

export async function resumeCase(ctx: Ctx, who: Identity, caseId: string, input: { reason: string }, ip: string | null) {
  const { row, may } = await loadReadable(ctx, who, caseId);
  if (!may('suspend')) throw forbidden('only a leader of a unit handling this case resumes it');
  if (!row.suspended_at) throw conflict(`case ${row.case_no} is not suspended`);
  const instance = assertRunning(row);
  await ctx.engine.resume(instance);
  const at = ctx.clock.now();
  let done = false;
  await ctx.db.transaction(async (trx) => {
    const changed = await trx('cases').where({ id: caseId, suspended_at: row.suspended_at ?? null }).update({ suspended_at: null, suspended_clock: false });
    if (changed === 0) return;
    const clockResumed = row.suspended_clock ? await resumeDecisionClock(ctx, trx, caseId, { actor: who.userId, at }) : false;
    await appendEvent(trx, { caseId, type: 'case.resumed', actor: who.userId, data: { reason: input.reason, suspendedSince: new Date(Number(row.suspended_at)).toISOString(), clockResumed }, at });
    await appendAudit(trx, { actor: who.userId, action: 'case.resume', subject: 'Case', subjectId: caseId, caseId, reason: input.reason, ip, at });
    done = true;
  });
  if (!done) throw conflict(`case ${row.case_no} was resumed a moment ago`);
  ctx.log.info({ caseId }, 'case resumed');
  await publishControl(ctx, 'case.resumed', row, who.userId, input.reason);
  return getCase(ctx, who, caseId);
}

export async function terminateCase(ctx: Ctx, who: Identity, caseId: string, input: TerminateBody, ip: string | null) {
  const { row, may } = await loadReadable(ctx, who, caseId);
  if (!may('terminate')) throw forbidden('only a leader of a unit handling this case terminates it');
  const retry = row.termination_kind === input.kind && row.terminated_by === who.userId && row.status !== 'concluded';
  if (!retry) {
    const instance = assertRunning(row);
    const at = ctx.clock.now();
    let marked = false;
    await ctx.db.transaction(async (trx) => {
      const changed = await trx('cases').where({ id: caseId, status: 'in_progress', process_instance_key: instance }).whereNull('termination_kind').update({ termination_kind: input.kind, termination_reason: input.reason, terminated_by: who.userId, terminated_at: at });
      if (changed === 0) return;
      await appendEvent(trx, { caseId, type: 'case.terminated', actor: who.userId, data: { kind: input.kind, reason: input.reason }, at });
      await appendAudit(trx, { actor: who.userId, action: 'case.terminate', subject: 'Case', subjectId: caseId, caseId, reason: `${input.kind}: ${input.reason}`, ip, at });
      marked = true;
    });
    if (!marked) throw conflict(`case ${row.case_no} changed a moment ago; reload it`);
    await publishControl(ctx, 'case.terminated', row, who.userId, input.reason);
  }
  try {
    // the feed then cancels the open steps and ends the case with the result the mark names
    await ctx.engine.terminate(String(row.process_instance_key), `${input.kind}: ${input.reason}`);
  } catch (err) {
    if (!(err instanceof EngineError && err.kind === 'not_found')) throw err; // already ended: the feed concludes it
  }
  ctx.log.info({ caseId, kind: input.kind }, 'case terminated');
  return getCase(ctx, who, caseId);
}
