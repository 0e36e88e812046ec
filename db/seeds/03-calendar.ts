/**
 * The national working-day calendar for the years the State Council has published: every day off of
 * each holiday period (weekend days inside a period included, so a period reads as the notice says)
 * and every make-up working day (调休上班). All other days follow the week: Monday–Friday work.
 *
 * Sources (checked against the notices as republished by Xinhua):
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, 2024-11-12
 *   (the first year under the revised 全国年节及纪念日放假办法: 春节 and 劳动节 one day longer).
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知, dated 2025-11-04 (新华社 11-04, e.g.
 *   politics.gmw.cn/2025-11/04/content_38391083.htm). Every date below, 元旦 清明 端午 中秋
 *   included, is as published there; its 文号 (document number) was not confirmed, so it is not cited.
 *
 * Idempotent and respectful of administrators: a year is written (its days and its publication, in
 * one transaction) only while the national calendar has no publication for it. Once published, the
 * year belongs to the administrators — a restart never undoes a correction or a deleted day.
 */
import type { Knex } from 'knex';

type Period = { name: string; off: Array<[string, string]>; workdays?: string[] };

interface OfficialYear {
  year: number;
  source: string;
  periods: Period[];
}

export const officialYears: OfficialYear[] = [
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）',
    periods: [
      { name: '元旦', off: [['2025-01-01', '2025-01-01']] },
      { name: '春节', off: [['2025-01-28', '2025-02-04']], workdays: ['2025-01-26', '2025-02-08'] },
      { name: '清明节', off: [['2025-04-04', '2025-04-06']] },
      { name: '劳动节', off: [['2025-05-01', '2025-05-05']], workdays: ['2025-04-27'] },
      { name: '端午节', off: [['2025-05-31', '2025-06-02']] },
      { name: '国庆节、中秋节', off: [['2025-10-01', '2025-10-08']], workdays: ['2025-09-28', '2025-10-11'] },
    ],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    periods: [
      { name: '元旦', off: [['2026-01-01', '2026-01-03']], workdays: ['2026-01-04'] },
      { name: '春节', off: [['2026-02-15', '2026-02-23']], workdays: ['2026-02-14', '2026-02-28'] },
      { name: '清明节', off: [['2026-04-04', '2026-04-06']] },
      { name: '劳动节', off: [['2026-05-01', '2026-05-05']], workdays: ['2026-05-09'] },
      { name: '端午节', off: [['2026-06-19', '2026-06-21']] },
      { name: '中秋节', off: [['2026-09-25', '2026-09-27']] },
      { name: '国庆节', off: [['2026-10-01', '2026-10-07']], workdays: ['2026-09-20', '2026-10-10'] },
    ],
  },
];

/** The rows of one official year: each day off, then each make-up working day. */
export function rowsOf(y: OfficialYear): Array<{ day: string; kind: 'holiday' | 'workday'; name: string }> {
  const rows: Array<{ day: string; kind: 'holiday' | 'workday'; name: string }> = [];
  for (const p of y.periods) {
    for (const [first, last] of p.off) {
      for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
        rows.push({ day: new Date(t).toISOString().slice(0, 10), kind: 'holiday', name: p.name });
      }
    }
    for (const day of p.workdays ?? []) rows.push({ day, kind: 'workday', name: `${p.name}调休上班` });
  }
  return rows;
}

export async function seed(knex: Knex): Promise<void> {
  const now = Date.now();
  for (const y of officialYears) {
    await knex.transaction(async (trx) => {
      const published = await trx('calendar_years').where({ region_code: '', year: y.year }).first();
      if (published) return;
      for (const r of rowsOf(y)) {
        await trx('calendar_days').insert({ region_code: '', ...r, updated_at: now, updated_by: null }).onConflict(['region_code', 'day']).ignore();
      }
      await trx('calendar_years').insert({ region_code: '', year: y.year, source: y.source, published_at: now, published_by: null }).onConflict(['region_code', 'year']).ignore();
    });
  }
}
