/**
 * Queues at scale: a fresh MariaDB database with N cases (default 1,000,000) and 3 tasks per case
 * (3,000,000), bulk-loaded with multi-row INSERTs into the real schema (the back office's own
 * migrations first), then the queues people open all day timed through the HTTP API with autocannon:
 *   - the clerk's queue:        GET /api/tasks  as jn-01-01.wr.reviewer (county reviewer)
 *   - the city clerk's queue:   GET /api/tasks  as jn-01.wr.reviewer
 *   - the supervisor's cases:   GET /api/cases  as jn.sup.supervisor (province: everything)
 *   - the county supervisor:    GET /api/tasks  as jn-01-01.sup.supervisor
 *   - the same clerk's queue by due date, and only its overdue (yellow/red) steps
 *   - the county supervisor's task list by due date
 *   - a window clerk whose group has no open task at all (the whole open range is read to find none)
 * p50 / p95 / p99 at 1 connection (service time) and at 10 (under load); goal p95 ≤ 20 ms. When a
 * goal is missed the SQL the back office ran is shown with MariaDB's EXPLAIN and ANALYZE.
 *
 * Data: cases spread over the three demo counties, submitted over the last two years; 95 % concluded
 * (window acceptance, county review, city review all completed), 5 % in progress — half waiting at
 * county review, half at city review — so a county reviewer's queue holds ~N/120 open tasks. Each
 * task has its task_candidates row; applicants are sealed with the real key ring. Open tasks were
 * created in the last 30 days and have a running 20-working-day step clock (28 calendar days here),
 * so a few are warned or overdue. case_events (the timeline) is not generated: no measured query
 * reads it.
 *
 * The loader writes the tables as migration LOADED_SCHEMA left them; the migrations after it run on
 * the loaded data and are timed (what a production database of that size would go through).
 *
 *   node --import tsx bench/queue-at-scale.ts [--cases 1000000] [--open-ratio 0.05] [--duration 10]
 *        [--keep] [--reuse]   (--keep leaves the database ld_bench_queue_<N>; --reuse skips loading if it is there)
 *        [--buffer-pool 4G]   (raises innodb_buffer_pool_size for the run and puts it back afterwards)
 */
import mysql from 'mysql2/promise';
import knexFactory, { type Knex } from 'knex';
import type { Ctx } from '../backend/context.ts';
import path from 'node:path';
import { repoRoot } from '../config/index.ts';
import { createDb, migrate, seed } from '../backend/db/knex.ts';
import { beijingDate, endOfBeijingDay } from '../backend/modules/calendar/calendar.ts';
import { TaskListQuery } from '../backend/modules/tasks/schema.ts';
import { keyRing, seal } from '../backend/modules/cases/personal-data.ts';
import { loadIdentity } from '../backend/modules/identity/service.ts';
import { listTasks } from '../backend/modules/tasks/queue.ts';
import { listCases } from '../backend/modules/cases/register.ts';
import { ChildOffice, DRILL_KEYS, loginAll, officeEnv } from '../test/support/drills.ts';
import { flags, header, line, MYSQL_URL, NO_ENGINE, num, progress, withCleanup } from './lib/common.ts';
import { figuresHeader, figuresRow, hammer, type EndpointFigures } from './lib/http-load.ts';

const f = flags();
const CASES = num(f, 'cases', 1_000_000);
const OPEN_RATIO = num(f, 'open-ratio', 0.05);
const DURATION = num(f, 'duration', 10);
const GOAL_P95 = 20;
const DB_NAME = `ld_bench_queue_${CASES}`;
const OFFICE_PORT = 18113;
const CHUNK = 1000;
const LOADED_SCHEMA = '20261122-0006-audit-head.ts';
const DAY = 86_400_000;

const COUNTIES = [
  { county: 'JN-01-01', city: 'JN-01' },
  { county: 'JN-01-02', city: 'JN-01' },
  { county: 'JN-02-01', city: 'JN-02' },
];
const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];

header('queue at scale (MariaDB)', { cases: CASES, tasks: CASES * 3, 'open ratio': OPEN_RATIO, database: DB_NAME });

async function countOf(db: Knex, table: string): Promise<number> {
  return Number((await db(table).count({ n: '*' }))[0]?.n ?? 0);
}

async function load(url: string): Promise<void> {
  const ring = keyRing(DRILL_KEYS);
  const conns = await Promise.all([0, 1].map(() => mysql.createConnection(url)));
  for (const c of conns) await c.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
  const bar = progress(CASES, '  loading');
  const now = Date.now();
  const span = 2 * 365 * 86_400_000;
  const t0 = performance.now();
  let next = 0;
  const esc = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : mysql.escape(v));
  const tuple = (xs: Array<string | number | null>) => `(${xs.map(esc).join(',')})`;
  await Promise.all(
    conns.map(async (conn) => {
      while (next < CASES) {
        const from = next;
        const to = Math.min(CASES, next + CHUNK);
        next = to;
        const cases: string[] = [];
        const tasks: string[] = [];
        const cands: string[] = [];
        const clocks: string[] = [];
        for (let i = from; i < to; i++) {
          const where = COUNTIES[i % COUNTIES.length] as (typeof COUNTIES)[number];
          const submitted = now - span + Math.floor((i / CASES) * span);
          const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
          const open = (i * 7919) % 1000 < OPEN_RATIO * 1000; // spread, deterministic
          const atCounty = open && i % 2 === 0;
          const applicant = seal(ring, { kind: 'person', name: `${SURNAMES[i % 10]}${i}`, idNumber: '11010519491231002X', phone: `138${String(i % 1e8).padStart(8, '0')}` });
          cases.push(tuple([id, `LDB${String(i).padStart(10, '0')}`, '000117002000', applicant, where.county, where.city, 'JN', where.county, open ? 'in_progress' : 'concluded', open ? null : 'granted', 'water_abstraction_permit', String(4503599627370496 + i), `${where.county.toLowerCase()}.asc.window`, 1, submitted, submitted + 1000, open ? null : submitted + 20 * 86_400_000]));
          const steps: Array<[string, string, string, string]> = [
            ['window_acceptance', '窗口受理', `${where.county}.ASC:window`, 'completed'],
            atCounty ? ['county_review', '县级初审', `${where.county}.WR:reviewer`, 'open'] : ['county_review', '县级初审', `${where.county}.WR:reviewer`, 'completed'],
            atCounty ? ['window_acceptance', '窗口受理', `${where.county}.ASC:window`, 'completed'] : ['city_review', '市级审查', `${where.city}.WR:reviewer`, open ? 'open' : 'completed'],
          ];
          steps.forEach(([el, name, group, state], j) => {
            const key = String(2251799813685248 + i * 4 + j);
            const done = state === 'completed';
            // open steps are recent (up to 30 days old): their 28-day clocks are mostly running, some warned or overdue
            const created = done ? submitted + (j + 1) * 3_600_000 : now - ((i * 7919) % (30 * DAY));
            if (!done) {
              const dueOn = beijingDate(created + 28 * DAY);
              const dueAt = endOfBeijingDay(dueOn);
              const level = now > dueAt ? 'yellow' : now > dueAt - 3 * DAY ? 'warning' : 'none';
              clocks.push(tuple([`task:${key}`, 'step', id, key, where.county, 20, beijingDate(created), dueOn, dueAt, dueAt - 3 * DAY, 'running', 0, 0, level, null, created]));
            }
            tasks.push(tuple([key, id, String(4503599627370496 + i), el, name, '000117002000', JSON.stringify([group]), '[]', JSON.stringify(['approve', 'return']), 20, done ? 'someone' : null, state, done ? 'approve' : null, done ? '同意' : null, done ? 'someone' : null, created, done ? created : null, done ? created + 3_600_000 : null, 'JN', where.city, where.county]));
            cands.push(tuple([key, 'group', group]));
          });
        }
        await conn.query(`INSERT INTO cases (id, case_no, item_code, applicant, region_code, city_code, province_code, county_code, status, result, bpmn_process_id, process_instance_key, submitted_by, start_attempts, submitted_at, started_at, concluded_at) VALUES ${cases.join(',')}`);
        await conn.query(`INSERT INTO tasks (user_task_key, case_id, process_instance_key, element_id, element_name, item_code, candidate_groups, candidate_users, decisions, step_limit_days, assignee, state, decision, opinion, completed_by, created_at, claimed_at, ended_at, province_code, city_code, county_code) VALUES ${tasks.join(',')}`);
        await conn.query(`INSERT INTO task_candidates (user_task_key, kind, name) VALUES ${cands.join(',')}`);
        // next_check_at stays null: the office's deadline scheduler must not fire 50,000 levels during the run
        if (clocks.length) await conn.query(`INSERT INTO clocks (id, kind, case_id, user_task_key, region_code, limit_days, started_on, due_on, due_at, warn_at, state, paused_days, extended_days, level, next_check_at, updated_at) VALUES ${clocks.join(',')}`);
        bar.tick(to - from);
      }
    }),
  );
  bar.done();
  console.log(`  loaded ${CASES} cases, ${CASES * 3} tasks, ${CASES * 3} candidates in ${((performance.now() - t0) / 1000).toFixed(1)} s; analysing tables…`);
  for (const t of ['cases', 'tasks', 'task_candidates', 'clocks']) await conns[0]?.query(`ANALYZE TABLE ${t}`);
  await Promise.all(conns.map((c) => c.end()));
}

/** The SQL the back office runs for a list, captured in-process, with MariaDB's plan for it. */
async function explain(db: Knex, label: string, run: (ctx: Ctx) => Promise<unknown>): Promise<void> {
  const captured: Array<{ sql: string; bindings: unknown[] }> = [];
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (/^select/i.test(q.sql)) captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  db.on('query', listener);
  const ctx = { db, applicantKeys: keyRing(DRILL_KEYS), clock: { now: () => Date.now() } } as unknown as Ctx;
  try {
    await run(ctx);
  } finally {
    db.off('query', listener);
  }
  const main = captured.at(-1);
  if (!main) return;
  console.log(`\n  EXPLAIN — ${label}`);
  console.log(`    ${db.raw(main.sql, main.bindings as Knex.RawBinding[]).toString().slice(0, 1500)}`);
  const tq = performance.now();
  await db.raw(main.sql, main.bindings as Knex.RawBinding[]);
  console.log(`    the query alone, run from here: ${(performance.now() - tq).toFixed(1)} ms`);
  const [rows] = (await db.raw(`ANALYZE ${main.sql}`, main.bindings as Knex.RawBinding[])) as unknown as [Array<Record<string, unknown>>];
  for (const r of rows) console.log(`    id=${r.id} ${String(r.select_type).padEnd(18)} table=${String(r.table).padEnd(10)} type=${String(r.type).padEnd(7)} key=${String(r.key).padEnd(24)} rows=${String(r.rows).padStart(8)} r_rows=${String(r.r_rows).padStart(10)} filtered=${r.filtered} r_filtered=${r.r_filtered} ${r.Extra ?? ''}`);
}

const migrations = { directory: path.join(repoRoot, 'db', 'migrations'), loadExtensions: ['.ts'] };

/** Runs the migrations up to and including `name`: the schema the loader writes. */
async function migrateThrough(db: Knex, name: string): Promise<void> {
  for (;;) {
    const [done, pending] = (await db.migrate.list(migrations)) as [Array<{ name: string }>, Array<{ file: string }>];
    if (done.some((m) => m.name === name) || pending.length === 0) return;
    await db.migrate.up(migrations);
  }
}

async function migrateRest(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list(migrations)) as [unknown, Array<{ file: string }>];
  await migrate(db, keyRing(DRILL_KEYS)); // 0130 hashes the loaded applicants for search
  return pending.map((m) => m.file.replace(/\.ts$/, ''));
}

await withCleanup(async (defer) => {
  const url = `${MYSQL_URL}/${DB_NAME}`;
  const admin = knexFactory({ client: 'mysql2', connection: MYSQL_URL });
  const exists = ((await admin.raw('SHOW DATABASES LIKE ?', [DB_NAME])) as unknown as [unknown[]])[0].length > 0;
  let reuse = false;
  if (exists && f.reuse) {
    const probe = createDb({ DATABASE_URL: url, SQLITE_FILE: '', DB_POOL_MAX: 1 });
    reuse = (await countOf(probe, 'cases').catch(() => -1)) === CASES;
    await probe.destroy();
  }
  if (!reuse) {
    await admin.raw(`DROP DATABASE IF EXISTS \`${DB_NAME}\``);
    await admin.raw(`CREATE DATABASE \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
  await admin.destroy();
  if (!f.keep) {
    defer(async () => {
      const a = knexFactory({ client: 'mysql2', connection: MYSQL_URL });
      await a.raw(`DROP DATABASE IF EXISTS \`${DB_NAME}\``);
      await a.destroy();
    });
  }
  const db = createDb({ DATABASE_URL: url, SQLITE_FILE: '', DB_POOL_MAX: 2 });
  defer(() => db.destroy());
  const pool = async () => Number(((await db.raw('SELECT @@innodb_buffer_pool_size AS b')) as unknown as [Array<{ b: number }>])[0][0]?.b);
  if (f['buffer-pool']) {
    const before = await pool();
    const want = Number(f['buffer-pool'].replace(/[gG]$/, '')) * 2 ** 30;
    await db.raw('SET GLOBAL innodb_buffer_pool_size = ?', [want]);
    defer(async () => {
      await db.raw('SET GLOBAL innodb_buffer_pool_size = ?', [before]);
      console.log(`  innodb_buffer_pool_size back to ${before / 2 ** 20} MiB`);
    });
    for (let i = 0; i < 100 && (await pool()) < want; i++) await new Promise((r) => setTimeout(r, 200));
  }
  line('innodb_buffer_pool_size', `${(await pool()) / 2 ** 20} MiB`);
  if (!reuse) {
    await migrateThrough(db, LOADED_SCHEMA);
    await seed(db, { demo: true });
    await load(url);
  } else console.log('  reusing the loaded database');
  const tm = performance.now();
  const ran = await migrateRest(db);
  if (ran.length) {
    line(`migrations on the loaded data`, `${ran.join(', ')} in ${((performance.now() - tm) / 1000).toFixed(1)} s`);
    for (const t of ['tasks', 'clocks']) await db.raw(`ANALYZE TABLE ${t}`);
  }
  const openCounty = Number((await db('task_candidates as c').join('tasks as t', 't.user_task_key', 'c.user_task_key').where({ 'c.kind': 'group', 'c.name': 'JN-01-01.WR:reviewer', 't.state': 'open' }).count({ n: '*' }))[0]?.n);
  const openAll = Number((await db('tasks').where({ state: 'open' }).count({ n: '*' }))[0]?.n);
  line('open tasks in all queues', String(openAll));
  line("open tasks in JN-01-01.WR:reviewer's queue", String(openCounty));
  const levels = (await db('tasks').where({ state: 'open' }).groupBy('level').select('level').count({ n: '*' })) as Array<{ level: string; n: number }>;
  line('open tasks by deadline level', levels.map((l) => `${l.level} ${l.n}`).join(', '));

  const oneCase = String((await db('tasks').where({ state: 'open', element_id: 'county_review', county_code: 'JN-01-01' }).first('case_id'))?.case_id);
  const office = new ChildOffice({ port: OFFICE_PORT, health: 'live', env: officeEnv({ DATABASE_URL: url, DEPLOY_ON_START: 'false', FEED_ENABLED: 'false', ...NO_ENGINE, LOG_LEVEL: 'error' }) });
  defer(() => office.stop());
  await office.start();
  const who = { clerk: 'jn-01-01.wr.reviewer', cityClerk: 'jn-01.wr.reviewer', supervisor: 'jn.sup.supervisor', countySupervisor: 'jn-01-01.sup.supervisor', idleClerk: 'jn-01-01.asc.window' };
  const tokens = await loginAll(office.url, Object.values(who));
  const endpoints = [
    { label: 'clerk queue  GET /api/tasks (county reviewer)', path: '/api/tasks', user: who.clerk },
    { label: 'clerk queue  GET /api/tasks (city reviewer)', path: '/api/tasks', user: who.cityClerk },
    { label: 'supervisor   GET /api/cases (province)', path: '/api/cases', user: who.supervisor },
    { label: 'supervisor   GET /api/tasks (county)', path: '/api/tasks', user: who.countySupervisor },
    { label: 'clerk queue  ?sort=due (county reviewer)', path: '/api/tasks?sort=due', user: who.clerk },
    { label: 'clerk queue  ?level=yellow,red&sort=due (county)', path: '/api/tasks?level=yellow,red&sort=due', user: who.clerk },
    { label: 'supervisor   ?sort=due (county)', path: '/api/tasks?sort=due', user: who.countySupervisor },
    { label: 'clerk queue  empty group (county window)', path: '/api/tasks', user: who.idleClerk },
    // what a clerk's screen polls for one case (bench/throughput's clerks do it every 25 ms)
    { label: 'clerk queue  ?caseId=…&elementId=… (one case)', path: `/api/tasks?caseId=${oneCase}&elementId=county_review`, user: who.clerk },
  ];
  const results: Array<EndpointFigures & { path: string; user: string; connections: number }> = [];
  for (const connections of [1, 10]) {
    console.log(`\n  ${connections} connection${connections > 1 ? 's' : ''}, ${DURATION} s each`);
    console.log(figuresHeader());
    for (const e of endpoints) {
      const single = results.find((r) => r.connections === 1 && r.label === e.label);
      if (connections > 1 && single && !(single.p95 < 1000)) {
        // ten clients queueing for multi-second queries only pile them up in the database and spoil the next row
        console.log(`  ${e.label.padEnd(52)} skipped: already ${single.p95.toFixed(0)} ms at 1 connection`);
        continue;
      }
      // a short warm-up so the first run does not pay for cold buffer-pool pages alone
      if (connections === 1) await hammer({ label: e.label, url: `${office.url}${e.path}`, token: tokens.get(e.user) as string, connections: 1, durationS: 2 });
      const r = await hammer({ label: e.label, url: `${office.url}${e.path}`, token: tokens.get(e.user) as string, connections, durationS: DURATION });
      results.push({ ...r, path: e.path, user: e.user, connections });
      console.log(figuresRow(r));
    }
  }
  const missed = results.filter((r) => !(r.p95 <= GOAL_P95));
  console.log('');
  for (const r of results) line(`${r.label} @${r.connections}`, Number.isNaN(r.p95) ? 'no answer within 10 s — goal MISSED' : `p95 ${r.p95.toFixed(1)} ms — ${r.p95 <= GOAL_P95 ? 'goal met' : 'goal MISSED'}`);
  const explained = new Set<string>();
  for (const r of missed) {
    const k = `${r.path} ${r.user}`;
    if (explained.has(k)) continue;
    explained.add(k);
    const identityCtx = { db } as unknown as Ctx;
    const userId = String((await db('users').where({ username: r.user }).first('id'))?.id);
    const identity = await loadIdentity(identityCtx, userId);
    if (!identity) continue;
    if (r.path.startsWith('/api/tasks')) {
      const q = TaskListQuery.parse(Object.fromEntries(new URLSearchParams(r.path.split('?')[1] ?? '')));
      await explain(db, r.label, (ctx) => listTasks(ctx, identity, q));
    }
    else await explain(db, r.label, (ctx) => listCases(ctx, identity, { limit: 20 }));
  }
});
