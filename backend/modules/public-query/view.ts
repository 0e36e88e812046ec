/**
 * What the applicant sees of their case, built from what the back office already records. Built
 * by allow-list: each field is chosen here, so no personal datum, official's name or internal
 * opinion can slip in with a new column. The only words of staff shown are those the law addresses
 * to the applicant: what is missing (补正), the reasons for not accepting or refusing.
 */
import type { Ctx } from '../../context.ts';
import { json } from '../../context.ts';
import { beijingDate, calendarFor } from '../calendar/index.ts';
import { planClock } from '../deadlines/clock-math.ts';
import { decisionClockId } from '../deadlines/commands.ts';
import type { CaseRow } from '../cases/records.ts';

export type Stage = 'received' | 'reviewing_application' | 'awaiting_supplements' | 'under_review' | 'special_procedure' | 'decided_granted' | 'granted' | 'refused' | 'not_accepted' | 'withdrawn' | 'cancelled' | 'concluded';

/** Plain words for each stage; the status page has its own translations of the same keys. */
export const STAGE_TEXT: Record<Stage, { 'zh-CN': string; en: string }> = {
  received: { 'zh-CN': '已收到申请，等待窗口受理', en: 'Application received, awaiting acceptance' },
  reviewing_application: { 'zh-CN': '窗口正在审查申请材料', en: 'The service window is checking your application' },
  awaiting_supplements: { 'zh-CN': '需要补正材料', en: 'Supplementary materials are needed' },
  under_review: { 'zh-CN': '已受理，正在审查', en: 'Accepted and under review' },
  special_procedure: { 'zh-CN': '特别程序中（期间不计入办理时限）', en: 'In a special procedure (not counted in the time limit)' },
  decided_granted: { 'zh-CN': '准予许可，正在制证送达', en: 'Granted; the licence is being issued' },
  granted: { 'zh-CN': '已办结：准予许可', en: 'Concluded: granted' },
  refused: { 'zh-CN': '已办结：不予许可', en: 'Concluded: refused' },
  not_accepted: { 'zh-CN': '不予受理', en: 'Not accepted' },
  withdrawn: { 'zh-CN': '逾期未补正，视为撤回', en: 'Withdrawn (supplements not received in time)' },
  cancelled: { 'zh-CN': '已终止', en: 'Terminated' },
  concluded: { 'zh-CN': '已办结', en: 'Concluded' },
};

const DECIDING = new Set(['grant', 'refuse']);
const WINDOW_DECISIONS = new Set(['accept', 'reject', 'correct']);

/** Reasons and lists written one per line (or separated by ；/;) read as items. */
export const itemsOf = (text: string | null | undefined): string[] =>
  String(text ?? '')
    .split(/[\n；;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const dateOf = (ms: unknown) => (ms === null || ms === undefined ? null : beijingDate(Number(ms)));

export async function publicView(ctx: Ctx, c: CaseRow) {
  const [item, unit, tasks, clock] = await Promise.all([
    ctx.db('service_items').where({ code: c.item_code }).first('code', 'name', 'promised_limit_days', 'statutory_limit_days'),
    ctx.db('org_units').where({ code: `${c.region_code}.ASC` }).first('name'),
    ctx.db('tasks').where({ case_id: c.id, state: 'completed' }).orderBy([{ column: 'ended_at' }, { column: 'user_task_key' }]).select('element_id', 'element_name', 'candidate_groups', 'decision', 'opinion', 'ended_at'),
    ctx.db('clocks').where({ id: decisionClockId(c.id) }).first(),
  ]);
  const windowTasks = tasks.filter((t) => WINDOW_DECISIONS.has(String(t.decision)) && json.parse<string[]>(t.candidate_groups, []).some((g) => g.endsWith(':window')));
  const lastWindow = windowTasks.at(-1);
  const deciding = tasks.filter((t) => DECIDING.has(String(t.decision))).at(-1);

  const pauses: Array<{ from: string; to: string | null; reason: string; expectedDays: number | null; workingDays: number | null }> = [];
  let dates = null;
  if (clock) {
    for (const e of await ctx.db('clock_events').where({ clock_id: clock.id }).whereIn('type', ['pause', 'resume']).orderBy('id')) {
      if (e.type === 'pause') pauses.push({ from: beijingDate(Number(e.at)), to: null, reason: String(e.reason ?? ''), expectedDays: e.days === null ? null : Number(e.days), workingDays: null });
      const open = pauses.at(-1);
      if (e.type === 'resume' && open && !open.to) Object.assign(open, { to: beijingDate(Number(e.at)), workingDays: Number(e.days ?? 0) });
    }
    let promisedDueOn: string | null;
    try {
      // the promise is the agency's own, shorter limit; paused days are not counted against it either
      const cal = await calendarFor(ctx.db, String(c.region_code));
      promisedDueOn = planClock(cal, { startedOn: String(clock.started_on), limitDays: Number(item?.promised_limit_days ?? clock.limit_days), pausedDays: Number(clock.paused_days), extendedDays: 0 }, 0).dueOn;
    } catch {
      promisedDueOn = null; // past the calendar's years: unknown, not guessed
    }
    dates = { acceptedOn: String(clock.started_on), promisedDueOn, legalDueOn: String(clock.due_on), provisional: Boolean(clock.provisional), extendedDays: Number(clock.extended_days), paused: clock.state === 'paused' };
  }

  const stage = stageOf(c, clock?.state ?? null, deciding?.decision ?? null);
  const decision =
    lastWindow?.decision === 'reject'
      ? { result: 'not_accepted', on: dateOf(lastWindow.ended_at), reasons: itemsOf(lastWindow.opinion) }
      : deciding
        ? { result: deciding.decision === 'grant' ? 'granted' : 'refused', on: dateOf(deciding.ended_at), reasons: deciding.decision === 'refuse' ? itemsOf(deciding.opinion) : [] }
        : null;
  return {
    caseNo: c.case_no,
    item: { code: String(item?.code ?? c.item_code), name: item ? String(item.name) : null },
    acceptingUnit: unit ? String(unit.name) : null,
    stage,
    statusText: STAGE_TEXT[stage],
    submittedOn: beijingDate(Number(c.submitted_at)),
    concludedOn: dateOf(c.concluded_at),
    steps: tasks.map((t) => ({ name: String(t.element_name), doneOn: dateOf(t.ended_at) })),
    dates,
    pauses,
    supplements: stage === 'awaiting_supplements' && lastWindow?.decision === 'correct' ? { requestedOn: dateOf(lastWindow.ended_at), missing: itemsOf(lastWindow.opinion) } : null,
    decision,
  };
}

function stageOf(c: CaseRow, clockState: string | null, decided: string | null): Stage {
  if (c.status === 'concluded') {
    const r = String(c.result ?? '');
    return (['granted', 'refused', 'not_accepted', 'withdrawn', 'cancelled'] as const).find((s) => s === r) ?? 'concluded';
  }
  if (c.status === 'submitted') return 'received';
  if (c.awaiting === 'await_supplements') return 'awaiting_supplements';
  if (decided === 'grant') return 'decided_granted';
  if (clockState === 'paused') return 'special_procedure';
  return clockState ? 'under_review' : 'reviewing_application';
}
