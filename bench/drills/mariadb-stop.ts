/**
 * Drill: stop MariaDB for 30 s while cases are in flight, start it again. The back office and its
 * engine both keep their data there (the office in ld_bench_<x>, the engine in ld_bench_<x>_engine,
 * as `npm start` does with DATABASE_URL), so both lose their database at once. During the outage the
 * API must answer 503 (never 500); afterwards everything recovers and nothing is lost.
 *
 * This stops the machine's shared MariaDB (127.0.0.1:3306): it refuses to run while anything else is
 * connected to it (an `npm test` run, another developer) or a `run.mjs test` process is running,
 * unless --force, and restarts the server in a cleanup step — also on failure and on Ctrl-C — and
 * checks it answers again before exiting.
 *
 *   node --import tsx bench/drills/mariadb-stop.ts [--cases 300] [--concurrency 20] [--down 30] [--force]
 */
import { spawnSync } from 'node:child_process';
import { call, sleep, Tally } from '../../test/support/drills.ts';
import { header, line, num, withCleanup } from '../lib/common.ts';
import { describeLoad, drillFlags, finish, loadWithFault, stage } from '../lib/drill.ts';

const d = drillFlags({ cases: 300, db: 'mysql' });
const DOWN_S = num(d.f, 'down', 30);
header('drill: stop MariaDB mid-load', { cases: d.cases, concurrency: d.concurrency, down: `${DOWN_S} s` });

const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
const mariadbUp = () => sh('mariadb-admin', ['-uroot', '--connect-timeout=2', 'ping']).status === 0;
function startMariadb(): void {
  const r = sh('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd']);
  if (r.status !== 0) console.error(`start-stop-daemon: ${r.stderr}`);
}
async function ensureMariadb(): Promise<boolean> {
  for (let i = 0; i < 120; i++) {
    if (mariadbUp()) return true;
    if (i % 20 === 0) startMariadb();
    await sleep(500);
  }
  return mariadbUp();
}

if (d.db !== 'mysql') throw new Error('this drill needs --db mysql');
const testRun = sh('pgrep', ['-af', 'run.mjs test']).stdout.trim();
if (testRun && !d.f.force) {
  console.error(`a test run is going on (${testRun.split('\n')[0]}): not stopping MariaDB under it (use --force to stop it anyway)`);
  process.exit(1);
}

await withCleanup(async (defer) => {
  // whatever happens from here on, MariaDB is running when we leave
  defer(async () => {
    const up = await ensureMariadb();
    line('MariaDB after the drill', up ? 'up' : 'DOWN — start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd');
  });
  const s = await stage(defer, { enginePort: 18094, officePort: 18104, db: 'mysql' });
  const ours = s.database.mysqlNames;
  const others = (await s.db.raw(`SELECT USER, HOST, DB, COMMAND FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND <> 'Daemon' AND (DB IS NULL OR DB NOT IN (${ours.map(() => '?').join(',')}))`, ours)) as unknown as [Array<Record<string, unknown>>];
  const foreign = others[0].filter((r) => r.USER !== 'system user');
  if (foreign.length > 0 && !d.f.force) {
    for (const r of foreign) line('connected to MariaDB', `${String(r.USER)}@${String(r.HOST)} db=${String(r.DB)} ${String(r.COMMAND)}`);
    throw new Error('someone else is using MariaDB right now: not stopping it (use --force to stop it anyway)');
  }

  const during = new Tally();
  let stopping = false;
  const load = await loadWithFault({
    url: s.office.url,
    cases: d.cases,
    concurrency: d.concurrency,
    fault: async (n, total) => {
      stopping = true;
      const r = sh('mariadb-admin', ['-uroot', 'shutdown']);
      line('MariaDB shut down', `after ${n} of ${total} tasks (${r.status === 0 ? 'ok' : r.stderr.trim()})`);
      const t0 = performance.now();
      // meanwhile: what do readiness and a read say?
      while (performance.now() - t0 < DOWN_S * 1000) {
        await call(s.office.url, 'GET', '/health/ready', { tally: during });
        await sleep(1000);
      }
      startMariadb();
      const up = await ensureMariadb();
      line('MariaDB started again', up ? `after ${((performance.now() - t0) / 1000).toFixed(1)} s` : 'FAILED');
      stopping = false;
    },
  });
  describeLoad(load, d.cases);
  line('/health/ready during the outage', [...during.counts.entries()].map(([k, v]) => `${k.slice(k.lastIndexOf('→ ') + 2)}×${v}`).join(' '));
  for (const e of s.office.errors.slice(0, 5)) {
    const j = JSON.parse(e) as { msg?: string; method?: string; err?: { type?: string; code?: string; message?: string; errno?: number; stack?: string }; path?: string };
    line('office answered 500', `${j.method ?? ''} ${j.path ?? ''}: ${j.err?.type ?? ''} code=${j.err?.code ?? ''} errno=${j.err?.errno ?? ''} ${j.err?.message?.slice(0, 200) ?? ''} @ ${j.err?.stack?.split('\n').slice(1, 3).join(' ').trim() ?? ''}`);
  }
  const fail: string[] = [];
  const fiveHundreds = load.tally.fiveXx([503]);
  if (fiveHundreds) fail.push(`${fiveHundreds} answers 5xx other than 503`);
  if (load.tally.status(503) === 0) fail.push('no 503 seen: did the outage reach the API?');
  if (stopping) fail.push('MariaDB did not come back');
  await finish(s.db, load, d.cases, { engineUrls: [s.engine.url], office: s.office, fail, note: `${load.tally.status(503)} answers 503, ${fiveHundreds} other 5xx during a ${DOWN_S} s outage` });
});
