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

export const AddSignerBody = z
  .object({
    to: z.string().min(1).max(64).openapi({ description: 'user id of the signer (GET …/signers lists who may sign)' }),
    position: z.enum(['before', 'after']).optional().openapi({ description: 'ordinary step: before (the signer acts first, then the task comes back to you) or after (the signer acts after your decision and decides the step); omitted on a countersign, where the signer is added beside the others' }),
    decision: z.string().min(1).max(32).optional().openapi({ description: 'position after: your own decision, one of the step’s decisions (recorded with your reason)' }),
    reason,
  })
  .strict()
  .openapi('AddSigner');
export const RemoveSignerBody = z.object({ signer: z.string().min(1).max(64).openapi({ description: 'the user task key of the open countersign instance to remove' }), reason }).strict().openapi('RemoveSigner');
export const Signers = z
  .object({
    countersign: z.boolean().openapi({ description: 'a parallel multi-instance step: 加签 adds an instance, 减签 removes one' }),
    candidates: z.array(z.object({ userId: z.string(), displayName: z.string(), unitCode: z.string() })),
    open: z.array(z.object({ userTaskKey: z.string(), assignee: z.string().nullable(), candidateGroups: z.array(z.string()) })),
  })
  .openapi('Signers');

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
