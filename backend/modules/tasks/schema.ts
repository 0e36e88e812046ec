import { z } from '../../http/zod.ts';
import { isCivilDate } from '../calendar/calendar.ts';
import { taskKey } from '../../http/ids.ts';

/** the levels a step clock raises (none is the absence of one) */
export type AlertLevel = 'warning' | 'yellow' | 'red';

export const TaskKeyParams = z.object({ key: taskKey });

export const TaskListQuery = z.object({
  scope: z.enum(['all', 'mine', 'available', 'done']).default('all').openapi({ description: 'mine: claimed by me · available: unclaimed in my groups · all: both · done (已办): steps I completed (state is then completed)' }),
  state: z.enum(['open', 'completed', 'canceled']).default('open'),
  itemCode: z.string().max(64).optional(),
  elementId: z.string().max(100).optional(),
  caseId: z.string().uuid().optional(),
  caseNo: z.string().max(32).optional().openapi({ description: 'the case number, exactly' }),
  level: z
    .string()
    .regex(/^(warning|yellow|red)(,(warning|yellow|red))*$/, 'warning, yellow or red, or a comma list of them')
    .transform((s) => [...new Set(s.split(','))] as AlertLevel[])
    .optional()
    .openapi({ type: 'string', description: 'deadline level of the step: warning · yellow (overdue) · red (督办 unanswered); a comma list for several' }),
  dueBefore: z
    .string()
    .refine(isCivilDate, 'a date YYYY-MM-DD')
    .optional()
    .openapi({ description: 'steps due on or before this day (Beijing date); steps without a deadline are left out' }),
  sort: z.enum(['created', '-created', 'due', '-due']).default('created').openapi({ description: 'by creation or by the step’s due date (steps without one come last either way)' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().max(200).optional().openapi({ description: 'cursor from the previous page (keyset pagination)' }),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;

export const CompleteTaskBody = z
  .object({
    decision: z.string().min(1).max(32),
    opinion: z.string().max(2000).default(''),
    form: z.record(z.string(), z.unknown()).optional().openapi({ description: 'the step’s approval form (step setting approvalForm), field key → value; a 400 names each field as body.form.<key>' }),
  })
  .strict()
  .openapi('CompleteTask');

export const TaskSchema = z
  .object({
    userTaskKey: z.string(),
    caseId: z.string(),
    caseNo: z.string().nullable(),
    itemCode: z.string(),
    elementId: z.string(),
    name: z.string(),
    candidateGroups: z.array(z.string()),
    candidateUsers: z.array(z.string()),
    decisions: z.array(z.string()),
    stepLimitDays: z.number().nullable(),
    assignee: z.string().nullable(),
    state: z.enum(['open', 'completed', 'canceled']),
    decision: z.string().nullable(),
    opinion: z.string().nullable(),
    completedBy: z.string().nullable(),
    createdAt: z.string().nullable(),
    claimedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    dueAt: z.string().nullable().openapi({ description: 'end of the step’s last working day (its step clock); null: the step has no limit' }),
    dueOn: z.string().nullable().openapi({ description: 'that day, YYYY-MM-DD in Beijing' }),
    level: z.enum(['none', 'warning', 'yellow', 'red']),
    owner: z.string().nullable().openapi({ description: '委派: who delegated the task and gets it back; the assignee is the delegate' }),
    returnToElement: z.string().nullable().openapi({ description: '退回 straight back: the step the task goes to after the correction' }),
    assigneeName: z.string().nullable().openapi({ description: 'display names of the people: assignee, owner, completer' }),
    ownerName: z.string().nullable(),
    completedByName: z.string().nullable(),
    groups: z.array(z.object({ group: z.string(), unitCode: z.string(), unitName: z.string().nullable(), role: z.string() })).openapi({ description: 'the candidate groups with their unit’s name (the role group is worded by the client)' }),
    applicantName: z.string().nullable().openapi({ description: 'the applicant’s name, masked' }),
    workingDaysLeft: z.number().int().nullable().openapi({ description: 'working days left on the step clock, counted as the case page counts them (negative: overdue); null without a running limit' }),
    signer: z.string().nullable().openapi({ description: '加签: the person added as a signer who holds the task now' }),
    signPosition: z.enum(['before', 'after']).nullable().openapi({ description: '加签 before (the task comes back to signBy) or after (the signer decides the step)' }),
    signBy: z.string().nullable().openapi({ description: '加签: the holder who added the signer' }),
  })
  .openapi('Task');

export const TaskPage = z.object({ items: z.array(TaskSchema), next: z.string().nullable() }).openapi('TaskPage');
