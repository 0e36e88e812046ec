/**
 * Query codes: issued when the window first decides on an application (accepted, refused, or sent
 * back for 补正 — from then on the applicant has something to follow), re-issued by the window when
 * a receipt is lost, and checked for the public status page. A wrong code and an unknown case
 * number take the same path and give the same answer.
 */
import type { Ctx, Identity } from '../../context.ts';
import { json } from '../../context.ts';
import { AppError, forbidden } from '../../errors.ts';
import { beijingDate } from '../calendar/index.ts';
import { appendAudit } from '../audit/service.ts';
import { appendEvent } from '../cases/timeline.ts';
import { loadReadable } from '../cases/service.ts';
import type { CaseRow } from '../cases/records.ts';
import { codeMatches, formatCode, hashCode, newCode, newSalt } from './code.ts';
import { publicView } from './view.ts';
import { noticePdf, noticesOf } from '../notices/index.ts';

const ISSUING = new Set(['accept', 'reject', 'correct']);

/** The one answer for a wrong code and for an unknown case number alike. */
export const NO_MATCH = 'no case matches this case number and query code';

/**
 * After a window decision: the case's first query code, in clear, for the clerk to print on the
 * receipt — or null (another decision, another step, or the case has its code already).
 */
export async function issueOnDecision(ctx: Ctx, who: Identity, t: { case_id: string; candidate_groups: string }, decision: string): Promise<string | null> {
  if (!ISSUING.has(decision) || !json.parse<string[]>(t.candidate_groups, []).some((g) => g.endsWith(':window'))) return null;
  if (await ctx.db('query_codes').where({ case_id: t.case_id }).first('case_id')) return null;
  const code = newCode();
  const salt = newSalt();
  const at = ctx.clock.now();
  try {
    await ctx.db.transaction(async (trx) => {
      await trx('query_codes').insert({ case_id: t.case_id, code_hash: await hashCode(code, salt), salt, issued_by: who.userId, issued_at: at, generation: 1, queries: 0 });
      await appendEvent(trx, { caseId: t.case_id, type: 'query-code.issued', actor: who.userId, data: { generation: 1 }, at });
    });
  } catch (err) {
    // a concurrent retry of the same completion issued it first (primary key): that one stands
    if (await ctx.db('query_codes').where({ case_id: t.case_id }).first('case_id')) return null;
    throw err;
  }
  ctx.log.info({ caseId: t.case_id }, 'query code issued');
  return formatCode(code);
}

/** The status page of a case as the applicant reaches it: the address printed on the receipt and in every notice's QR code. */
export const statusUrlOf = (ctx: Ctx, caseNo: string): string => `${ctx.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/q?no=${encodeURIComponent(caseNo)}`;

/** A new code replaces the old one (a lost receipt): the old one stops working at once. */
export async function reissueCode(ctx: Ctx, who: Identity, caseId: string) {
  const { row, may } = await loadReadable(ctx, who, caseId);
  if (!may('issueQueryCode')) throw forbidden('only the window of the region where the application was filed issues query codes');
  const code = newCode();
  const salt = newSalt();
  const at = ctx.clock.now();
  let generation = 1;
  await ctx.db.transaction(async (trx) => {
    const before = await trx('query_codes').where({ case_id: caseId }).first('generation');
    generation = before ? Number(before.generation) + 1 : 1;
    const fields = { code_hash: await hashCode(code, salt), salt, issued_by: who.userId, issued_at: at, generation };
    if (before) await trx('query_codes').where({ case_id: caseId }).update(fields);
    else await trx('query_codes').insert({ case_id: caseId, ...fields, queries: 0 });
    await appendEvent(trx, { caseId, type: 'query-code.issued', actor: who.userId, data: { generation }, at });
    await appendAudit(trx, { actor: who.userId, action: 'query-code.reissued', subject: 'Case', subjectId: caseId, caseId, reason: `query code generation ${generation}`, at });
  });
  return { caseId, caseNo: row.case_no, queryCode: formatCode(code), generation, statusUrl: statusUrlOf(ctx, row.case_no) };
}

/** The case behind a case number and code, or the one NOT_FOUND; every query is counted. */
export async function caseByCode(ctx: Ctx, caseNo: string, code: string): Promise<CaseRow> {
  const row = await ctx.db('cases')
    .leftJoin('query_codes', 'query_codes.case_id', 'cases.id')
    .where('cases.case_no', caseNo.trim().toUpperCase())
    .first<(CaseRow & { code_hash: string | null; salt: string | null }) | undefined>('cases.*', 'query_codes.code_hash', 'query_codes.salt');
  const ok = await codeMatches(code, row?.code_hash && row.salt ? { hash: row.code_hash, salt: row.salt } : null);
  const at = ctx.clock.now();
  await count(ctx, `public-query:${beijingDate(at).replaceAll('-', '')}:${ok ? 'found' : 'no-match'}`);
  if (!ok || !row) throw new AppError('NOT_FOUND', NO_MATCH);
  await ctx.db('query_codes').where({ case_id: row.id }).update({ queries: ctx.db.raw('?? + 1', ['queries']), last_query_at: at });
  return row;
}

export async function publicStatus(ctx: Ctx, caseNo: string, code: string) {
  const c = await caseByCode(ctx, caseNo, code);
  const notices = (await noticesOf(ctx.db, c.id)).map((n) => ({ id: n.id, kind: n.kind, title: n.title, issuedOn: n.issuedOn, sha256: n.sha256 }));
  return { ...(await publicView(ctx, c)), notices };
}

/** A notice of the applicant's own case: the same number and code open it. */
export async function publicNotice(ctx: Ctx, caseNo: string, code: string, noticeId: number) {
  const c = await caseByCode(ctx, caseNo, code);
  const n = await noticePdf(ctx.db, c.id, noticeId);
  if (!n) throw new AppError('NOT_FOUND', NO_MATCH);
  return { ...n, caseNo: c.case_no };
}

/** Daily totals, not who asked: the status page is counted, never audited per person. */
async function count(ctx: Ctx, name: string): Promise<void> {
  await ctx.db('counters').insert({ name, value: 1 }).onConflict('name').merge({ value: ctx.db.raw('?? + 1', ['counters.value']) });
}

export async function queryCounts(ctx: Ctx, day: string) {
  const d = day.replaceAll('-', '');
  const rows = await ctx.db('counters').whereIn('name', [`public-query:${d}:found`, `public-query:${d}:no-match`]).select('name', 'value');
  const of = (k: string) => Number(rows.find((r) => String(r.name).endsWith(k))?.value ?? 0);
  return { day, found: of(':found'), noMatch: of(':no-match') };
}
