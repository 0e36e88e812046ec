import { z } from '../../http/zod.ts';

export const ItemCodeParams = z.object({ code: z.string().min(1).max(64) });

export const ServiceItemSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    itemType: z.string(),
    department: z.string(),
    handlingLevel: z.enum(['county', 'city', 'province']),
    implementingBody: z.string(),
    legalBasis: z.string(),
    statutoryLimitDays: z.number().int(),
    promisedLimitDays: z.number().int(),
    materials: z.array(z.object({ name: z.string(), required: z.boolean(), rules: z.record(z.string(), z.unknown()).optional() })),
    fees: z.array(z.object({ name: z.string(), amountYuan: z.number(), basis: z.string() })),
    version: z.number().int().openapi({ description: 'the current catalogue version; cases keep the one they were filed under' }),
    processId: z.string(),
    processVersion: z.number().int().nullable(),
    processSettings: z.record(z.string(), z.unknown()),
    active: z.boolean(),
    applicationForm: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'the application form (申请表): a form-js schema, versioned with the item; null: none' }),
  })
  .openapi('ServiceItem');

export const BindProcessBody = z
  .object({
    version: z.number().int().min(1).nullable().openapi({ description: 'a deployed version of the item’s process, or null for always the latest' }),
  })
  .strict()
  .openapi('BindProcess');

const FORMATS = ['pdf', 'ofd', 'jpg', 'png', 'docx', 'xlsx'] as const;

/** One required material and its rules: formats, size, copies, original to be shown (原件), electronic accepted. */
export const MaterialSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    required: z.boolean(),
    rules: z
      .object({
        formats: z.array(z.enum(FORMATS)).min(1).max(FORMATS.length).optional(),
        maxSizeMb: z.number().int().min(1).max(200).optional(),
        copies: z.number().int().min(1).max(20).optional(),
        original: z.boolean().optional().openapi({ description: 'the original must be shown at the window (原件)' }),
        electronic: z.boolean().optional().openapi({ description: 'an electronic copy is accepted' }),
        note: z.string().max(500).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('Material');

export const FeeSchema = z
  .object({ name: z.string().trim().min(1).max(200), amountYuan: z.number().min(0).max(1e9), basis: z.string().trim().min(1).max(500).openapi({ description: 'the charging basis (收费依据)' }) })
  .strict()
  .openapi('Fee');

const ProcessSettingsSchema = z
  .object({
    jointDepartments: z.array(z.string().regex(/^[A-Z]{2,4}$/)).max(10).optional(),
    leadDepartment: z.string().regex(/^[A-Z]{2,4}$/).optional(),
    correctionWindow: z.string().regex(/^P(\d+D|\d+W)$/, 'an ISO-8601 duration in days or weeks, e.g. P30D').optional(),
  })
  .strict();

/** The catalogue fields an administrator writes (the code is fixed once created). */
const ItemFields = z
  .object({
    name: z.string().trim().min(1).max(200),
    itemType: z.string().trim().min(1).max(32),
    department: z.string().regex(/^[A-Z]{2,4}$/, 'a department code such as WR'),
    handlingLevel: z.enum(['county', 'city', 'province']),
    implementingBody: z.string().trim().min(1).max(200),
    legalBasis: z.string().trim().min(1).max(5000),
    statutoryLimitDays: z.number().int().min(1).max(365),
    promisedLimitDays: z.number().int().min(1).max(365),
    materials: z.array(MaterialSchema).max(100),
    fees: z.array(FeeSchema).max(50).default([]),
    processId: z.string().regex(/^[A-Za-z_][\w.-]{0,99}$/, 'a BPMN process id'),
    processSettings: ProcessSettingsSchema.default({}),
    active: z.boolean().default(true),
    applicationForm: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .openapi({ description: 'the application form (申请表) as a form-js schema (README: Forms); null removes it; left out: unchanged' }),
  })
  .strict();
const promiseWithinLaw = (b: { promisedLimitDays: number; statutoryLimitDays: number }) => b.promisedLimitDays <= b.statutoryLimitDays;
const promiseProblem = { path: ['promisedLimitDays'], message: 'the promised limit cannot be longer than the statutory one' };

export const CreateItemBody = ItemFields.extend({ code: z.string().min(1).max(64).openapi({ description: 'the 12-digit basic code of GB/T 39554.1' }) })
  .refine(promiseWithinLaw, promiseProblem)
  .openapi('CreateItem');
export const UpdateItemBody = ItemFields.refine(promiseWithinLaw, promiseProblem).openapi('UpdateItem');
export type ItemFields = z.infer<typeof UpdateItemBody>;

export const ItemVersionSchema = z.object({ version: z.number().int(), createdBy: z.string().nullable(), createdAt: z.string(), item: z.record(z.string(), z.unknown()) }).openapi('ItemVersion');
