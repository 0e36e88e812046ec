import { i18n } from './i18n/index.ts';

const t = (key: string, named?: Record<string, unknown>) => (named ? i18n.global.t(key, named) : i18n.global.t(key));
const te = (key: string) => i18n.global.te(key);

/** A date-time in Beijing time, whatever the browser's zone: deadlines are counted there. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18n.global.locale.value, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/** A label from a message group, or the raw value when the group has none (a new decision in a new BPMN). */
export function label(group: 'decision' | 'status' | 'result' | 'event' | 'level', value: string | null | undefined): string {
  if (!value) return '—';
  // message keys cannot contain dots (they are paths): event types like "task.created" use "_"
  const key = `${group}.${value.replace(/\./g, '_')}`;
  return te(key) ? t(key) : value;
}

export const levelType = (level: string | null | undefined): 'success' | 'warning' | 'danger' | 'info' =>
  level === 'red' ? 'danger' : level === 'yellow' ? 'warning' : level === 'warning' ? 'warning' : 'success';

/** Candidate groups read as units: "JN-01-01.WR:reviewer" → "JN-01-01.WR · reviewer". */
export const groupLabel = (g: string): string => g.replace(':', ' · ');
