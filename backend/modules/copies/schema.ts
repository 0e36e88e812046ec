import { z } from '../../http/zod.ts';

const userId = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,63}$/, 'a user id like jn-01-01.wr.head');
const unitCode = z.string().regex(/^[A-Z]{2}(-\d{2}){0,2}\.[A-Z]{2,4}$/, 'a department unit code like JN-01-01.WR');

export const CopyBody = z
  .object({
    users: z.array(userId).max(50).default([]),
    units: z.array(unitCode).max(20).default([]),
    note: z.string().trim().max(500).default(''),
  })
  .strict()
  .refine((b) => b.users.length + b.units.length > 0, { message: 'copy to at least one person or unit', path: ['users'] })
  .openapi('CopyCase');
export type CopyBody = z.infer<typeof CopyBody>;

export const CopyListQuery = z.object({ unread: z.enum(['true', 'false']).default('false') });
