/** Validation at the edge: zod issues become one VALIDATION_FAILED error naming each bad field. */
import type { z } from 'zod';
import { AppError } from '../errors.ts';

export function parse<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'params' | 'headers'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  const first = details[0];
  throw new AppError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : `invalid ${where}`, details);
}
