/**
 * Tasks as people read them: the assignee's, owner's and completer's names, each candidate group
 * with its unit's name, and the applicant's name masked — looked up once per page, after the queue's
 * legs have chosen it.
 */
import type { Ctx } from '../../context.ts';
import { mask, open as unseal } from '../cases/personal-data.ts';
import { namedGroup, namesFor, splitGroup } from '../org/names.ts';
import type { TaskView } from './records.ts';
import { stepDaysLeft } from '../deadlines/clock-view.ts';

export type NamedTask = TaskView & {
  assigneeName: string | null;
  ownerName: string | null;
  completedByName: string | null;
  groups: Array<{ group: string; unitCode: string; unitName: string | null; role: string }>;
  /** masked as in every view (张*); an organisation keeps its name */
  applicantName: string | null;
  /** working days left on the step clock (negative: overdue by so many; null: no running limit) */
  workingDaysLeft: number | null;
};

export async function withNames(ctx: Ctx, tasks: TaskView[]): Promise<NamedTask[]> {
  if (tasks.length === 0) return [];
  const caseIds = [...new Set(tasks.map((t) => t.caseId))];
  const open = tasks.filter((t) => t.state === 'open').map((t) => t.userTaskKey);
  const [names, cases, left] = await Promise.all([
    namesFor(ctx.db, {
      users: tasks.flatMap((t) => [t.assignee, t.owner, t.completedBy]),
      units: tasks.flatMap((t) => t.candidateGroups.map((g) => splitGroup(g).unitCode)),
    }),
    ctx.db('cases').whereIn('id', caseIds).select('id', 'applicant') as Promise<Array<{ id: string; applicant: string }>>,
    stepDaysLeft(ctx, open),
  ]);
  const applicant = new Map<string, string | null>();
  for (const c of cases) {
    try {
      const name = mask(unseal<Record<string, unknown>>(ctx.applicantKeys, String(c.applicant))).name;
      applicant.set(String(c.id), typeof name === 'string' ? name : null);
    } catch {
      applicant.set(String(c.id), null); // a row sealed with a key no longer held: the page still loads
    }
  }
  return tasks.map((t) => ({
    ...t,
    assigneeName: names.user(t.assignee),
    ownerName: names.user(t.owner),
    completedByName: names.user(t.completedBy),
    groups: t.candidateGroups.map((g) => namedGroup(names, g)),
    applicantName: applicant.get(t.caseId) ?? null,
    workingDaysLeft: left.get(t.userTaskKey) ?? null,
  }));
}
