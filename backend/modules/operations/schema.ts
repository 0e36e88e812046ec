import { z } from '../../http/zod.ts';
import { TaskSchema } from '../tasks/schema.ts';

const reason = z.string().max(2000).openapi({ description: 'why (recorded on the timeline and in the audit log); required' });
const person = z.string().min(1).max(64).openapi({ description: 'user id of a person of your own unit' });

export const ReturnBody = z
  .object({
    target: z.string().min(1).max(100).openapi({ description: 'element id of a step already passed that this step allows (GET …/return-targets)' }),
    mode: z.enum(['again', 'back_to_me']).default('again').openapi({ description: 'again: after the correction the case goes through the steps in between again · back_to_me: it comes straight back to this step' }),
    reason,
  })
  .strict()
  .openapi('ReturnTask');

export const RejectBody = z
  .object({ reason, remedies: z.string().max(2000).optional().openapi({ description: 'the applicant’s remedies (行政复议 / 行政诉讼); required when the step’s rule ends the case with a refusal' }) })
  .strict()
  .openapi('RejectTask');
export const ReasonBody = z.object({ reason }).strict().openapi('OperationReason');
export const HandToBody = z.object({ to: person, reason }).strict().openapi('HandTask');
export const ResolveBody = z.object({ opinion: z.string().max(2000).openapi({ description: 'the delegate’s answer for the owner; required' }) }).strict().openapi('ResolveTask');

export const ReturnTargets = z
  .object({ items: z.array(z.object({ elementId: z.string(), name: z.string(), previous: z.boolean(), handledBy: z.string().nullable() })) })
  .openapi('ReturnTargets');
export const Colleagues = z.object({ items: z.array(z.object({ userId: z.string(), displayName: z.string(), mayDecide: z.boolean() })) }).openapi('Colleagues');
export const Withdrawable = z.object({ task: TaskSchema.nullable() }).openapi('Withdrawable');
export const CaseIdParams = z.object({ id: z.string().uuid() });

export const BatchBody = z
  .object({
    keys: z.array(z.string().min(1).max(64)).min(1).max(100).openapi({ description: 'user task keys, all of one step' }),
    decision: z.string().min(1).max(32),
    opinion: z.string().max(2000).default(''),
  })
  .strict()
  .openapi('BatchComplete');
export const BatchResult = z
  .object({ items: z.array(z.object({ userTaskKey: z.string(), ok: z.boolean(), status: z.number().int(), message: z.string().nullable() })) })
  .openapi('BatchResult');
