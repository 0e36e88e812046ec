/**
 * Reading a year's calendar from a file: either one date a line (`2027-02-06`, optionally followed by
 * `holiday`/`休` or `workday`/`班` and a name; a bare date is a day off), or iCalendar as
 * `chinese-days` and the calendar subscriptions ship it (all-day VEVENTs; a SUMMARY mentioning 班 —
 * 补班, 上班, 调休上班 — marks make-up working days, every other event days off). Every line that
 * cannot be read is reported with its number, and nothing is stored unless the whole file reads.
 */
import { AppError, type Problem } from '../../errors.ts';
import { dayNumber, dayString, isCivilDate, isWeekend, type DayKind } from './calendar.ts';

export interface ImportedDay {
  day: string;
  kind: DayKind;
  name: string;
}

const WORKDAY = /班/;
const HOLIDAY_WORDS = new Set(['holiday', '休', '假', '放假']);
const WORKDAY_WORDS = new Set(['workday', '班', '补班', '上班']);

function fromLines(text: string, issues: Problem[]): ImportedDay[] {
  const out: ImportedDay[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [day = '', second, ...rest] = line.split(/[\s,;，；\t]+/);
    if (!isCivilDate(day)) return void issues.push({ path: `body.content[${i + 1}]`, message: `line ${i + 1}: "${day}" is not a date written YYYY-MM-DD` });
    const marked = second !== undefined && (WORKDAY_WORDS.has(second) || HOLIDAY_WORDS.has(second));
    const kind: DayKind = second !== undefined && WORKDAY_WORDS.has(second) ? 'workday' : 'holiday';
    const name = (marked ? rest : [second, ...rest]).filter(Boolean).join(' ');
    out.push({ day, kind, name: name || (kind === 'workday' ? '调休上班' : '法定节假日') });
  });
  return out;
}

/** Unfolds RFC 5545 continuation lines, then reads every VEVENT's DTSTART, DTEND (exclusive) and SUMMARY. */
function fromICalendar(text: string, issues: Problem[]): ImportedDay[] {
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const out: ImportedDay[] = [];
  let ev: { start?: string; end?: string; summary?: string; line: number } | null = null;
  const date = (v: string | undefined) => (v && /^\d{8}/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : undefined);
  lines.forEach((line, i) => {
    if (line === 'BEGIN:VEVENT') ev = { line: i + 1 };
    else if (ev && line === 'END:VEVENT') {
      const start = date(ev.start);
      const end = date(ev.end);
      if (!start || !isCivilDate(start) || (end !== undefined && !isCivilDate(end))) {
        issues.push({ path: `body.content[${ev.line}]`, message: `event at line ${ev.line}: no all-day DTSTART` });
      } else {
        const summary = (ev.summary ?? '').replace(/\\,/g, ',').trim();
        const kind: DayKind = WORKDAY.test(summary) ? 'workday' : 'holiday';
        const last = end ? dayNumber(end) - 1 : dayNumber(start);
        for (let n = dayNumber(start); n <= Math.max(last, dayNumber(start)); n++) out.push({ day: dayString(n), kind, name: summary || (kind === 'workday' ? '调休上班' : '法定节假日') });
      }
      ev = null;
    } else if (ev) {
      const colon = line.indexOf(':');
      const key = line.slice(0, colon).split(';')[0];
      const value = line.slice(colon + 1);
      if (key === 'DTSTART') ev.start = value;
      else if (key === 'DTEND') ev.end = value;
      else if (key === 'SUMMARY') ev.summary = value;
    }
  });
  return out;
}

/** The days of `year` in a file; days of other years (an .ics often spans several) are left out. */
export function parseCalendarFile(content: string, year: number): ImportedDay[] {
  const issues: Problem[] = [];
  const all = /BEGIN:VCALENDAR/.test(content) ? fromICalendar(content, issues) : fromLines(content, issues);
  const byDay = new Map<string, ImportedDay>();
  for (const d of all) {
    if (!d.day.startsWith(`${year}-`)) continue;
    if (d.kind === 'workday' && !isWeekend(dayNumber(d.day))) {
      issues.push({ path: 'body.content', message: `${d.day} is a weekday: only a Saturday or Sunday can be a make-up working day` });
      continue;
    }
    byDay.set(d.day, { ...d, name: d.name.slice(0, 100) });
  }
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', `the file could not be read: ${issues.length} problem(s), nothing was imported`, issues.slice(0, 50));
  if (byDay.size === 0) throw new AppError('VALIDATION_FAILED', `the file names no day of ${year}`, [{ path: 'body.content', message: `no day of ${year}` }]);
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}
