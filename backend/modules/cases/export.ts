/**
 * The register exported to XLSX: the rows of the same search the list shows (same CASL rules, same
 * filters, applicant masked), read in keyset batches, headed in the caller's language. Every export is
 * audited with its filters and row count before a byte leaves, so there is no unrecorded copy; a
 * search too wide to export is refused with the count to narrow it by, never truncated silently.
 */
import ExcelJS from 'exceljs';
import type { Ctx, Identity } from '../../context.ts';
import { AppError, forbidden } from '../../errors.ts';
import { abilityFor } from '../../authz/ability.ts';
import { appendAudit } from '../audit/service.ts';
import { pageRows, registerView, type Cursor, type RegisterRow } from './register.ts';
import type { CaseSearchQuery } from './schema.ts';

export const EXPORT_MAX_ROWS = 10_000;
const BATCH = 500;

type Lang = 'zh-CN' | 'en';
type View = ReturnType<typeof registerView>;

const WORDS = {
  'zh-CN': {
    sheet: '办件',
    status: { submitted: '已提交', in_progress: '办理中', concluded: '已办结' } as Record<string, string>,
    result: { granted: '准予许可', refused: '不予许可', not_accepted: '不予受理', withdrawn: '撤回', cancelled: '终止', concluded: '已办结' } as Record<string, string>,
    level: { none: '正常', warning: '预警', yellow: '黄牌', red: '红牌' } as Record<string, string>,
    provisional: '（暂定）',
  },
  en: {
    sheet: 'Cases',
    status: { submitted: 'Submitted', in_progress: 'In progress', concluded: 'Concluded' } as Record<string, string>,
    result: { granted: 'Granted', refused: 'Refused', not_accepted: 'Not accepted', withdrawn: 'Withdrawn', cancelled: 'Terminated', concluded: 'Concluded' } as Record<string, string>,
    level: { none: 'On time', warning: 'Warning', yellow: 'Yellow card', red: 'Red card' } as Record<string, string>,
    provisional: ' (provisional)',
  },
} as const;

const COLUMNS: Array<{ key: string; zh: string; en: string; width: number; value: (v: View, w: (typeof WORDS)[Lang]) => string }> = [
  { key: 'caseNo', zh: '办件编号', en: 'Case number', width: 20, value: (v) => v.caseNo },
  { key: 'item', zh: '事项', en: 'Service item', width: 28, value: (v) => v.itemName ?? v.itemCode },
  { key: 'applicant', zh: '申请人', en: 'Applicant', width: 16, value: (v) => String(v.applicant.name ?? '') },
  { key: 'region', zh: '受理地', en: 'Filed at', width: 18, value: (v) => v.regionName ?? v.regionCode ?? '' },
  { key: 'status', zh: '状态', en: 'Status', width: 10, value: (v, w) => w.status[v.status] ?? v.status },
  { key: 'result', zh: '结果', en: 'Result', width: 10, value: (v, w) => (v.result ? (w.result[v.result] ?? v.result) : '') },
  { key: 'submitted', zh: '提交时间', en: 'Submitted', width: 18, value: (v) => beijing(v.submittedAt) },
  { key: 'accepted', zh: '受理日', en: 'Accepted on', width: 12, value: (v) => v.acceptedOn ?? '' },
  { key: 'due', zh: '法定到期日', en: 'Decision due', width: 18, value: (v, w) => (v.dueOn ? v.dueOn + (v.provisional ? w.provisional : '') : '') },
  { key: 'level', zh: '预警', en: 'Level', width: 10, value: (v, w) => (v.level ? (w.level[v.level] ?? v.level) : '') },
];

/** "2026-12-01 09:30" in Beijing time: one format, the one the office reads. */
function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export async function exportCases(ctx: Ctx, who: Identity, q: CaseSearchQuery, lang: Lang, ip: string | null): Promise<{ body: Buffer; filename: string; rows: number }> {
  // the list answers those without a rule an empty page; a file of nothing is refused outright
  if (!abilityFor(who).can('read', 'Case')) throw forbidden('your roles do not allow listing cases, so they do not allow exporting them');
  const rows: RegisterRow[] = [];
  let after: Cursor | null = null;
  for (;;) {
    const batch = await pageRows(ctx, who, q, after, BATCH);
    rows.push(...batch);
    if (rows.length > EXPORT_MAX_ROWS) {
      throw new AppError('BAD_REQUEST', `more than ${EXPORT_MAX_ROWS} cases match: narrow the search to export it`, [{ path: 'query', message: `at most ${EXPORT_MAX_ROWS} rows` }]);
    }
    const last = batch[batch.length - 1];
    if (batch.length < BATCH || !last) break;
    after = { submittedAt: Number(last.submitted_at), id: last.id };
  }
  const at = ctx.clock.now();
  await appendAudit(ctx.db, { actor: who.userId, action: 'cases.export', subject: 'Case', reason: JSON.stringify({ filters: q, rows: rows.length }), ip, at });
  ctx.log.info({ userId: who.userId, rows: rows.length }, 'case register exported');
  const words = WORDS[lang];
  const book = new ExcelJS.Workbook();
  book.created = new Date(at);
  const sheet = book.addWorksheet(words.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ key: c.key, header: lang === 'en' ? c.en : c.zh, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    const v = registerView(ctx, r);
    sheet.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, c.value(v, words)])));
  }
  const body = Buffer.from(await book.xlsx.writeBuffer());
  return { body, filename: `cases-${beijing(new Date(at).toISOString()).slice(0, 10)}.xlsx`, rows: rows.length };
}
