import { Router } from 'express';
import type { Ctx, Identity } from '../../context.ts';
import { forbidden, notFound } from '../../errors.ts';
import { identityOf } from '../../http/identity.ts';
import { registry } from '../../http/openapi.ts';
import { parse } from '../../http/validate.ts';
import type { z } from '../../http/zod.ts';
import { abilityFor, authorize, subjectOf } from '../../authz/ability.ts';
import { CALENDAR } from './policy.ts';
import { CalendarDaySchema, CalendarYearSchema, DayParams, EditRegionQuery, ImportBody, ImportResultSchema, PublicationSchema, PublishBody, PutDayBody, RegionQuery, YearParams } from './schema.ts';
import { deleteDay, importYear, listYear, publishYear, setDay, type DayChangeHook, type PublishHook } from './service.ts';
import { parseCalendarFile } from './import.ts';

const problem = (description: string) => ({ description });
const json = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { 'application/json': { schema } } });

registry.registerPath({ method: 'get', path: '/api/calendar/{year}', tags: ['calendar'], summary: "A year of a region's working-day calendar: its days off and make-up working days, and whether it is published", request: { params: YearParams, query: RegionQuery }, responses: { 200: json('the year', CalendarYearSchema), 400: problem('bad year or region') } });
registry.registerPath({ method: 'put', path: '/api/calendar/days/{day}', tags: ['calendar'], summary: 'Enter or change a day off or a make-up working day (administrators)', request: { params: DayParams, body: { content: { 'application/json': { schema: PutDayBody } } } }, responses: { 200: json('the day as stored', CalendarDaySchema), 400: problem('not a date, unknown kind, or a make-up working day on a weekday'), 403: problem('not an administrator of that calendar') } });
registry.registerPath({ method: 'delete', path: '/api/calendar/days/{day}', tags: ['calendar'], summary: 'Remove a day’s entry so it follows the week again (administrators)', request: { params: DayParams, query: EditRegionQuery }, responses: { 204: problem('removed'), 403: problem('not an administrator of that calendar'), 404: problem('no entry for that day') } });
registry.registerPath({ method: 'post', path: '/api/calendar/years/{year}/publish', tags: ['calendar'], summary: 'Declare a year of the national calendar (or a province’s overlay) complete, citing its source (administrators)', request: { params: YearParams, body: { content: { 'application/json': { schema: PublishBody } } } }, responses: { 200: json('the publication', PublicationSchema), 403: problem('not an administrator of that calendar'), 409: problem('the national year has no days off entered') } });

registry.registerPath({ method: 'post', path: '/api/calendar/years/{year}/import', tags: ['calendar'], summary: "Replace a year's days off and make-up working days with those of a file (one date a line, or iCalendar); publishing stays a separate step (administrators)", request: { params: YearParams, body: { content: { 'application/json': { schema: ImportBody } } } }, responses: { 200: json('what was stored', ImportResultSchema), 400: problem('a line or event that cannot be read (nothing stored)'), 403: problem('not an administrator of that calendar') } });

/** After authorize(who, 'manage', CALENDAR): 403 unless the user may edit this calendar ('' national, or a province's overlay). */
function authorizeEdit(who: Identity, regionCode: string): void {
  if (!abilityFor(who).can('manage', subjectOf(CALENDAR, { regionCode }))) {
    throw forbidden(`administrators edit the national calendar and their own province's overlay, not the overlay of ${regionCode}`);
  }
}

/**
 * `onPublished`: what else publishing the national year changes, in its transaction (the deadlines
 * recompute provisional clocks); `onDayChanged`: the same for a changed day of a published year.
 */
export function calendarRoutes(ctx: Ctx, hooks: { onPublished?: PublishHook; onDayChanged?: DayChangeHook } = {}): Router {
  const r = Router();
  r.get('/calendar/:year', async (req, res) => {
    authorize(identityOf(req), 'read', CALENDAR);
    const { year } = parse(YearParams, req.params, 'params');
    const { region } = parse(RegionQuery, req.query, 'query');
    res.json(await listYear(ctx.db, region, year));
  });
  r.put('/calendar/days/:day', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'manage', CALENDAR);
    const { day } = parse(DayParams, req.params, 'params');
    const body = parse(PutDayBody, req.body, 'body');
    authorizeEdit(who, body.regionCode);
    const { events, ...entry } = await setDay(ctx.db, { regionCode: body.regionCode, day, kind: body.kind, name: body.name }, who.userId, ctx.clock.now(), hooks.onDayChanged);
    ctx.events.publish(events);
    res.json(entry);
  });
  r.delete('/calendar/days/:day', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'manage', CALENDAR);
    const { day } = parse(DayParams, req.params, 'params');
    const { region } = parse(EditRegionQuery, req.query, 'query');
    authorizeEdit(who, region);
    const { removed, events } = await deleteDay(ctx.db, region, day, who.userId, ctx.clock.now(), hooks.onDayChanged);
    if (!removed) throw notFound('calendar entry', `${region || 'national'} ${day}`);
    ctx.events.publish(events);
    res.status(204).end();
  });
  r.post('/calendar/years/:year/publish', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'manage', CALENDAR);
    const { year } = parse(YearParams, req.params, 'params');
    const body = parse(PublishBody, req.body, 'body');
    authorizeEdit(who, body.regionCode);
    const { events, ...publication } = await publishYear(ctx.db, { regionCode: body.regionCode, year, source: body.source }, who.userId, ctx.clock.now(), hooks.onPublished);
    ctx.events.publish(events);
    res.json(publication);
  });
  r.post('/calendar/years/:year/import', async (req, res) => {
    const who = identityOf(req);
    authorize(who, 'manage', CALENDAR);
    const { year } = parse(YearParams, req.params, 'params');
    const body = parse(ImportBody, req.body, 'body');
    authorizeEdit(who, body.regionCode);
    const { events, ...imported } = await importYear(ctx.db, { regionCode: body.regionCode, year, days: parseCalendarFile(body.content, year), source: body.source }, who.userId, ctx.clock.now(), hooks.onDayChanged);
    ctx.events.publish(events);
    res.json(imported);
  });
  return r;
}
