/**
 * The supervisor's statistics (效能监察): where open cases sit and how late they are, per region one
 * level down; how many concluded cases kept the statutory limit; which steps hold the most work.
 * Always over the cases the caller may read (the case read rules turned into SQL), inside the region
 * asked for.
 *
 * Definitions:
 *  - byUnit counts open cases (not yet concluded) of each region one level below `unit`, and how many
 *    of them stand at each deadline level — a case counts once, at the worst level of its running or
 *    paused clocks (decision or step), so warning + yellow + red ≤ open. Cases filed at `unit` itself
 *    (a city-level item filed at the city) belong to no region below; they appear as one more row
 *    whose unitCode is `unit` itself, only when there are any.
 *  - onTime counts concluded cases that had a decision clock (were accepted: an application turned
 *    away at the window has no statutory decision limit to keep). A case is on time when its decision
 *    clock never reached yellow or red — judged from the recorded level events, because a later
 *    extension resets the clock's current level. rate = onTime / concluded, null when none concluded.
 *  - byLimit: per row of byUnit, the open cases whose promised (承诺) or statutory (法定) clock is past
 *    due, so the board shows which limit is broken (most complaints are about the promise).
 *  - onPromise: as onTime, for the promised clock.
 *  - byStep counts open tasks per BPMN element across all processes, with the element's name.
 */
import type { Ctx, Identity } from '../../context.ts';
import { abilityFor } from '../../authz/ability.ts';
import { accessibleBy } from '../../authz/sql.ts';
import { caseFields } from '../cases/records.ts';
import { boardRegion, casesIn, childColumn } from './scope.ts';

const RANK = (col: string) => `CASE ${col} WHEN 'red' THEN 3 WHEN 'yellow' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END`;
const LATE = (kind: 'promise' | 'decision') => `CASE WHEN k.kind = '${kind}' AND k.level IN ('yellow', 'red') THEN 1 ELSE 0 END`;
const countAt = (rank: number) => `sum(CASE WHEN worst = ${rank} THEN 1 ELSE 0 END)`;

export interface UnitCounts {
  unitCode: string;
  unitName: string;
  open: number;
  warning: number;
  yellow: number;
  red: number;
}

/** Which limit the late cases of a unit broke: the promise (承诺时限) or the law (法定时限). */
export interface UnitLimits {
  unitCode: string;
  promiseOverdue: number;
  statutoryOverdue: number;
}

export async function supervisionStats(ctx: Ctx, who: Identity, unitCode: string | undefined) {
  const { db } = ctx;
  const unit = await boardRegion(ctx, who, unitCode);
  const readable = accessibleBy(abilityFor(who), 'read', 'Case', caseFields);
  const inUnit = casesIn(unit);
  const child = childColumn(unit);

  // one row per open case with its worst clock level, then counted per region below
  const perCase = db('cases')
    .leftJoin('clocks as k', (j) => j.on('k.case_id', 'cases.id').andOnVal('k.state', '<>', 'stopped'))
    .whereNot('cases.status', 'concluded')
    .modify(inUnit)
    .modify(readable)
    .groupBy(child ? ['cases.id', child] : ['cases.id'])
    .select(db.raw(`${child ?? 'NULL'} as unit_code`), db.raw(`max(${RANK('k.level')}) as worst`), db.raw(`max(${LATE('promise')}) as promise_late`), db.raw(`max(${LATE('decision')}) as law_late`));
  const grouped: Array<Record<string, unknown>> = await db
    .from(perCase.as('pc'))
    .groupBy('unit_code')
    .select('unit_code', db.raw('count(*) as n_open'), db.raw(`${countAt(1)} as n_warning`), db.raw(`${countAt(2)} as n_yellow`), db.raw(`${countAt(3)} as n_red`), db.raw('sum(promise_late) as n_promise_late'), db.raw('sum(law_late) as n_law_late'));
  const counted = new Map(grouped.map((g) => [g.unit_code === null ? null : String(g.unit_code), g]));
  const row = (code: string, name: string, g: Record<string, unknown> | undefined): UnitCounts => ({
    unitCode: code,
    unitName: name,
    open: Number(g?.n_open ?? 0),
    warning: Number(g?.n_warning ?? 0),
    yellow: Number(g?.n_yellow ?? 0),
    red: Number(g?.n_red ?? 0),
  });
  const limits = (code: string, g: Record<string, unknown> | undefined): UnitLimits => ({ unitCode: code, promiseOverdue: Number(g?.n_promise_late ?? 0), statutoryOverdue: Number(g?.n_law_late ?? 0) });
  const below = child ? await db('org_units').where({ parent_code: unit.code, kind: 'region' }).orderBy('code').select('code', 'name') : [];
  const byUnit = below.map((u) => row(String(u.code), String(u.name), counted.get(String(u.code))));
  const byLimit = below.map((u) => limits(String(u.code), counted.get(String(u.code))));
  const own = counted.get(null);
  if (own && Number(own.n_open) > 0) {
    byUnit.push(row(unit.code, `${unit.name}（本级）`, own));
    byLimit.push(limits(unit.code, own));
  }

  // kept or broken, per clock: judged from the recorded level events (a later extension resets the level)
  const keptBy = async (kind: 'decision' | 'promise') => {
    const r = (await db('cases')
      .join('clocks as dc', (j) => j.on('dc.case_id', 'cases.id').andOnVal('dc.kind', '=', kind))
      .where('cases.status', 'concluded')
      .modify(inUnit)
      .modify(readable)
      .select(db.raw('count(*) as n_concluded'))
      .select(db.raw(`sum(CASE WHEN dc.level IN ('yellow', 'red') OR EXISTS (SELECT 1 FROM clock_events ce WHERE ce.clock_id = dc.id AND ce.type = 'level' AND ce.level IN ('yellow', 'red')) THEN 0 ELSE 1 END) as n_on_time`))
      .first()) as Record<string, unknown> | undefined;
    const concluded = Number(r?.n_concluded ?? 0);
    const onTime = Number(r?.n_on_time ?? 0);
    return { concluded, onTime, rate: concluded > 0 ? Math.round((onTime / concluded) * 10_000) / 10_000 : null };
  };
  const [onTime, onPromise] = await Promise.all([keptBy('decision'), keptBy('promise')]);

  const steps: Array<Record<string, unknown>> = await db('tasks')
    .join('cases', 'cases.id', 'tasks.case_id')
    .where('tasks.state', 'open')
    .modify(inUnit)
    .modify(readable)
    .groupBy('tasks.element_id')
    .select('tasks.element_id', db.raw('min(tasks.element_name) as name'), db.raw('count(*) as n_open'));

  return {
    scope: unit.code,
    /** the scope by its name (示范市), which the board shows */
    scopeName: unit.name,
    byUnit,
    byLimit,
    onTime,
    onPromise,
    byStep: steps.map((s) => ({ elementId: String(s.element_id), name: String(s.name), open: Number(s.n_open) })).sort((a, b) => b.open - a.open || a.elementId.localeCompare(b.elementId)),
  };
}
