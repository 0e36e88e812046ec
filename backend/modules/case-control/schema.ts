import { z } from '../../http/zod.ts';

/** 特别程序 of 行政许可法 art. 45: time spent in them is not counted. */
export const SPECIAL_PROCEDURES = ['hearing', 'expert_review', 'inspection', 'testing', 'quarantine', 'appraisal', 'tender', 'auction'] as const;
export type SpecialProcedure = (typeof SPECIAL_PROCEDURES)[number];

export const SuspendBody = z
  .object({
    reason: z.string().trim().min(2, 'say why the case is suspended').max(500),
    procedure: z.enum(SPECIAL_PROCEDURES).optional().openapi({ description: 'a special procedure: only then does the decision clock pause while suspended' }),
    expectedDays: z.number().int().min(1).max(365).optional().openapi({ description: 'how long the special procedure takes (the applicant is told in writing)' }),
  })
  .strict()
  .refine((b) => !b.procedure || b.expectedDays !== undefined, { message: 'a special procedure needs its expected duration (expectedDays)', path: ['expectedDays'] })
  .openapi('SuspendCase');
export type SuspendBody = z.infer<typeof SuspendBody>;

export const ResumeBody = z.object({ reason: z.string().trim().min(2, 'say why the case resumes').max(500) }).strict().openapi('ResumeCase');

export const TerminateBody = z
  .object({
    kind: z.enum(['withdrawn', 'statutory']).openapi({ description: 'withdrawn: the applicant withdrew the application; statutory: the law ends the procedure' }),
    reason: z.string().trim().min(2, 'the applicant’s notice must say why').max(1000),
  })
  .strict()
  .openapi('TerminateCase');
export type TerminateBody = z.infer<typeof TerminateBody>;
