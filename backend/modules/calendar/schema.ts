import { z } from '../../http/zod.ts';
import { isCivilDate } from './calendar.ts';

const day = z.string().refine(isCivilDate, 'a real date written YYYY-MM-DD').openapi({ example: '2026-10-01' });
const year = z.coerce.number().int('a year is a whole number').min(2000, 'a year from 2000 to 2100').max(2100, 'a year from 2000 to 2100').openapi({ type: 'integer', example: 2026 });
/** '' is the national calendar; an overlay belongs to a province (JN), never to a city or county */
const editableRegion = z.union([z.literal(''), z.string().regex(/^[A-Z]{2}$/, "'' for the national calendar or a province code like JN (overlays are per province)")]);
const anyRegion = z.union([z.literal(''), z.string().regex(/^[A-Z]{2}(-\d{2}){0,2}$/, 'a region code like JN, JN-01 or JN-01-02 (empty: the national calendar)')]);

export const YearParams = z.object({ year });
export const DayParams = z.object({ day });
export const RegionQuery = z.object({ region: anyRegion.default('').openapi({ description: "whose calendar: a region code (its province's overlay applies) or empty for the national one" }) });
export const EditRegionQuery = z.object({ region: editableRegion.default('').openapi({ description: "'' (default) national, or a province code" }) });

export const DayKindSchema = z.enum(['holiday', 'workday']).openapi({ description: 'holiday: a statutory day off · workday: a make-up working day (调休上班) on a Saturday or Sunday' });

export const PutDayBody = z
  .object({
    kind: DayKindSchema,
    name: z.string().trim().min(1, 'name the day, e.g. 国庆节 or 国庆节调休上班').max(100),
    regionCode: editableRegion.default(''),
  })
  .strict()
  .openapi('CalendarDayEdit');

export const PublishBody = z
  .object({
    source: z.string().trim().min(2, 'cite the notice the year comes from').max(500),
    regionCode: editableRegion.default(''),
  })
  .strict()
  .openapi('CalendarPublish');

export const CalendarDaySchema = z
  .object({ regionCode: z.string(), day: z.string(), kind: DayKindSchema, name: z.string(), updatedAt: z.number().int(), updatedBy: z.string().nullable() })
  .openapi('CalendarDay');

export const PublicationSchema = z
  .object({ regionCode: z.string(), year: z.number().int(), source: z.string(), publishedAt: z.number().int(), publishedBy: z.string().nullable(), recomputed: z.number().int().optional().openapi({ description: 'clocks counted on the provisional calendar and recomputed on publishing' }) })
  .openapi('CalendarPublication');

export const CalendarYearSchema = z
  .object({
    year: z.number().int(),
    regionCode: z.string(),
    provinceCode: z.string(),
    published: z.boolean().openapi({ description: 'the national calendar is published: deadlines can run through this year' }),
    provisional: z.boolean().openapi({ description: 'not published yet: deadlines count on weekends plus statutory holidays and are shown as 暂定' }),
    provisionalDays: z.array(z.object({ day: z.string(), name: z.string() })).openapi({ description: 'the statutory days off of the provisional calendar (when provisional)' }),
    national: PublicationSchema.nullable(),
    province: PublicationSchema.nullable(),
    days: z.array(CalendarDaySchema),
  })
  .openapi('CalendarYear');

export const ImportBody = z
  .object({
    content: z.string().min(10, 'the file is empty').max(500_000, 'a calendar file is at most 500 kB').openapi({ description: 'one date a line (YYYY-MM-DD [holiday|workday|休|班] [name]), or an iCalendar file' }),
    source: z.string().trim().min(2, 'cite the notice the file comes from').max(500),
    regionCode: editableRegion.default(''),
  })
  .strict()
  .openapi('CalendarImport');

export const ImportResultSchema = z.object({ imported: z.number().int(), removed: z.number().int() }).openapi('CalendarImportResult');
