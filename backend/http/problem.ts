import { z } from './zod.ts';

/** The one error format every 4xx/5xx uses. */
export const ProblemSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional().openapi({ description: 'values the client words the code with, e.g. retryAt (ISO) of a 429' }),
    }),
  })
  .openapi('Problem');
