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
    materials: z.array(z.object({ name: z.string(), required: z.boolean() })),
    processId: z.string(),
    processVersion: z.number().int().nullable(),
    processSettings: z.record(z.string(), z.unknown()),
    active: z.boolean(),
  })
  .openapi('ServiceItem');

export const BindProcessBody = z
  .object({
    version: z.number().int().min(1).nullable().openapi({ description: 'a deployed version of the item’s process, or null for always the latest' }),
  })
  .strict()
  .openapi('BindProcess');
