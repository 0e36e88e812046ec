/**
 * 加签 / 减签: adding a signer to a step, or removing one from an open countersign.
 *
 * On an ordinary step the signer holds the same task for a while — no second engine task, so the
 * task table and the engine agree by construction and the step clock runs on (the signer inherits
 * it, as a transfer does):
 *   - before (前加签): the engine's own delegation; the signer answers (resolve, recorded as
 *     `task.signed`) and the task comes back to the holder, who decides;
 *   - after (后加签): the holder's decision and opinion are recorded now, the task goes to the signer,
 *     whose decision is the step's (the signer has the last word).
 * The signer is an active person of the holder's unit, other than the holder, holding the step's
 * role or one above it in the unit's chain (reviewer → section head → leader; window → leader).
 *
 * On a countersign (a parallel multi-instance step) 加签 starts one more instance inside the running
 * body, for a person of a department of the same region whose group the step's assignment names
 * (`${department}:reviewer` with department = the person's unit); it is a task of its own with its
 * own step clock, handed to that person by a handover row (written first, as 退回 does). 减签 cancels
 * one open instance. The engine's tally counts the signers at the time of counting, so 会签 / 或签 /
 * 票签 keep their rule after either (Countersign.java).
 */
import type { Ctx, Identity } from '../../context.ts';
import { json } from '../../context.ts';
import { AppError, conflict } from '../../errors.ts';
import { EngineError } from '../../engine/port.ts';
import type { UserTaskModel } from '../../engine/bpmn.ts';
import { toTaskView, type TaskRow, type TaskView } from '../tasks/records.ts';
import { groupsOf, isRole } from '../identity/roles.ts';
import type { Role } from '../../context.ts';
import type { Db, Trx } from '../../db/knex.ts';
import { assertOpen, authorizeOp, loadVisible, recordOperation, requireReason, stepModel } from './shared.ts';

/** The roles that may sign a step of a role group: that role, or one above it in the unit. */
const SIGNING_ROLES: Record<string, Role[]> = { reviewer: ['reviewer', 'section_head', 'leader'], head: ['section_head', 'leader'], leader: ['leader'], window: ['window_clerk', 'leader'] };

export interface SignerCandidate {
  userId: string;
  displayName: string;
  unitCode: string;
}

export interface OpenSigner {
  userTaskKey: string;
  assignee: string | null;
  candidateGroups: string[];
}

export interface Signers {
  /** a countersign (parallel multi-instance step): 加签 adds an instance, 减签 removes one */
  countersign: boolean;
  candidates: SignerCandidate[];
  /** the countersign's other open instances (each may be removed while another stays open) */
  open: OpenSigner[];
}

interface Person {
  id: string;
  display_name: string;
  unit_code: string;
  roles: Role[];
}

async function activePeople(ctx: Ctx, where: (q: ReturnType<Ctx['db']>) => void): Promise<Person[]> {
  const q = ctx.db('users').join('org_units', 'org_units.code', 'users.unit_code').leftJoin('user_roles', 'user_roles.user_id', 'users.id').where({ 'users.active': true });
  where(q);
  const rows = await q.select<Array<{ id: string; display_name: string; unit_code: string; role: string | null }>>('users.id', 'users.display_name', 'users.unit_code', 'user_roles.role');
  const out = new Map<string, Person>();
  for (const r of rows) {
    const p = out.get(r.id) ?? { id: r.id, display_name: r.display_name, unit_code: r.unit_code, roles: [] };
    if (r.role && isRole(r.role)) p.roles.push(r.role);
    out.set(r.id, p);
  }
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}

const countersignOf = (m: UserTaskModel | null) => (m?.signers && !m.signers.sequential ? m.signers : null);

/** The group a countersign instance for `unit` goes to: the step's assignment with the unit put in. */
function groupFor(model: UserTaskModel, unit: string): string[] {
  const v = model.signers?.elementVariable;
  if (!v) return [];
  return model.assignment.candidateGroups.map((g) => g.split(`\${${v}}`).join(unit)).filter((g) => !g.includes('${'));
}

async function candidates(ctx: Ctx, who: Identity, t: TaskRow, model: UserTaskModel | null): Promise<SignerCandidate[]> {
  const view = (p: Person): SignerCandidate => ({ userId: p.id, displayName: p.display_name, unitCode: p.unit_code });
  if (countersignOf(model)) {
    const region = await ctx.db('org_units').where({ code: who.unitCode }).first<{ region_code: string }>('region_code');
    if (!region) return [];
    // a department already signing (an open instance for its group) is not offered again
    const open = await ctx.db('tasks').where({ case_id: t.case_id, element_id: t.element_id, state: 'open' }).select<TaskRow[]>('assignee', 'candidate_groups');
    const signing = new Set(open.flatMap((o) => json.parse<string[]>(o.candidate_groups, [])));
    const holding = new Set(open.map((o) => o.assignee));
    const people = await activePeople(ctx, (q) => void q.where('org_units.region_code', region.region_code));
    return people
      .filter((p) => {
        const groups = groupFor(model!, p.unit_code).filter((g) => groupsOf(p.unit_code, p.roles).includes(g));
        return groups.length > 0 && !holding.has(p.id) && !groups.some((g) => signing.has(g));
      })
      .map(view);
  }
  const mine = json.parse<string[]>(t.candidate_groups, []).filter((g) => who.groups.includes(g));
  const roles = new Set(mine.flatMap((g) => SIGNING_ROLES[g.split(':')[1] ?? ''] ?? []));
  const people = await activePeople(ctx, (q) => void q.where('users.unit_code', who.unitCode).whereNot('users.id', who.userId));
  return people.filter((p) => p.roles.some((r) => roles.has(r))).map(view);
}

export async function signers(ctx: Ctx, who: Identity, t: TaskRow): Promise<Signers> {
  const model = await stepModel(ctx, t);
  const cs = Boolean(countersignOf(model));
  const open = cs ? await ctx.db('tasks').where({ case_id: t.case_id, element_id: t.element_id, state: 'open' }).whereNot({ user_task_key: t.user_task_key }).select<TaskRow[]>('user_task_key', 'assignee', 'candidate_groups') : [];
  return {
    countersign: cs,
    candidates: await candidates(ctx, who, t, model),
    open: open.map((o) => ({ userTaskKey: String(o.user_task_key), assignee: o.assignee, candidateGroups: json.parse<string[]>(o.candidate_groups, []) })),
  };
}

const bad = (path: string, message: string, short: string) => new AppError('VALIDATION_FAILED', `${path}: ${message}`, [{ path, message: short }]);

export interface AddSignerInput {
  to: string;
  position?: 'before' | 'after' | undefined;
  decision?: string | undefined;
  reason: string;
}

export async function addSigner(ctx: Ctx, who: Identity, key: string, input: AddSignerInput, ip: string | null): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  if (t.state === 'open' && t.signer === input.to && t.sign_by === who.userId) return toTaskView(t); // retried (ordinary step)
  const holds = await ctx.db('tasks').where({ case_id: t.case_id, element_id: t.element_id, state: 'open', assignee: input.to }).whereNot({ user_task_key: key }).first('user_task_key');
  if (holds && t.state === 'open' && (await addedBefore(ctx.db, t, input.to))) return toTaskView(t); // retried (countersign)
  authorizeOp(who, 'addSigner', t, t.owner ? `task ${key} is delegated: it must come back before a signer is added` : `only the holder of task ${key} may add a signer; claim it first`);
  assertOpen(t);
  const reason = requireReason(input.reason, '加签');
  const model = await stepModel(ctx, t);
  const cs = countersignOf(model);
  if (model?.signers?.sequential) throw new AppError('BAD_REQUEST', `step ${t.element_name} is a sequential countersign: its signers are fixed when it starts`);
  if (cs && input.position) throw bad('body.position', `step ${t.element_name} is a countersign: a signer is added beside the others, not before or after you`, 'not for a countersign');
  if (!cs && !input.position) throw bad('body.position', 'before (the signer acts first, then the task comes back to you) or after (the signer acts after your decision)', 'required');
  if (input.to === who.userId) throw bad('body.to', 'you cannot add yourself as a signer', 'someone else');
  const allowed = await candidates(ctx, who, t, model);
  const signer = allowed.find((c) => c.userId === input.to);
  if (!signer) {
    throw bad(
      'body.to',
      cs
        ? `${input.to} cannot sign ${t.element_name}: a countersign signer is an active person of a department of your region, holding the role the step names (${model!.assignment.candidateGroups.join(', ')}), who holds no open instance of it yet`
        : `${input.to} cannot sign ${t.element_name}: a signer is an active person of your unit ${who.unitCode} holding the step's role or one above it`,
      'not an allowed signer',
    );
  }
  if (cs) return addCountersigner(ctx, who, t, model!, signer, reason, ip);
  const position = input.position!;
  let data: Record<string, unknown> = { to: signer.userId, position };
  if (position === 'after') {
    const decision = input.decision ?? '';
    const decisions = model?.decisions ?? json.parse<string[]>(t.decisions, []);
    if (!decisions.includes(decision)) throw bad('body.decision', `加签 after your decision needs your decision, one of ${decisions.join(', ')}`, 'one of the step’s decisions');
    data = { ...data, decision };
  } else if (input.decision !== undefined) throw bad('body.decision', 'a signer added before you acts first: you decide when the task comes back', 'only for after');
  const set = position === 'before' ? { assignee: signer.userId, owner: who.userId } : { assignee: signer.userId, owner: null };
  const at = ctx.clock.now();
  let after: TaskRow = t;
  let event = null;
  // the row first (the task table owns who holds a task), the engine told after, as 转办 / 委派 do
  await ctx.db.transaction(async (trx) => {
    const changes = { ...set, signer: signer.userId, sign_position: position, sign_by: who.userId, claimed_at: at };
    const changed = await trx('tasks').where({ user_task_key: key, state: 'open', assignee: who.userId }).whereNull('owner').whereNull('completing_by').update(changes);
    if (changed === 0) throw conflict(`task ${key} changed a moment ago; reload it`);
    after = { ...t, ...changes };
    event = await recordOperation(trx, { op: 'addSigner', t, actor: who.userId, reason, data, affects: [signer.userId, who.userId], ip, at, summaryOf: after });
  });
  if (event) ctx.events.publish(event);
  ctx.log.info({ caseId: t.case_id, userTaskKey: key, op: 'add_signer', ...data }, 'task add_signer');
  await tell(ctx, t, async () => {
    if (position === 'after') {
      if (ctx.config.ENGINE_MIRROR_ASSIGNMENT) await ctx.engine.assign(key, signer.userId);
      return;
    }
    if (!ctx.config.ENGINE_MIRROR_ASSIGNMENT) await ctx.engine.assign(key, who.userId);
    await ctx.engine.delegate(key, signer.userId);
  });
  return toTaskView(after);
}

async function tell(ctx: Ctx, t: TaskRow, what: () => Promise<void>): Promise<void> {
  try {
    await what();
  } catch (err) {
    ctx.log.warn({ err, caseId: t.case_id, userTaskKey: t.user_task_key }, 'engine not told of the signer');
  }
}

/**
 * One more instance of the countersign for `signer`. Order: the handover (who the new task goes to),
 * then the engine, then the record. A retry after a timed-out engine call finds its handover still
 * waiting and the engine's new task not yet in our table: the call ran, it is not made twice.
 */
async function addCountersigner(ctx: Ctx, who: Identity, t: TaskRow, model: UserTaskModel, signer: SignerCandidate, reason: string, ip: string | null): Promise<TaskView> {
  const key = t.user_task_key;
  const mine = { case_id: t.case_id, element_id: t.element_id, kind: 'sign', assignee: signer.userId, created_by: who.userId };
  const waiting = await ctx.db('task_handovers').where(mine).whereNull('consumed_by').first('id');
  let ran = false;
  if (waiting) {
    const ours = new Set((await ctx.db('tasks').where({ process_instance_key: t.process_instance_key }).pluck('user_task_key')).map(String));
    ran = (await ctx.engine.openTasks({ instanceId: t.process_instance_key })).some((x) => x.elementId === t.element_id && !ours.has(x.taskId));
  } else {
    await ctx.db('task_handovers').insert({ ...mine, return_to_element: null, return_to_user: null, from_task: null, created_at: ctx.clock.now() });
  }
  if (!ran) {
    try {
      await ctx.engine.addInstance(key, { [model.signers!.elementVariable!]: signer.unitCode });
    } catch (err) {
      if (err instanceof EngineError && err.kind !== 'unavailable' && err.kind !== 'conflict') {
        await ctx.db('task_handovers').where(mine).whereNull('consumed_by').delete();
        throw conflict(`a signer could not be added to ${t.element_name}: the countersign is no longer open (${err.message})`);
      }
      throw err;
    }
  }
  let event = null;
  await ctx.db.transaction(async (trx) => {
    if (waiting && (await addedBefore(trx, t, signer.userId))) return;
    const at = ctx.clock.now();
    event = await recordOperation(trx, { op: 'addSigner', t, actor: who.userId, reason, data: { to: signer.userId, unit: signer.unitCode, position: 'countersign' }, affects: [signer.userId], ip, at });
  });
  if (event) ctx.events.publish(event);
  ctx.log.info({ caseId: t.case_id, userTaskKey: key, op: 'add_signer', to: signer.userId }, 'countersign signer added');
  return toTaskView((await loadVisible(ctx, who, key)) ?? t);
}

const addedBefore = async (db: Db | Trx, t: TaskRow, to: string) =>
  db('case_events').where({ case_id: t.case_id, type: 'task.signer_added', user_task_key: t.user_task_key }).where('data', 'like', `%"to":"${to}"%`).first('id');

export async function removeSigner(ctx: Ctx, who: Identity, key: string, input: { signer: string; reason: string }, ip: string | null): Promise<TaskView> {
  const t = await loadVisible(ctx, who, key);
  authorizeOp(who, 'removeSigner', t, `only the holder of an open instance of ${t.element_name} may remove a signer; claim yours first`);
  const reason = requireReason(input.reason, '减签');
  const target = await ctx.db('tasks').where({ user_task_key: input.signer }).first<TaskRow>();
  if (!target || target.case_id !== t.case_id || target.element_id !== t.element_id) throw bad('body.signer', `${input.signer} is not a signer of ${t.element_name} in this case`, 'not a signer of this countersign');
  const recorded = async (db: Db | Trx = ctx.db) => db('case_events').where({ case_id: t.case_id, type: 'task.signer_removed' }).where('data', 'like', `%"signerTask":"${input.signer}"%`).first('id');
  if (target.state === 'canceled' && (await recorded())) return toTaskView(t); // retried
  assertOpen(t);
  if (!countersignOf(await stepModel(ctx, t))) throw new AppError('BAD_REQUEST', `step ${t.element_name} is not a countersign: there is no signer to remove`);
  if (target.state === 'completed') throw conflict(`${target.completed_by ?? target.assignee ?? input.signer} has already decided (${target.decision ?? 'done'}): a decided signer cannot be removed`);
  if (target.completing_by) throw conflict(`${target.completing_by} is deciding ${input.signer} right now: too late to remove`);
  if (target.state === 'open') {
    const others = await ctx.db('tasks').where({ case_id: t.case_id, element_id: t.element_id, state: 'open' }).whereNot({ user_task_key: input.signer }).count({ n: '*' }).first();
    if (Number(others?.n ?? 0) === 0) throw conflict(`${input.signer} is the last open signer of ${t.element_name}: removing it would leave nobody to decide`);
    try {
      await ctx.engine.cancelInstance(input.signer);
    } catch (err) {
      // gone already (the countersign ended, or an earlier try ran): nothing is recorded as removed
      if (err instanceof EngineError && (err.kind === 'not_found' || err.kind === 'rejected')) throw conflict(`${input.signer} is no longer open on the engine (${err.message}); reload`);
      throw err;
    }
  }
  let event = null;
  await ctx.db.transaction(async (trx) => {
    if (await recorded(trx)) return;
    const signerName = target.assignee ?? json.parse<string[]>(target.candidate_groups, []).join(', ');
    event = await recordOperation(trx, { op: 'removeSigner', t, actor: who.userId, reason, data: { signerTask: input.signer, signer: signerName }, affects: target.assignee ? [target.assignee] : [], ip, at: ctx.clock.now() });
  });
  if (event) ctx.events.publish(event);
  ctx.log.info({ caseId: t.case_id, userTaskKey: key, op: 'remove_signer', signer: input.signer }, 'countersign signer removed');
  return toTaskView(t);
}
