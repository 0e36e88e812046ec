/**
 * Due-date computations per second on the working-day calendar (backend/modules/calendar/).
 * Uses the clear interface `addWorkingDays(from: Date | string, n: number): string` when
 * backend/modules/calendar/index.ts exports it; otherwise the module's own shape: the calendar of a
 * region (`calendarFor(db, region)`, built from the seeded official years on an in-memory SQLite) and
 * its `addWorkingDays(from, n)` / `dueAt(ms, n)` / `workingDaysBetween(a, b)`. Without the module it
 * says so and exits 0.
 *
 *   node --import tsx bench/calendar.ts [--seconds 3]
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../config/index.ts';
import { createDb, migrate, seed } from '../backend/db/knex.ts';
import { flags, header, line, num } from './lib/common.ts';

const f = flags();
const SECONDS = num(f, 'seconds', 3);
const file = path.join(repoRoot, 'backend', 'modules', 'calendar', 'index.ts');

if (!fs.existsSync(file)) {
  console.log('calendar module not present yet');
  process.exit(0);
}

interface CalendarLike {
  addWorkingDays(from: string, n: number): string;
  dueAt?(startMs: number, n: number): number;
  workingDaysBetween?(from: string, to: string): number;
  coveredYears?(): number[];
}
interface CalendarModule {
  addWorkingDays?: (from: Date | string, n: number) => string;
  calendarFor?: (db: ReturnType<typeof createDb>, region: string) => Promise<CalendarLike>;
}

const mod = (await import(pathToFileURL(file).href)) as CalendarModule;
header('calendar: due-date computations per second', { seconds: SECONDS });

/** Calls `op` in a tight loop for SECONDS and reports calls per second. */
function rate(label: string, op: (i: number) => unknown): void {
  let sink = 0;
  for (let i = 0; i < 10_000; i++) sink += String(op(i)).length; // warm-up
  let n = 0;
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  while (performance.now() < until) {
    for (let k = 0; k < 1000; k++, n++) sink += String(op(n)).length;
  }
  const per = n / ((performance.now() - t0) / 1000);
  line(label, `${Math.round(per).toLocaleString('en')} /s  (${(1e6 / per).toFixed(3)} µs each)${sink < 0 ? '' : ''}`);
}

let years = [2026];
let calendar: CalendarLike | null = null;
let db: ReturnType<typeof createDb> | null = null;
if (typeof mod.calendarFor === 'function') {
  db = createDb({ SQLITE_FILE: ':memory:', DB_POOL_MAX: 1 });
  await migrate(db);
  await seed(db, { demo: false });
  calendar = await mod.calendarFor(db, 'JN-01-01');
  years = calendar.coveredYears?.() ?? years;
  line('published years', years.join(', '));
}
// from-dates spread over the published years but early enough that +60 working days stays inside them
const first = Date.UTC(years[0] ?? 2026, 0, 1);
const lastUsable = Date.UTC((years.at(-1) ?? 2026) + 1, 0, 1) - 120 * 86_400_000;
const span = Math.max(1, Math.floor((lastUsable - first) / 86_400_000));
const days = Array.from({ length: 4096 }, (_, i) => new Date(first + ((i * 7919) % span) * 86_400_000).toISOString().slice(0, 10));
const ns = Array.from({ length: 4096 }, (_, i) => 1 + ((i * 31) % 60));

if (typeof mod.addWorkingDays === 'function') {
  const add = mod.addWorkingDays;
  rate('addWorkingDays(from: string, n)  [module function]', (i) => add(days[i & 4095] as string, ns[i & 4095] as number));
}
if (calendar) {
  const cal = calendar;
  rate('calendar.addWorkingDays(from, n)', (i) => cal.addWorkingDays(days[i & 4095] as string, ns[i & 4095] as number));
  if (cal.dueAt) {
    const dueAt = cal.dueAt.bind(cal);
    rate('calendar.dueAt(startMs, n)', (i) => dueAt(Date.parse(`${days[i & 4095] as string}T02:00:00Z`), ns[i & 4095] as number));
  }
  if (cal.workingDaysBetween) {
    const between = cal.workingDaysBetween.bind(cal);
    rate('calendar.workingDaysBetween(a, b)', (i) => between(days[i & 4095] as string, days[(i + 1) & 4095] as string));
  }
}
if (!calendar && typeof mod.addWorkingDays !== 'function') console.log('  the calendar module exports neither addWorkingDays nor calendarFor: nothing to measure');
await db?.destroy();
