/**
 * Start-up time (goal: `npm start` → ready in ≤ 15 s warm, i.e. with the engine jar and the web app
 * already built).
 *   1. The start command, `node scripts/run.mjs start`, with a warm engine cache (.cache/engine built
 *      already): from spawn to its "back office ready" line (GET /health/ready answering 200), and
 *      the engine's share — spawn to its "Operaton engine ready" line — then SIGTERM and the time to
 *      exit. Fresh data each run (the engine's H2 and the SQLite file), then a second start on the
 *      data the first left (a restart).
 *   2. The back office alone against an already running engine: `startBackOffice()` in-process, and
 *      `node --import tsx backend/main.ts` as a child process; fresh database, then an existing one.
 * Several runs of each; prints the median.
 *
 * The start command keeps its data in <root>/.data; so that it never touches the developer's own
 * .data (or a running `npm start`), each run gets a scratch root: copies of scripts/, symlinks to the
 * sources and node_modules, and symlinks to the built engine jar in <root>/.cache/engine. Its engine
 * listens on 18089 (OPERATON_LOCAL_PORT), its back office on 18111.
 *
 *   node --import tsx bench/startup.ts [--runs 3]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, repoRoot } from '../config/index.ts';
import { startBackOffice } from '../backend/server.ts';
import { createLogger } from '../backend/log.ts';
import { ChildOffice, DRILL_AUTH_SECRET, DRILL_KEYS, officeEnv, sleep } from '../test/support/drills.ts';
import { ENGINE_TOKEN, flags, header, line, median, num, prepareEngine, removeDir, secs, startBenchEngine, withCleanup } from './lib/common.ts';

const f = flags();
const RUNS = num(f, 'runs', 3);
const PORT = 18111;
const ENGINE_PORT = 18089;
const OFFICE_PORT = 18112;
const GOAL_MS = 15_000;

header('start-up time', { runs: RUNS });

/** A scratch root where `scripts/run.mjs` sees everything it needs and writes .data of its own. */
async function scratchRoot(): Promise<string> {
  const { jar } = await prepareEngine();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-root-'));
  fs.mkdirSync(path.join(root, 'scripts'));
  for (const file of fs.readdirSync(path.join(repoRoot, 'scripts'))) fs.copyFileSync(path.join(repoRoot, 'scripts', file), path.join(root, 'scripts', file));
  for (const entry of ['backend', 'config', 'db', 'processes', 'modeler-ui', 'node_modules', 'package.json', 'tsconfig.json']) fs.symlinkSync(path.join(repoRoot, entry), path.join(root, entry));
  // the engine jar and its source stamp: engine.mjs hashes <root>/backend/engine/operaton/server (the
  // same sources through the symlink) and finds the jar built
  fs.mkdirSync(path.join(root, '.cache', 'engine'), { recursive: true });
  for (const file of [jar, `${jar}.sources`]) fs.symlinkSync(file, path.join(root, '.cache', 'engine', path.basename(file)));
  return root;
}

async function startCommand(root: string): Promise<{ readyMs: number; engineMs: number; stopMs: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), OPERATON_LOCAL_PORT: String(ENGINE_PORT), SQLITE_FILE: path.join(root, '.data', 'licence-desk.sqlite'), LOG_LEVEL: 'warn' };
  // the start command's own engine, its own secrets: nothing from the caller's environment
  for (const k of ['OPERATON_URL', 'OPERATON_TOKEN', 'DATABASE_URL', 'AUTH_TOKEN_SECRET', 'APPLICANT_DATA_KEYS', 'REDIS_URL']) delete env[k];
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'run.mjs'), 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let engineMs = NaN;
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      if (Number.isNaN(engineMs) && /Operaton engine ready in/.test(out)) engineMs = performance.now() - t0;
      if (/back office ready in/.test(out)) resolve(performance.now() - t0);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the start command exited with ${code} before it was ready:\n${out.slice(-2000)}`)));
  });
  const timeout = sleep(180_000).then(() => {
    throw new Error(`not ready after 180 s:\n${out.slice(-2000)}`);
  });
  let readyMs: number;
  try {
    readyMs = await Promise.race([ready, timeout]);
    const health = await fetch(`http://127.0.0.1:${PORT}/health/ready`);
    if (health.status !== 200) throw new Error(`ready line printed but /health/ready answered ${health.status}`);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const ts = performance.now();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(60_000)]);
  const stopMs = performance.now() - ts;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  return { readyMs, engineMs, stopMs };
}

await withCleanup(async (defer) => {
  // ---- 1. the start command ----
  const fresh: number[] = [];
  const restart: number[] = [];
  const engineFresh: number[] = [];
  const engineRestart: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const root = await scratchRoot();
    defer(() => removeDir(root));
    const a = await startCommand(root);
    const b = await startCommand(root);
    fresh.push(a.readyMs);
    restart.push(b.readyMs);
    engineFresh.push(a.engineMs);
    engineRestart.push(b.engineMs);
    stops.push(a.stopMs, b.stopMs);
    console.log(`  run ${i + 1}: start command ready in ${secs(a.readyMs)} fresh (engine ${secs(a.engineMs)}), ${secs(b.readyMs)} on existing data (engine ${secs(b.engineMs)}); stopped in ${secs(a.stopMs)} / ${secs(b.stopMs)}`);
  }

  // ---- 2. the back office alone ----
  const engine = await startBenchEngine({ port: ENGINE_PORT });
  defer(() => engine.stop());
  const inProcess: number[] = [];
  const childFresh: number[] = [];
  const childExisting: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-start-'));
    defer(() => removeDir(dir));
    const env = officeEnv({ SQLITE_FILE: path.join(dir, 'a.sqlite'), OPERATON_URL: engine.url, OPERATON_TOKEN: ENGINE_TOKEN, AUTH_TOKEN_SECRET: DRILL_AUTH_SECRET, APPLICANT_DATA_KEYS: DRILL_KEYS, PORT: String(OFFICE_PORT) });
    const t0 = performance.now();
    const office = await startBackOffice(loadConfig(env), { log: createLogger('silent') });
    inProcess.push(performance.now() - t0);
    await office.stop();
    const c1 = new ChildOffice({ port: OFFICE_PORT, env: { ...env, SQLITE_FILE: path.join(dir, 'b.sqlite') } });
    childFresh.push(await c1.start());
    await c1.stop();
    const c2 = new ChildOffice({ port: OFFICE_PORT, env: { ...env, SQLITE_FILE: path.join(dir, 'b.sqlite') } });
    childExisting.push(await c2.start());
    await c2.stop();
    console.log(`  run ${i + 1}: back office in-process ${secs(inProcess.at(-1) ?? NaN)}, child process ${secs(childFresh.at(-1) ?? NaN)} fresh / ${secs(childExisting.at(-1) ?? NaN)} existing database`);
  }

  console.log('\n  medians');
  line('start command → ready (fresh data)', secs(median(fresh)));
  line('  of which the engine', `${secs(median(engineFresh))} (${((median(engineFresh) / median(fresh)) * 100).toFixed(0)} %)`);
  line('start command → ready (existing data)', secs(median(restart)));
  line('  of which the engine', `${secs(median(engineRestart))} (${((median(engineRestart) / median(restart)) * 100).toFixed(0)} %)`);
  line('start command SIGTERM → exited', secs(median(stops)));
  line('back office alone, in-process (fresh SQLite)', secs(median(inProcess)));
  line('back office alone, child process (fresh SQLite)', secs(median(childFresh)));
  line('back office alone, child process (existing SQLite)', secs(median(childExisting)));
  const worst = Math.max(median(fresh), median(restart));
  line('GOAL npm start → ready ≤ 15 s warm', `${worst <= GOAL_MS ? 'met' : 'MISSED'} (${secs(median(fresh))} fresh, ${secs(median(restart))} existing data)`);
});
