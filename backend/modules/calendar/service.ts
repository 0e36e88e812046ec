/**
 * The calendar in the database: exception days per region ('' national, 'JN' a province's overlay)
 * and the years published per region. Deadlines ask `calendarFor(db, region)` for a WorkingCalendar
 * and compute in memory.
 *
 * Caching: each process keeps the calendars it built, keyed by province, and drops them all on every
 * edit it makes itself. Other instances do not hear of that edit: each rebuilds after a TTL of 60 s,
 * so a calendar change reaches every instance within a minute. (Calendar edits are rare and made well
 * ahead of the days they concern, so that is enough; a pub/sub invalidation could replace the TTL.)
 */
import type { Db, Trx } from '../../db/knex.ts';
import { AppError } from '../../errors.ts';
import type { DomainEvent } from '../../events.ts';
import { appendAudit } from '../audit/service.ts';
import { statutoryHolidays, type StatutoryHoliday } from './provisional.ts';
import { WorkingCalendar, dayNumber, isWeekend, type CalendarDayRow, type DayKind } from './calendar.ts';

export const CALENDAR_TTL_MS = 60_000;

/**
 * How many years after the last published one are counted provisionally. Two: a case accepted in
 * December with the longest limits, an extension and a long special procedure still ends inside
 * them; a period reaching further is refused (a gap) rather than guessed.
 */
export const PROVISIONAL_YEARS_AHEAD = 2;

/** The provisional years that follow the published ones (and any unpublished year between them). */
export function provisionalYearsAfter(published: number[]): number[] {
  if (published.length === 0) return [];
  const have = new Set(published);
  const out: number[] = [];
  for (let y = Math.min(...published); y <= Math.max(...published) + PROVISIONAL_YEARS_AHEAD; y++) if (!have.has(y)) out.push(y);
  return out;
}

/** 'JN-01-01' → 'JN'; '' (national) stays ''. The province is the first segment of a region code. */
export const provinceOf = (regionCode: string): string => regionCode.split('-')[0] ?? '';

interface Entry {
  loadedAt: number;
  calendar: Promise<WorkingCalendar>;
}

// Keyed by the knex client's config object, which a knex instance shares with every transaction it
// opens (knex makeTxClient): a lookup through a transaction (the deadlines module plans clocks inside
// one) hits the same cache, while offices (and tests) on different databases never share one. A miss
// loads through the handle given — on SQLite (one connection) the root handle would wait for the
// transaction. Nothing edits the calendar inside a wider transaction, so a load never caches
// uncommitted calendar rows.
let cache = new WeakMap<object, Map<string, Entry>>();
const cacheKey = (db: Db): object => db.client.config as object;

/** Forget every calendar this process built. Edits call it; call it too after committing an edit made in your own transaction. */
export function invalidateCalendarCache(): void {
  cache = new WeakMap();
}

type Row = Record<string, unknown>;

const toDay = (r: Row): CalendarDayRow => ({ regionCode: String(r.region_code), day: String(r.day), kind: String(r.kind) as DayKind, name: String(r.name) });

/** Builds a region's calendar from the database, uncached: inside a transaction it sees that transaction's rows. */
export async function loadCalendar(db: Db, regionCode: string): Promise<WorkingCalendar> {
  return load(db, provinceOf(regionCode));
}

async function load(db: Db, province: string): Promise<WorkingCalendar> {
  const regions = province === '' ? [''] : ['', province];
  const [days, years] = await Promise.all([
    db('calendar_days').whereIn('region_code', regions).select('region_code', 'day', 'kind', 'name'),
    db('calendar_years').where({ region_code: '' }).select('year'),
  ]);
  // national rows first, the overlay after: the overlay wins where both name a day
  const rows = (days as Row[]).map(toDay).sort((a, b) => (a.regionCode === b.regionCode ? 0 : a.regionCode === '' ? -1 : 1));
  // A year is covered once the national calendar is published for it; a province's overlay adds
  // local days to covered years but cannot cover a year on its own.
  const published = (years as Row[]).map((y) => Number(y.year));
  return new WorkingCalendar(rows, published, provisionalYearsAfter(published));
}

/** The working-day calendar of a region: the national calendar overlaid by its province's days. */
export async function calendarFor(db: Db, regionCode: string): Promise<WorkingCalendar> {
  const province = provinceOf(regionCode);
  let perDb = cache.get(cacheKey(db));
  if (!perDb) {
    perDb = new Map();
    cache.set(cacheKey(db), perDb);
  }
  const now = performance.now();
  const hit = perDb.get(province);
  if (hit && now - hit.loadedAt < CALENDAR_TTL_MS) return hit.calendar;
  const entry: Entry = { loadedAt: now, calendar: load(db, province) };
  perDb.set(province, entry);
  // a failed load is not cached
  entry.calendar.catch(() => {
    if (perDb.get(province) === entry) perDb.delete(province);
  });
  return entry.calendar;
}

export interface DayEdit {
  /** '' national, or a province code ('JN') */
  regionCode: string;
  day: string;
  kind: DayKind;
  name: string;
}

export interface CalendarDay extends DayEdit {
  updatedAt: number;
  updatedBy: string | null;
}

const toCalendarDay = (r: Row): CalendarDay => ({ ...toDay(r), updatedAt: Number(r.updated_at), updatedBy: r.updated_by === null || r.updated_by === undefined ? null : String(r.updated_by) });

/**
 * Enters or changes one day of a region's calendar. A make-up working day must fall on a weekend
 * (any other day already is one). Changing a day of a year whose national calendar is published
 * moves the deadlines that count across it: `onChanged` recomputes them in the same transaction
 * (days of an unpublished year are a draft, counted by nobody until the year is published).
 */
export async function setDay(db: Db, edit: DayEdit, by: string | null, now = Date.now(), onChanged?: DayChangeHook): Promise<CalendarDay & { recomputed: number; events: DomainEvent[] }> {
  const n = dayNumber(edit.day);
  if (edit.kind === 'workday' && !isWeekend(n)) {
    throw new AppError('VALIDATION_FAILED', `${edit.day} is a weekday and so already a working day: only a Saturday or Sunday can be a make-up working day (调休上班)`, [{ path: 'body.kind', message: 'a make-up working day must be a Saturday or Sunday' }]);
  }
  const row = { region_code: edit.regionCode, day: edit.day, kind: edit.kind, name: edit.name, updated_at: now, updated_by: by };
  const after = await db.transaction(async (trx) => {
    await trx('calendar_days').insert(row).onConflict(['region_code', 'day']).merge(['kind', 'name', 'updated_at', 'updated_by']);
    await appendAudit(trx, { actor: by, action: 'calendar.day.set', subject: 'calendar', subjectId: `${edit.regionCode || 'national'}:${edit.day}`, reason: `${edit.kind} ${edit.name}`, at: now });
    return dayChanged(trx, edit.regionCode, [edit.day], by, now, onChanged);
  });
  invalidateCalendarCache();
  return { ...toCalendarDay(row), ...after };
}

/**
 * What changing days of a region's calendar does to the clocks counting across them: run in the
 * changing transaction, supplied by the deadlines module (app wiring), like `PublishHook`.
 */
export type DayChangeHook = (trx: Trx, p: { regionCode: string; day: string; at: number; by: string | null }) => Promise<{ recomputed: number; events: DomainEvent[] }>;

async function dayChanged(trx: Trx, regionCode: string, days: string[], by: string | null, at: number, onChanged?: DayChangeHook): Promise<{ recomputed: number; events: DomainEvent[] }> {
  const out = { recomputed: 0, events: [] as DomainEvent[] };
  if (!onChanged || days.length === 0) return out;
  const published = new Set((await trx('calendar_years').where({ region_code: '' }).pluck('year')).map(Number));
  // earliest first: a clock spanning several changed days is recomputed at the first, and again only if a later day moves it further
  for (const day of [...new Set(days)].sort()) {
    if (!published.has(Number(day.slice(0, 4)))) continue;
    const r = await onChanged(trx, { regionCode, day, at, by });
    out.recomputed += r.recomputed;
    out.events.push(...r.events);
  }
  return out;
}

/** Removes one day's exception, so the day follows the week again. False if there was none. */
export async function deleteDay(db: Db, regionCode: string, day: string, by: string | null = null, now = Date.now(), onChanged?: DayChangeHook): Promise<{ removed: boolean; events: DomainEvent[] }> {
  dayNumber(day);
  const result = await db.transaction(async (trx) => {
    const n = await trx('calendar_days').where({ region_code: regionCode, day }).delete();
    if (n === 0) return { removed: false, events: [] };
    await appendAudit(trx, { actor: by, action: 'calendar.day.delete', subject: 'calendar', subjectId: `${regionCode || 'national'}:${day}`, at: now });
    return { removed: true, events: (await dayChanged(trx, regionCode, [day], by, now, onChanged)).events };
  });
  invalidateCalendarCache();
  return result;
}

/**
 * Replaces a year's entries of one region with the days of an imported file, in one transaction:
 * a file is the whole notice, so days it does not name are removed rather than merged. Publishing
 * stays a separate, deliberate step.
 */
export async function importYear(db: Db, p: { regionCode: string; year: number; days: Array<{ day: string; kind: DayKind; name: string }>; source: string }, by: string | null, now = Date.now(), onChanged?: DayChangeHook): Promise<{ imported: number; removed: number; events: DomainEvent[] }> {
  const [first, last] = yearRange(p.year);
  const result = await db.transaction(async (trx) => {
    const before = (await trx('calendar_days').where({ region_code: p.regionCode }).whereBetween('day', [first, last]).select('day', 'kind')) as Array<{ day: string; kind: string }>;
    const removed = await trx('calendar_days').where({ region_code: p.regionCode }).whereBetween('day', [first, last]).delete();
    const rows = p.days.map((d) => ({ region_code: p.regionCode, day: d.day, kind: d.kind, name: d.name, updated_at: now, updated_by: by }));
    for (let i = 0; i < rows.length; i += 200) await trx('calendar_days').insert(rows.slice(i, i + 200));
    await appendAudit(trx, { actor: by, action: 'calendar.year.import', subject: 'calendar', subjectId: `${p.regionCode || 'national'}:${p.year}`, reason: `${rows.length} days from ${p.source}`, at: now });
    // re-importing a published year: the days whose kind changed move the clocks counting across them
    const was = new Map(before.map((d) => [String(d.day), String(d.kind)]));
    const now2 = new Map(rows.map((d) => [d.day, d.kind as string]));
    const changed = [...new Set([...was.keys(), ...now2.keys()])].filter((d) => was.get(d) !== now2.get(d));
    const { events } = await dayChanged(trx, p.regionCode, changed, by, now, onChanged);
    return { imported: rows.length, removed, events };
  });
  invalidateCalendarCache();
  return result;
}

export interface Publication {
  regionCode: string;
  year: number;
  source: string;
  publishedAt: number;
  publishedBy: string | null;
}

const toPublication = (r: Row): Publication => ({ regionCode: String(r.region_code), year: Number(r.year), source: String(r.source), publishedAt: Number(r.published_at), publishedBy: r.published_by === null || r.published_by === undefined ? null : String(r.published_by) });

export interface CalendarYear {
  year: number;
  /** the region asked for ('' national, 'JN-01-01' …) and the province whose overlay applies */
  regionCode: string;
  provinceCode: string;
  /** the national calendar is published for this year: deadlines can be computed in it */
  published: boolean;
  /** not published, and counted on the provisional calendar (weekends plus statutory holidays) */
  provisional: boolean;
  provisionalDays: StatutoryHoliday[];
  national: Publication | null;
  /** the province's overlay is declared complete for this year (null for the national calendar) */
  province: Publication | null;
  /** the exceptions in force for the region, overlay applied, by date */
  days: CalendarDay[];
}

const yearRange = (year: number): [string, string] => [`${String(year).padStart(4, '0')}-01-01`, `${String(year).padStart(4, '0')}-12-31`];

export async function listYear(db: Db, regionCode: string, year: number): Promise<CalendarYear> {
  const province = provinceOf(regionCode);
  const regions = province === '' ? [''] : ['', province];
  const [first, last] = yearRange(year);
  const [days, pubs, nationalYears] = await Promise.all([
    db('calendar_days').whereIn('region_code', regions).whereBetween('day', [first, last]).orderBy('day'),
    db('calendar_years').whereIn('region_code', regions).where({ year }),
    db('calendar_years').where({ region_code: '' }).pluck('year'),
  ]);
  const provisional = provisionalYearsAfter((nationalYears as unknown[]).map(Number)).includes(year);
  const byDay = new Map<string, CalendarDay>();
  for (const r of (days as Row[]).map(toCalendarDay)) {
    const existing = byDay.get(r.day);
    if (!existing || r.regionCode !== '') byDay.set(r.day, r);
  }
  const publications = (pubs as Row[]).map(toPublication);
  const national = publications.find((p) => p.regionCode === '') ?? null;
  return {
    year,
    regionCode,
    provinceCode: province,
    published: national !== null,
    provisional,
    provisionalDays: provisional ? statutoryHolidays(year) : [],
    national,
    province: province === '' ? null : (publications.find((p) => p.regionCode === province) ?? null),
    days: [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)),
  };
}

/**
 * What publishing the national year does to the clocks counted on its provisional calendar: run in
 * the publishing transaction, so either the year is published with every such clock recomputed or
 * neither happens. The deadlines module supplies it (app wiring); the calendar knows no clocks.
 */
export type PublishHook = (trx: Trx, p: { year: number; at: number; by: string | null }) => Promise<{ recomputed: number; events: DomainEvent[] }>;

/**
 * Declares a region's calendar for a year complete. Publishing the national year is what lets
 * deadlines run into it, so it is refused while that year has no days off entered at all (a year
 * without a single holiday is a forgotten year, not a real one). Publishing again updates the source.
 */
export async function publishYear(db: Db, p: { regionCode: string; year: number; source: string }, by: string | null, now = Date.now(), onPublished?: PublishHook): Promise<Publication & { recomputed: number; events: DomainEvent[] }> {
  if (p.regionCode === '') {
    const [first, last] = yearRange(p.year);
    const holidays = await db('calendar_days').where({ region_code: '', kind: 'holiday' }).whereBetween('day', [first, last]).count({ n: '*' }).first();
    if (Number(holidays?.n ?? 0) === 0) {
      throw new AppError('CONFLICT', `the national calendar for ${p.year} has no days off yet: enter the year's holidays and make-up working days from the State Council's notice, then publish`);
    }
  }
  const row = { region_code: p.regionCode, year: p.year, source: p.source, published_at: now, published_by: by };
  const after = await db.transaction(async (trx) => {
    await trx('calendar_years').insert(row).onConflict(['region_code', 'year']).merge(['source', 'published_at', 'published_by']);
    await appendAudit(trx, { actor: by, action: 'calendar.year.publish', subject: 'calendar', subjectId: `${p.regionCode || 'national'}:${p.year}`, reason: p.source, at: now });
    // only the national year decides whether a year is provisional
    return p.regionCode === '' && onPublished ? onPublished(trx, { year: p.year, at: now, by }) : { recomputed: 0, events: [] };
  });
  invalidateCalendarCache();
  return { ...toPublication(row), ...after };
}
