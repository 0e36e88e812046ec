/** Templates per item: the effective wording of each notice, and an administrator's edit of it. */
import type { Ctx, Identity } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { authorize } from '../../authz/ability.ts';
import { appendAudit } from '../audit/service.ts';
import { beijingDate, calendarFor } from '../calendar/index.ts';
import { chineseDate, DEFAULTS, KINDS, merge, PLACEHOLDERS, REMEDIES, REQUIRED, templateProblems, type Fields, type NoticeKind } from './templates.ts';
import { renderPdf } from './render.ts';

export async function templatesOf(ctx: Ctx, who: Identity, itemCode: string) {
  authorize(who, 'read', 'NoticeTemplate');
  if (!(await ctx.db('service_items').where({ code: itemCode }).first('code'))) throw notFound('item', itemCode);
  // the editor by name: administrators do not read the audit log, where the change is kept in full
  const custom = await ctx.db('notice_templates').leftJoin('users', 'users.id', 'notice_templates.updated_by').where({ item_code: itemCode }).select('kind', 'title', 'body', 'updated_by', 'updated_at', 'users.display_name');
  return {
    itemCode,
    placeholders: PLACEHOLDERS,
    templates: KINDS.map((kind) => {
      const c = custom.find((r) => r.kind === kind);
      const required = REQUIRED[kind];
      return c ? { kind, title: String(c.title), body: String(c.body), required, custom: true, updatedBy: c.updated_by, updatedByName: c.display_name ?? null, updatedAt: new Date(Number(c.updated_at)).toISOString() } : { kind, ...DEFAULTS[kind], required, custom: false, updatedBy: null, updatedByName: null, updatedAt: null };
    }),
  };
}

export async function saveTemplate(ctx: Ctx, who: Identity, itemCode: string, kind: NoticeKind, input: { title: string; body: string }) {
  authorize(who, 'manage', 'NoticeTemplate');
  if (!(await ctx.db('service_items').where({ code: itemCode }).first('code'))) throw notFound('item', itemCode);
  const problems = templateProblems(kind, input.body);
  if (problems.length) throw new AppError('VALIDATION_FAILED', `body.body: ${problems.join('; ')}`, problems.map((message) => ({ path: 'body.body', message })));
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    const row = { title: input.title, body: input.body, updated_by: who.userId, updated_at: at };
    const n = await trx('notice_templates').where({ item_code: itemCode, kind }).update(row);
    if (n === 0) await trx('notice_templates').insert({ item_code: itemCode, kind, ...row });
    await appendAudit(trx, { actor: who.userId, action: 'notice-template.saved', subject: 'NoticeTemplate', subjectId: `${itemCode}:${kind}`, caseId: null, reason: input.title, at });
  });
  return (await templatesOf(ctx, who, itemCode)).templates.find((t) => t.kind === kind);
}

/** Back to the default wording: the item's own template is removed, and the trail says so. */
export async function resetTemplate(ctx: Ctx, who: Identity, itemCode: string, kind: NoticeKind) {
  authorize(who, 'manage', 'NoticeTemplate');
  if (!(await ctx.db('service_items').where({ code: itemCode }).first('code'))) throw notFound('item', itemCode);
  const at = ctx.clock.now();
  await ctx.db.transaction(async (trx) => {
    const n = await trx('notice_templates').where({ item_code: itemCode, kind }).delete();
    if (n > 0) await appendAudit(trx, { actor: who.userId, action: 'notice-template.reset', subject: 'NoticeTemplate', subjectId: `${itemCode}:${kind}`, caseId: null, reason: DEFAULTS[kind].title, at });
  });
  return (await templatesOf(ctx, who, itemCode)).templates.find((t) => t.kind === kind);
}

const SAMPLE_REASONS = ['申请材料中的取水工程平面布置图与现场不符（示例）', '未提交建设项目水资源论证报告书（示例）'];

/**
 * A draft rendered as the applicant would receive it, with sample data (the item's real name and
 * limits, today's dates, the due dates counted on the calendar): nothing is stored or issued.
 */
export async function previewTemplate(ctx: Ctx, who: Identity, itemCode: string, kind: NoticeKind, input: { title: string; body: string }): Promise<{ title: string; text: string; pdf: () => Promise<Buffer> }> {
  authorize(who, 'manage', 'NoticeTemplate');
  const item = await ctx.db('service_items').where({ code: itemCode }).first('name', 'statutory_limit_days', 'promised_limit_days');
  if (!item) throw notFound('item', itemCode);
  const problems = templateProblems(kind, input.body);
  if (problems.length) throw new AppError('VALIDATION_FAILED', `body.body: ${problems.join('; ')}`, problems.map((message) => ({ path: 'body.body', message })));
  const unit = await ctx.db('org_units').where({ code: who.unitCode }).first('name');
  const today = beijingDate(ctx.clock.now());
  const due = async (days: number) => {
    try {
      return chineseDate((await calendarFor(ctx.db, who.regionCode)).addWorkingDays(today, days));
    } catch {
      return '（示例日期）';
    }
  };
  const caseNo = 'SAMPLE-0000001';
  const unitName = unit ? String(unit.name) : who.unitCode;
  const fields: Fields = {
    applicant: '张三（示例）',
    caseNo,
    itemName: String(item.name),
    unitName,
    issuedOn: chineseDate(today),
    submittedOn: chineseDate(today),
    acceptedOn: chineseDate(today),
    promisedDueOn: await due(Number(item.promised_limit_days)),
    legalDueOn: await due(Number(item.statutory_limit_days)),
    remedies: REMEDIES,
    reasons: SAMPLE_REASONS,
    missing: ['建设项目水资源论证报告书（示例）', '取水工程平面布置图（示例）'],
    pauseReason: '组织专家评审（示例）',
    pausedOn: chineseDate(today),
    expectedDays: '10',
    extendDays: '10',
    extendReason: '案情复杂，需现场核查（示例）',
  };
  const text = merge(input.body, fields);
  return { title: input.title, text, pdf: () => renderPdf({ title: input.title, caseNo, text, unitName, issuedOn: chineseDate(today), statusUrl: `${ctx.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/q?no=${caseNo}` }) };
}
