import { z } from '../../http/zod.ts';
import { isCivilDate } from '../calendar/calendar.ts';

/** GB 11643 citizen ID: 17 digits + check character (ISO 7064 MOD 11-2). */
export function validResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

const regionCode = z.string().regex(/^[A-Z]{2}(-\d{2}){0,2}$/, 'a region code like JN, JN-01 or JN-01-02');

export const ApplicantSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('person'),
    name: z.string().trim().min(1).max(100),
    idNumber: z.string().refine(validResidentId, 'not a valid 18-character resident ID number'),
    phone: z.string().regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mainland mobile or landline number'),
    address: z.string().max(300).optional(),
  }),
  z.object({
    kind: z.literal('organisation'),
    name: z.string().trim().min(1).max(200),
    idNumber: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, 'not a unified social credit code'),
    phone: z.string().regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mainland mobile or landline number'),
    address: z.string().max(300).optional(),
    contact: z.string().max(100).optional(),
  }),
]);

export const SubmitCaseBody = z
  .object({
    itemCode: z.string().min(1).max(64),
    regionCode: regionCode.openapi({ description: 'where the application is filed: a county for county-level items, a city for city-level items' }),
    applicant: ApplicantSchema,
    materials: z.array(z.object({ name: z.string().min(1).max(200) })).max(100).default([]),
    form: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'the item’s application form (申请表), field key → value; checked against the form of the item’s current version (a 400 names each field as body.form.<key>)' }),
  })
  .strict()
  .openapi('SubmitCase');
export type SubmitCaseBody = z.infer<typeof SubmitCaseBody>;

export const IdempotencyHeader = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, '8–100 letters, digits, _ . : -').optional();

export const CaseIdParams = z.object({ id: z.string().uuid('a case id is a UUID') });

const day = (what: string) => z.string().refine(isCivilDate, 'a date YYYY-MM-DD').optional().openapi({ description: `${what} (Beijing date, inclusive)` });

/** The register's search (GET /api/cases and its XLSX export): every filter narrows, within the caller's remit. */
export const CaseSearchQuery = z
  .object({
    caseNo: z.string().trim().regex(/^[A-Za-z0-9]{1,32}$/, 'letters and digits of a case number').optional().openapi({ description: 'the case number or its beginning' }),
    status: z.enum(['submitted', 'in_progress', 'concluded']).optional(),
    itemCode: z.string().max(64).optional(),
    regionCode: regionCode.optional().openapi({ description: 'where the case was filed: this region and the regions below it' }),
    applicantIdNumber: z.string().trim().min(1).max(32).optional().openapi({ description: 'exact, through the keyed hash index (the data stays sealed)' }),
    applicantPhone: z.string().trim().min(1).max(20).optional().openapi({ description: 'exact, through the keyed hash index' }),
    applicantName: z.string().trim().min(1).max(200).optional().openapi({ description: 'the full name, exact, through the keyed hash index' }),
    submittedFrom: day('filed on or after'),
    submittedTo: day('filed on or before'),
    acceptedFrom: day('accepted (decision clock started) on or after'),
    acceptedTo: day('accepted on or before'),
    dueFrom: day('decision due on or after'),
    dueTo: day('decision due on or before'),
    level: z.enum(['warning', 'yellow', 'red']).optional().openapi({ description: 'a running clock of the case (decision or step) is at this level' }),
    mine: z.enum(['done', 'involved']).optional().openapi({ description: 'done (已办): cases with a step I completed · involved (我经办的): cases I filed or acted on' }),
  })
  .strict();
export type CaseSearchQuery = z.infer<typeof CaseSearchQuery>;

export const CaseListQuery = CaseSearchQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().max(200).optional().openapi({ description: 'the `next` cursor of the previous page' }),
}).strict();
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const CaseExportQuery = CaseSearchQuery.extend({ lang: z.enum(['zh-CN', 'en']).default('zh-CN') }).strict();

export const ApplicantQuery = z.object({ reason: z.string().trim().min(2, 'say why you need the personal data').max(200) });

export const SupplementBody = z.object({ materials: z.array(z.object({ name: z.string().min(1).max(200) })).min(1).max(100) }).strict();

export const CaseSchema = z
  .object({
    id: z.string(),
    caseNo: z.string(),
    itemCode: z.string(),
    status: z.enum(['submitted', 'in_progress', 'concluded']),
    result: z.string().nullable(),
    awaiting: z.string().nullable(),
    processInstanceKey: z.string().nullable(),
    applicant: z.record(z.string(), z.unknown()),
    regionCode: z.string().nullable(),
    submittedAt: z.string(),
    startedAt: z.string().nullable(),
    concludedAt: z.string().nullable(),
    suspension: z
      .object({ since: z.string(), by: z.string().nullable(), reason: z.string(), procedure: z.string().nullable(), clockPaused: z.boolean() })
      .nullable()
      .optional()
      .openapi({ description: '挂起: while set, every task command answers 409 with this reason; clockPaused only for a special procedure' }),
    termination: z
      .object({ kind: z.enum(['withdrawn', 'statutory']), reason: z.string(), by: z.string().nullable(), at: z.string().nullable() })
      .nullable()
      .optional()
      .openapi({ description: '终止: why the case ended early, for the applicant’s notice' }),
    itemName: z.string().nullable().optional(),
    regionName: z.string().nullable().optional().openapi({ description: 'the name of the region where the case was filed (lists)' }),
    acceptedOn: z.string().nullable().optional().openapi({ description: 'the day the decision clock started (lists)' }),
    dueOn: z.string().nullable().optional().openapi({ description: 'the decision clock’s due day (lists)' }),
    level: z.enum(['none', 'warning', 'yellow', 'red']).nullable().optional(),
    provisional: z.boolean().nullable().optional(),
    processDefinitionKey: z.string().nullable().optional().openapi({ description: 'the definition the case runs: GET /api/processes/{key}/xml draws it' }),
    materials: z.array(z.object({ name: z.string(), source: z.enum(['submitted', 'supplemented']), at: z.string() })).optional(),
    visitedElements: z.array(z.string()).optional().openapi({ description: 'element ids of completed tasks, each once, in order of first completion' }),
    clock: z
      .object({ dueOn: z.string(), provisional: z.boolean().openapi({ description: 'the due day rests on a year not yet published (暂定)' }), level: z.enum(['none', 'warning', 'yellow', 'red']), state: z.enum(['running', 'paused', 'stopped']), workingDaysLeft: z.number().int().nullable().openapi({ description: 'the full limit on the day of acceptance; negative when overdue; null once stopped' }) })
      .nullable()
      .optional()
      .openapi({ description: 'the decision clock; null until the application is accepted' }),
    mayReadPersonalData: z.boolean().optional(),
    actions: z.array(z.enum(['suspend', 'terminate', 'pause', 'extend', 'supervise', 'copy', 'attach'])).optional().openapi({ description: 'case-level operations this user may start (suspend/resume, terminate, special procedure, extension, supervision order)' }),
    currentSteps: z.array(z.record(z.string(), z.unknown())).optional(),
    applicationForm: z
      .object({ itemVersion: z.number().int().nullable(), schema: z.record(z.string(), z.unknown()).nullable(), data: z.record(z.string(), z.unknown()) })
      .nullable()
      .optional()
      .openapi({ description: 'the application form as filed: the schema of the item version the case was filed under, and the data (process variables form_<key>)' }),
    approvalForms: z.array(z.record(z.string(), z.unknown())).optional().openapi({ description: 'approval forms filled in on decided steps (variables approval_<key>)' }),
    timeline: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .openapi('Case');
