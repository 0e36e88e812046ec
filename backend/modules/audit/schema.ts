import { z } from '../../http/zod.ts';

const ms = z.union([z.coerce.number().int().min(0), z.string().datetime({ offset: true }).transform((s) => Date.parse(s))]);

/** Search of the trail: who (user id or user name), what (action or its prefix: `login`, `personal-data.`), which case, when. */
const filters = {
    actor: z.string().trim().min(1).max(64).optional().openapi({ description: 'user id or user name' }),
    action: z.string().trim().regex(/^[a-z][a-z0-9._-]{0,47}$/, 'an action such as login.failed, or a family ending in a dot such as login. (login and login.*)').optional(),
    caseId: z.string().uuid('a case id').optional(),
    from: ms.optional().openapi({ description: 'from this time on (ISO 8601 or epoch ms), inclusive', type: 'string' }),
    to: ms.optional().openapi({ description: 'before this time (ISO 8601 or epoch ms), exclusive', type: 'string' }),
};
const page = {
  before: z.coerce.number().int().positive().optional().openapi({ description: 'keyset cursor: rows older than this id (the previous page’s `next`)', type: 'integer' }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ type: 'integer' }),
};
const ordered = (q: { from?: number | undefined; to?: number | undefined }) => q.from === undefined || q.to === undefined || q.from < q.to;

export const AuditQuery = z
  .object({ ...filters, ...page })
  .strict()
  .refine(ordered, { message: 'from must be before to', path: ['from'] });

export const ExportQuery = z
  .object({ ...filters, format: z.enum(['csv', 'xlsx']).default('csv') })
  .strict()
  .refine(ordered, { message: 'from must be before to', path: ['from'] });

export const AuditRowSchema = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ description: 'ISO 8601' }),
    actor: z.string().nullable(),
    actorName: z.string().nullable().openapi({ description: 'user name of the actor, when it is a user' }),
    action: z.string(),
    subject: z.string(),
    subjectId: z.string().nullable(),
    caseId: z.string().nullable(),
    caseNo: z.string().nullable(),
    reason: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .openapi('AuditRow');

export const AuditPageSchema = z.object({ items: z.array(AuditRowSchema), next: z.number().int().nullable() }).openapi('AuditPage');

export const VerifyBody = z
  .object({
    anchor: z
      .object({ id: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits'), at: z.string().max(40).default('') })
      .strict()
      .optional()
      .openapi({ description: 'an anchor shipped elsewhere (syslog): checked instead of the anchor file' }),
  })
  .strict();

export const ChainReportSchema = z
  .object({
    intact: z.boolean(),
    rows: z.number().int(),
    broken: z.object({ id: z.number().int(), reason: z.enum(['link', 'mac', 'unknown-key', 'unkeyed', 'head', 'anchor']) }).nullable(),
    head: z.object({ id: z.number().int(), hash: z.string() }).nullable(),
    anchor: z.object({ at: z.string(), id: z.number().int(), hash: z.string() }).passthrough().nullable(),
  })
  .openapi('AuditChainReport');

export type AuditQuery = z.infer<typeof AuditQuery>;
export type ExportQuery = z.infer<typeof ExportQuery>;
