/**
 * What the case page shows beyond the case row: the item's name, the exact process definition (to
 * draw the diagram the case really follows), the materials as handed in, the steps already done and
 * the decision clock and the promised clock. Everything is derived from what is already recorded — the submission and each
 * 补正 put their materials on the timeline, completed tasks are timeline entries — so nothing new
 * has to be kept in step.
 */
import type { Ctx } from '../../context.ts';
import { json } from '../../context.ts';
import { caseClocksSummary } from '../deadlines/clock-view.ts';
import type { CaseRow } from './records.ts';
import { caseApplicationForm, caseApprovalForms } from '../forms/index.ts';

export interface Material {
  name: string;
  source: 'submitted' | 'supplemented';
  at: string;
}

/**
 * The definition a case runs. Recorded when the instance starts; for a case started before that
 * column existed, a pinned version still identifies it (an unpinned one cannot be known: null).
 */
async function definitionKeyOf(ctx: Ctx, r: CaseRow): Promise<string | null> {
  if (r.process_definition_key) return r.process_definition_key;
  if (!r.process_instance_key || r.process_version === null || r.process_version === undefined) return null;
  const d = await ctx.db('process_definitions').where({ bpmn_process_id: r.bpmn_process_id, version: r.process_version }).first('definition_key');
  return d ? String(d.definition_key) : null;
}

export async function casePageExtras(ctx: Ctx, r: CaseRow) {
  const [item, region, definitionKey, events, clock, applicationForm, approvalForms] = await Promise.all([
    ctx.db('service_items').where({ code: r.item_code }).first('name'),
    ctx.db('org_units').where({ code: r.region_code ?? r.county_code ?? r.city_code ?? r.province_code }).first('name'),
    definitionKeyOf(ctx, r),
    ctx.db('case_events').where({ case_id: r.id }).whereIn('type', ['case.submitted', 'case.supplemented', 'task.completed']).orderBy('id', 'asc').select('type', 'element_id', 'data', 'at'),
    caseClocksSummary(ctx, r.id),
    caseApplicationForm(ctx, r),
    caseApprovalForms(ctx, r.id),
  ]);
  const materials: Material[] = [];
  // each element once, in the order it was first completed (a step returned to and decided again,
  // or the parallel countersigns of one element, do not repeat it)
  const visited = new Set<string>();
  for (const e of events) {
    if (e.type === 'task.completed') {
      if (e.element_id) visited.add(String(e.element_id));
      continue;
    }
    const names = json.parse<{ materials?: unknown }>(e.data, {}).materials;
    const at = new Date(Number(e.at)).toISOString();
    for (const name of Array.isArray(names) ? names : []) materials.push({ name: String(name), source: e.type === 'case.submitted' ? 'submitted' : 'supplemented', at });
  }
  return {
    itemName: item ? String(item.name) : null,
    /** 受理地 by its name (示范市一区), not its code */
    regionName: region ? String(region.name) : null,
    processDefinitionKey: definitionKey,
    materials,
    visitedElements: [...visited],
    clock: clock.statutory,
    promise: clock.promise,
    applicationForm,
    approvalForms,
  };
}
