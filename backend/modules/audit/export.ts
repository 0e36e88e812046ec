/**
 * The trail as a file: CSV (UTF-8 with BOM, so Excel opens Chinese text right) or XLSX (exceljs).
 * A cell that a spreadsheet would take for a formula (= + - @) is prefixed with ' — reasons and
 * subject ids come from users.
 */
import ExcelJS from 'exceljs';
import type { AuditRow } from './queries.ts';

const COLUMNS: { key: keyof AuditRow; header: string }[] = [
  { key: 'id', header: 'id' },
  { key: 'at', header: 'at' },
  { key: 'actor', header: 'actor' },
  { key: 'actorName', header: 'actorName' },
  { key: 'action', header: 'action' },
  { key: 'subject', header: 'subject' },
  { key: 'subjectId', header: 'subjectId' },
  { key: 'caseId', header: 'caseId' },
  { key: 'caseNo', header: 'caseNo' },
  { key: 'reason', header: 'reason' },
  { key: 'ip', header: 'ip' },
];

const defuse = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

export function toCsv(rows: AuditRow[]): Buffer {
  const cell = (v: unknown) => {
    const s = defuse(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [COLUMNS.map((c) => c.header).join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c.key])).join(','))];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

export async function toXlsx(rows: AuditRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('audit');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.key === 'reason' ? 60 : 20 }));
  for (const r of rows) ws.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, c.key === 'id' ? r.id : defuse(r[c.key])])));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
