import { i18n } from './i18n/index.ts';
import type { NamedGroup } from './types.ts';

const t = (key: string, named?: Record<string, unknown>) => (named ? i18n.global.t(key, named) : i18n.global.t(key));
const te = (key: string) => i18n.global.te(key);

/*
 * One date and one date-time format per locale, used everywhere (issue 13): zh-CN writes
 * 2026-12-02 and 2026-12-02 09:15, English 2 Dec 2026 and 2 Dec 2026, 09:15. Times are Beijing
 * time whatever the browser's zone: deadlines are counted there.
 */
const ZONE = 'Asia/Shanghai';
const parts = (d: Date, withTime: boolean) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}) })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function render(p: Record<string, string>, withTime: boolean): string {
  const en = i18n.global.locale.value === 'en';
  const day = en ? `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}` : `${p.year}-${p.month}-${p.day}`;
  return withTime ? `${day}${en ? ',' : ''} ${p.hour}:${p.minute}` : day;
}

/** A moment (ISO string or epoch ms) as a date-time. */
export function dateTime(at: string | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return '—';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? '—' : render(parts(d, true), true);
}

/** A civil day (YYYY-MM-DD, a due date) or a moment, as a date. */
export function date(day: string | null | undefined): string {
  if (!day) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m) return render({ year: m[1] as string, month: m[2] as string, day: m[3] as string }, false);
  const d = new Date(day);
  return Number.isNaN(d.getTime()) ? '—' : render(parts(d, false), false);
}

/** Only the time of day (HH:mm, Beijing) when the moment is today, else the date-time: "请于 09:15 后再试". */
export function whenNext(at: string | number): string {
  const d = new Date(at);
  const today = parts(new Date(), false);
  const that = parts(d, true);
  return today.year === that.year && today.month === that.month && today.day === that.day ? `${that.hour}:${that.minute}` : dateTime(at);
}

/**
 * A label from a message group. A value without a message is worded generically (其他…), never
 * shown raw: every type the back office writes is named (test/unit/timeline-names.test.ts).
 */
export function label(group: 'decision' | 'status' | 'result' | 'event' | 'level', value: string | null | undefined): string {
  if (!value) return '—';
  // message keys cannot contain dots (they are paths): event types like "task.created" use "_"
  const key = `${group}.${value.replace(/\./g, '_')}`;
  return te(key) ? t(key) : t(`names.other_${group}`);
}

export const levelType = (level: string | null | undefined): 'success' | 'warning' | 'danger' | 'info' =>
  level === 'red' ? 'danger' : level === 'yellow' ? 'warning' : level === 'warning' ? 'warning' : 'success';


/** A candidate group as people say it: "示范市一区水利局 · 承办人" (the unit's name from the API, the role worded here). */
export function groupLabel(g: NamedGroup | string): string {
  const named: NamedGroup = typeof g === 'string' ? { group: g, unitCode: g.split(':')[0] ?? g, unitName: null, role: g.split(':')[1] ?? '' } : g;
  const role = te(`names.role_${named.role}`) ? t(`names.role_${named.role}`) : '';
  return [named.unitName ?? t('names.unknownUnit'), role].filter(Boolean).join(' · ');
}

/** A person by name; the account id only when the API had no name for it (an account since removed). */
export const person = (name: string | null | undefined, id: string | null | undefined): string => name ?? (id ? t('names.formerAccount') : '—');
