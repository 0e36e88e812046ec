/** Templates per item: the effective wording of each notice, and an administrator's edit of it. */
import type { Ctx, Identity } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { authorize } from '../../authz/ability.ts';
import { appendAudit } from '../audit/service.ts';
import { DEFAULTS, KINDS, templateProblems, type NoticeKind } from './templates.ts';

export async function templatesOf(ctx: Ctx, who: Identity, itemCode: string) {
  authorize(who, 'read', 'NoticeTemplate');
  if (!(await ctx.db('service_items').where({ code: itemCode }).first('code'))) throw notFound('item', itemCode);
  const custom = await ctx.db('notice_templates').where({ item_code: itemCode }).select('kind', 'title', 'body', 'updated_by', 'updated_at');
  return {
    itemCode,
    templates: KINDS.map((kind) => {
      const c = custom.find((r) => r.kind === kind);
      return c ? { kind, title: String(c.title), body: String(c.body), custom: true, updatedBy: c.updated_by, updatedAt: new Date(Number(c.updated_at)).toISOString() } : { kind, ...DEFAULTS[kind], custom: false, updatedBy: null, updatedAt: null };
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
