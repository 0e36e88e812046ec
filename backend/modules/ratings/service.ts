/**
 * Ratings come from the applicant only (through the status page, with the query code): one per case
 * and service, never changed afterwards. A 差评 opens its rectification in the same transaction,
 * assigned to the unit responsible for the service rated, with its 核实 and 整改 dates in working days.
 */
import type { Ctx, Identity } from '../../context.ts';
import { json } from '../../context.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';
import { abilityFor, subjectOf } from '../../authz/ability.ts';
import { beijingDate, calendarFor, endOfBeijingDay } from '../calendar/index.ts';
import { appendEvent } from '../cases/timeline.ts';
import { appendAudit } from '../audit/service.ts';
import { regionsOf } from '../../events.ts';
import { caseByCode } from '../public-query/index.ts';
import type { CaseRow } from '../cases/records.ts';
import { isBad, LEVEL_NAMES, SCORE, type RatedService, type RatingLevel } from './levels.ts';

export interface RatingInput {
  service: RatedService;
  level: RatingLevel;
  aspects: string[];
  comment?: string | undefined;
}

const unitOfGroup = (g: string) => g.split(':')[0] as string;

/** Who answers for the service: the window that received it, or the unit that decided. */
async function responsibleUnit(ctx: Ctx, c: CaseRow, service: RatedService): Promise<string | null> {
  const tasks = await ctx.db('tasks').where({ case_id: c.id, state: 'completed' }).orderBy('ended_at').select('candidate_groups', 'decision');
  const windowDone = tasks.find((t) => ['accept', 'reject', 'correct'].includes(String(t.decision)) && json.parse<string[]>(t.candidate_groups, []).some((g) => g.endsWith(':window')));
  if (service === 'window') return windowDone ? `${c.region_code}.ASC` : null;
  const decided = tasks.filter((t) => t.decision === 'grant' || t.decision === 'refuse').at(-1);
  if (decided) return unitOfGroup(json.parse<string[]>(decided.candidate_groups, [])[0] ?? '');
  // a refusal to accept is the window's decision
  return windowDone?.decision === 'reject' ? `${c.region_code}.ASC` : null;
}

export async function rate(ctx: Ctx, caseNo: string, code: string, input: RatingInput) {
  const c = await caseByCode(ctx, caseNo, code);
  const unit = await responsibleUnit(ctx, c, input.service);
  if (!unit) throw conflict(input.service === 'window' ? 'the window has not served this application yet' : 'there is no decision to rate yet');
  if (await ctx.db('ratings').where({ case_id: c.id, service: input.service }).first('id')) throw conflict(`this ${input.service} service has been rated already; a rating cannot be changed`);
  const at = ctx.clock.now();
  const score = SCORE[input.level];
  const cal = isBad(score) ? await calendarFor(ctx.db, String(c.region_code)) : null;
  let ratingId = 0;
  let rectificationId: number | null = null;
  try {
    await ctx.db.transaction(async (trx) => {
      const [id] = await trx('ratings').insert({ case_id: c.id, service: input.service, score, aspects: json.stringify(input.aspects), comment: input.comment ?? null, unit_code: unit, item_code: c.item_code, province_code: c.province_code, city_code: c.city_code, county_code: c.county_code, rated_at: at });
      ratingId = Number(id);
      await appendEvent(trx, { caseId: c.id, type: 'rating.received', data: { service: input.service, level: input.level, name: LEVEL_NAMES[input.level] }, at });
      if (!cal) return;
      // 核实 within 1 working day, 整改 within the configured working days (GB/T 39734: answered and rectified by a date)
      const today = beijingDate(at);
      const verifyBy = cal.addWorkingDays(today, 1);
      const rectifyBy = cal.addWorkingDays(today, ctx.config.RECTIFY_WORKING_DAYS);
      const [rid] = await trx('rectifications').insert({ rating_id: ratingId, case_id: c.id, unit_code: unit, province_code: c.province_code, city_code: c.city_code, county_code: c.county_code, state: 'open', verify_by: verifyBy, verify_due_at: endOfBeijingDay(verifyBy), rectify_by: rectifyBy, rectify_due_at: endOfBeijingDay(rectifyBy), level: 'none', created_at: at });
      rectificationId = Number(rid);
      await appendEvent(trx, { caseId: c.id, type: 'rectification.opened', data: { rectificationId, unitCode: unit, verifyBy, rectifyBy }, at });
    });
  } catch (err) {
    // two submissions at once: the unique index lets one win
    if (await ctx.db('ratings').where({ case_id: c.id, service: input.service }).first('id')) throw conflict(`this ${input.service} service has been rated already; a rating cannot be changed`);
    throw err;
  }
  ctx.log.info({ caseId: c.id, service: input.service, score, rectificationId }, 'rating received');
  return { ratingId, service: input.service, level: input.level, rectificationId };
}

/** What the applicant sees of their ratings and the answers to them. */
export async function ratingsForApplicant(ctx: Ctx, caseId: string) {
  const rows = await ctx.db('ratings').leftJoin('rectifications', 'rectifications.rating_id', 'ratings.id').where('ratings.case_id', caseId).select('ratings.service', 'ratings.score', 'ratings.rated_at', 'rectifications.id as rid', 'rectifications.state', 'rectifications.answer', 'rectifications.rectify_by', 'rectifications.applicant_accepted');
  return rows.map((r) => ({
    service: String(r.service) as RatedService,
    score: Number(r.score),
    ratedOn: beijingDate(Number(r.rated_at)),
    rectification: r.rid ? { state: String(r.state), answer: r.answer ?? null, rectifyBy: String(r.rectify_by), accepted: r.applicant_accepted === null || r.applicant_accepted === undefined ? null : Boolean(r.applicant_accepted) } : null,
  }));
}

/** The applicant says whether the answer satisfies them (once answered). */
export async function applicantResponse(ctx: Ctx, caseNo: string, code: string, service: RatedService, accepted: boolean) {
  const c = await caseByCode(ctx, caseNo, code);
  const r = await ctx.db('rectifications').join('ratings', 'ratings.id', 'rectifications.rating_id').where({ 'ratings.case_id': c.id, 'ratings.service': service }).first('rectifications.*');
  if (!r) throw new AppError('NOT_FOUND', 'no rectification for this rating');
  if (!r.answered_at) throw conflict('the unit has not answered yet');
  if (r.applicant_said_at) throw conflict('you have already said whether you accept the answer');
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    await trx('rectifications').where({ id: r.id }).whereNull('applicant_said_at').update({ applicant_accepted: accepted, applicant_said_at: at });
    await appendEvent(trx, { caseId: c.id, type: 'rectification.applicant-response', data: { rectificationId: Number(r.id), accepted }, at });
  });
  return { rectificationId: Number(r.id), accepted };
}

export const rectificationSubject = (r: Record<string, unknown>) => subjectOf('Rectification', { unitCode: r.unit_code, provinceCode: r.province_code, cityCode: r.city_code, countyCode: r.county_code });

const STEPS = {
  verify: { from: ['open'], to: 'verified', text: 'finding', stamp: 'verified_at' },
  answer: { from: ['verified'], to: 'answered', text: 'answer', stamp: 'answered_at' },
  rectify: { from: ['answered'], to: 'rectified', text: 'measures', stamp: 'rectified_at' },
} as const;

/** 核实 → 答复 → 整改, in that order, by the responsible unit's heads and leaders. */
export async function advance(ctx: Ctx, who: Identity, id: number, step: keyof typeof STEPS, text: string) {
  const r = await ctx.db('rectifications').where({ id }).first();
  const ability = abilityFor(who);
  if (!r || !ability.can('read', rectificationSubject(r))) throw notFound('rectification', String(id));
  if (!ability.can('rectify', rectificationSubject(r))) throw forbidden('the responsible unit’s heads and leaders handle a rectification');
  const s = STEPS[step];
  if (!(s.from as readonly string[]).includes(String(r.state))) throw conflict(`the rectification is ${r.state}: ${step} follows ${s.from.join('/')}`);
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    const n = await trx('rectifications').where({ id, state: r.state }).update({ state: s.to, [s.text]: text, [s.stamp]: at, handled_by: who.userId });
    if (n === 0) throw conflict('the rectification changed meanwhile; reload it');
    await appendEvent(trx, { caseId: String(r.case_id), type: `rectification.${s.to}`, actor: who.userId, data: { rectificationId: id }, at });
    // 全程留痕: what the unit found, answered and changed is part of the trail, with its words
    await appendAudit(trx, { actor: who.userId, action: `rectification.${s.to}`, subject: 'Rectification', subjectId: String(id), caseId: String(r.case_id), reason: text.slice(0, 500), at });
  });
  ctx.events.publish({ type: 'rectification.changed', rectificationId: id, caseId: String(r.case_id), state: s.to, unitCode: String(r.unit_code), regions: regionsOf(r) });
  return rectificationView((await ctx.db('rectifications').where({ id }).first()) as Record<string, unknown>);
}

export function rectificationView(r: Record<string, unknown>) {
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());
  return { id: Number(r.id), caseId: String(r.case_id), unitCode: String(r.unit_code), state: String(r.state), level: String(r.level), verifyBy: String(r.verify_by), rectifyBy: String(r.rectify_by), finding: r.finding ?? null, answer: r.answer ?? null, measures: r.measures ?? null, verifiedAt: iso(r.verified_at), answeredAt: iso(r.answered_at), rectifiedAt: iso(r.rectified_at), onTime: r.rectified_at ? Number(r.rectified_at) <= Number(r.rectify_due_at) : null, applicantAccepted: r.applicant_accepted === null || r.applicant_accepted === undefined ? null : Boolean(r.applicant_accepted) };
}
