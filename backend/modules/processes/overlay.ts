/**
 * The live overlay on a process diagram: for each element with open tasks, how many there are and
 * how many are at each deadline level.
 *
 * Choices:
 *  - A task counts at the worse level of its own step clock and its case's decision clock. A case
 *    that is overdue as a whole is stuck *somewhere*, and the element holding it is where a designer
 *    or supervisor has to look; counting only step clocks would hide it. Each task counts at most at
 *    one level, so warning + yellow + red ≤ open.
 *  - Who sees which counts: designers of the department owning the process see all of them (it is
 *    their process, and counts carry no applicant data); supervisors and leaders see counts over the
 *    cases they may read (CASL → SQL via the case read rules: a supervisor's region and below, a
 *    leader's own unit's cases). Everyone else who may read processes gets a 403 with the reason.
 */
import type { Ctx, Identity } from '../../context.ts';
import { forbidden, notFound } from '../../errors.ts';
import { abilityFor, subjectOf } from '../../authz/ability.ts';
import { accessibleBy } from '../../authz/sql.ts';
import { caseFields } from '../cases/records.ts';
import { ownerOf } from './service.ts';

/** 0 none · 1 warning · 2 yellow · 3 red: the worse of the step clock (sc) and the decision clock (dc). */
const WORST = `CASE WHEN sc.level = 'red' OR dc.level = 'red' THEN 3 WHEN sc.level = 'yellow' OR dc.level = 'yellow' THEN 2 WHEN sc.level = 'warning' OR dc.level = 'warning' THEN 1 ELSE 0 END`;

export interface OverlayElement {
  elementId: string;
  open: number;
  warning: number;
  yellow: number;
  red: number;
}

export async function processOverlay(ctx: Ctx, who: Identity, bpmnProcessId: string): Promise<{ elements: OverlayElement[] }> {
  const { db } = ctx;
  if (!(await db('process_definitions').where({ bpmn_process_id: bpmnProcessId }).first('definition_key'))) throw notFound('process', bpmnProcessId);
  const ability = abilityFor(who);
  const department = await ownerOf(db, bpmnProcessId);
  const process = subjectOf('Process', { department });
  if (!ability.can('monitor', process)) throw forbidden('the live overlay is for designers of the owning department, supervisors and leaders');
  const ownDesigner = who.roles.includes('designer') && ability.can('deploy', process);

  const q = db('tasks')
    .join('cases', 'cases.id', 'tasks.case_id')
    .leftJoin('clocks as sc', (j) => j.on('sc.case_id', 'tasks.case_id').andOnVal('sc.kind', '=', 'step').andOn('sc.user_task_key', 'tasks.user_task_key').andOnVal('sc.state', '<>', 'stopped'))
    .leftJoin('clocks as dc', (j) => j.on('dc.case_id', 'tasks.case_id').andOnVal('dc.kind', '=', 'decision').andOnVal('dc.state', '<>', 'stopped'))
    .where('tasks.state', 'open')
    .andWhere('cases.bpmn_process_id', bpmnProcessId)
    .groupBy('tasks.element_id')
    .select('tasks.element_id')
    .select(db.raw('count(*) as n_open'))
    .select(db.raw(`sum(CASE WHEN ${WORST} = 1 THEN 1 ELSE 0 END) as n_warning`))
    .select(db.raw(`sum(CASE WHEN ${WORST} = 2 THEN 1 ELSE 0 END) as n_yellow`))
    .select(db.raw(`sum(CASE WHEN ${WORST} = 3 THEN 1 ELSE 0 END) as n_red`));
  if (!ownDesigner) q.modify(accessibleBy(ability, 'read', 'Case', caseFields));
  const rows: Array<Record<string, unknown>> = await q;
  return {
    elements: rows
      .map((r) => ({ elementId: String(r.element_id), open: Number(r.n_open), warning: Number(r.n_warning ?? 0), yellow: Number(r.n_yellow ?? 0), red: Number(r.n_red ?? 0) }))
      .sort((a, b) => a.elementId.localeCompare(b.elementId)),
  };
}
