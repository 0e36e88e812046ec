/**
 * Issuing a notice at its moment, inside the transaction that records the moment (a window or
 * leader decision, a pause, an extension): the PDF is rendered from the item's template, kept with
 * its SHA-256, and put on the timeline. Issued once per moment, whoever records it first.
 */
import { createHash } from 'node:crypto';
import type { Ctx } from '../../context.ts';

import type { Db, Trx } from '../../db/knex.ts';
import type { DomainEvent } from '../../events.ts';
import { beijingDate, calendarFor } from '../calendar/index.ts';
import { planClock } from '../deadlines/clock-math.ts';
import { appendEvent } from '../cases/timeline.ts';
import { open } from '../cases/personal-data.ts';
import type { CaseRow } from '../cases/records.ts';
import { chineseDate, DEFAULTS, merge, REMEDIES, type Fields, type NoticeKind } from './templates.ts';
import { renderPdf } from './render.ts';

export interface NoticeMoment {
  kind: NoticeKind;
  caseId: string;
  /** the moment, so that it issues one notice however often it is recorded */
  onceKey: string;
  at: number;
  by: string | null;
  reasons?: string[];
  missing?: string[];
  pauseReason?: string;
  expectedDays?: number;
  extendDays?: number;
  extendReason?: string;
}

const items = (text: string | null | undefined): string[] =>
  String(text ?? '')
    .split(/[\n；;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const WINDOW_KINDS: Record<string, NoticeKind> = { accept: 'acceptance', reject: 'non_acceptance', correct: 'correction' };
const DECISION_KINDS: Record<string, NoticeKind> = { grant: 'grant', refuse: 'refusal' };

/** The notice a completed step calls for, if any: the window's three answers and the decision. */
export async function noticeOnDecision(ctx: Ctx, trx: Trx, e: DomainEvent, at: number): Promise<void> {
  if (e.type !== 'task.completed' || !e.decision) return;
  const windowStep = e.task.candidateGroups.some((g) => g.endsWith(':window'));
  const kind = windowStep ? WINDOW_KINDS[e.decision] : DECISION_KINDS[e.decision];
  if (!kind) return;
  const t = await trx('tasks').where({ user_task_key: e.task.userTaskKey }).first('opinion');
  const said = items(t?.opinion);
  await issueNotice(ctx, trx, { kind, caseId: e.task.caseId, onceKey: `${kind}:${e.task.userTaskKey}`, at, by: e.completedBy, ...(kind === 'correction' ? { missing: said } : {}), ...(kind === 'non_acceptance' || kind === 'refusal' ? { reasons: said } : {}) });
}

export async function issueNotice(ctx: Ctx, trx: Trx, m: NoticeMoment): Promise<number | null> {
  if (await trx('notices').where({ once_key: m.onceKey }).first('id')) return null;
  const c = await trx('cases').where({ id: m.caseId }).first<CaseRow>();
  if (!c) return null;
  const [item, unit, clock, custom] = await Promise.all([
    trx('service_items').where({ code: c.item_code }).first('name', 'promised_limit_days'),
    trx('org_units').where({ code: `${c.region_code}.ASC` }).first('name'),
    trx('clocks').where({ case_id: c.id, kind: 'decision' }).first(),
    trx('notice_templates').where({ item_code: c.item_code, kind: m.kind }).first('title', 'body'),
  ]);
  const template = custom ? { title: String(custom.title), body: String(custom.body) } : DEFAULTS[m.kind];
  const person = open<{ name?: string }>(ctx.applicantKeys, c.applicant);
  const unitName = unit ? String(unit.name) : String(c.region_code);
  const issuedOn = chineseDate(beijingDate(m.at));
  const fields: Fields = {
    applicant: String(person.name ?? ''),
    caseNo: c.case_no,
    itemName: item ? String(item.name) : c.item_code,
    unitName,
    issuedOn,
    submittedOn: chineseDate(beijingDate(Number(c.submitted_at))),
    acceptedOn: clock ? chineseDate(String(clock.started_on)) : '',
    legalDueOn: clock ? chineseDate(String(clock.due_on)) : '',
    promisedDueOn: clock ? chineseDate(await promisedDue(trx, c, clock, Number(item?.promised_limit_days ?? clock.limit_days))) : '',
    remedies: REMEDIES,
    reasons: m.reasons ?? [],
    missing: m.missing ?? [],
    pauseReason: m.pauseReason ?? '',
    pausedOn: issuedOn,
    expectedDays: m.expectedDays === undefined ? '' : String(m.expectedDays),
    extendDays: m.extendDays === undefined ? '' : String(m.extendDays),
    extendReason: m.extendReason ?? '',
  };
  const text = merge(template.body, fields);
  const pdf = await renderPdf({ title: template.title, caseNo: c.case_no, text, unitName, issuedOn, statusUrl: `${ctx.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/q?no=${encodeURIComponent(c.case_no)}` });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const [id] = await trx('notices').insert({ case_id: c.id, kind: m.kind, title: template.title, once_key: m.onceKey, sha256, size: pdf.length, pdf, text, issued_by: m.by, issued_at: m.at });
  const noticeId = Number(typeof id === 'object' && id !== null ? (id as { id: unknown }).id : id);
  await appendEvent(trx, { caseId: c.id, type: 'notice.issued', actor: m.by, data: { noticeId, kind: m.kind, title: template.title, sha256 }, at: m.at });
  ctx.log.info({ caseId: c.id, kind: m.kind, noticeId }, 'notice issued');
  return noticeId;
}

async function promisedDue(trx: Trx, c: CaseRow, clock: Record<string, unknown>, days: number): Promise<string> {
  try {
    return planClock(await calendarFor(trx, String(c.region_code)), { startedOn: String(clock.started_on), limitDays: days, pausedDays: Number(clock.paused_days), extendedDays: 0 }, 0).dueOn;
  } catch {
    return '';
  }
}

export async function noticesOf(db: Db, caseId: string) {
  const rows = await db('notices').where({ case_id: caseId }).orderBy('id').select('id', 'kind', 'title', 'sha256', 'size', 'issued_at');
  return rows.map((r) => ({ id: Number(r.id), kind: String(r.kind) as NoticeKind, title: String(r.title), sha256: String(r.sha256), size: Number(r.size), issuedAt: new Date(Number(r.issued_at)).toISOString(), issuedOn: beijingDate(Number(r.issued_at)) }));
}

export async function noticePdf(db: Db, caseId: string, noticeId: number) {
  const r = await db('notices').where({ id: noticeId, case_id: caseId }).first('id', 'title', 'sha256', 'pdf');
  return r ? { id: Number(r.id), title: String(r.title), sha256: String(r.sha256), pdf: Buffer.from(r.pdf as Uint8Array) } : null;
}


