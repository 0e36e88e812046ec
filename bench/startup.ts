/**
 * Start-up time.
 *   1. The start command, `node scripts/run.mjs start`, with a warm broker cache (Zeebe fetched and
 *      the exporter built already): from spawn to its "back office ready" line (GET /health/ready
 *      answering 200), then SIGTERM and the time to exit. Fresh broker data and database each run,
 *      then a second start on the data the first left (a restart).
 *   2. The back office alone against an already running broker: `startBackOffice()` in-process, and
 *      `node --import tsx backend/main.ts` as a child process; fresh database, then an existing one.
 * Several runs of each; prints the median.
 *
 * The start command keeps its data in <root>/.data; so that it never touches the developer's own
 * .data (or a running `npm start`), each run gets a scratch root: copies of scripts/, symlinks to the
 * sources, node_modules and the fetched broker, and a copy of the built exporter jar.
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
import { brokerLib, flags, header, line, median, num, prepareBroker, removeDir, secs, startBenchBroker, withCleanup } from './lib/common.ts';

const f = flags();
const RUNS = num(f, 'runs', 3);
const PORT = 3121;
const GRPC = 27500;
const OFFICE_PORT = 3122;

header('start-up time', { runs: RUNS });

/** A scratch root where `scripts/run.mjs` sees everything it needs and writes .data of its own. */
async function scratchRoot(): Promise<string> {
  const b = await brokerLib();
  const dist = await prepareBroker();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-root-'));
  fs.mkdirSync(path.join(root, 'scripts'));
  for (const file of fs.readdirSync(path.join(repoRoot, 'scripts'))) fs.copyFileSync(path.join(repoRoot, 'scripts', file), path.join(root, 'scripts', file));
  for (const entry of ['backend', 'config', 'db', 'processes', 'modeler-ui', 'node_modules', 'package.json', 'tsconfig.json']) fs.symlinkSync(path.join(repoRoot, entry), path.join(root, entry));
  fs.mkdirSync(path.join(root, '.cache', 'zeebe'), { recursive: true });
  const version = b.brokerVersion();
  fs.symlinkSync(dist.distDir, path.join(root, '.cache', 'zeebe', `camunda-zeebe-${version}`));
  fs.mkdirSync(path.join(root, '.cache', 'exporter'));
  const jar = path.join(root, '.cache', 'exporter', 'licence-desk-exporter.jar');
  fs.copyFileSync(dist.jarPath, jar);
  fs.writeFileSync(`${jar}.built-against`, path.join(root, '.cache', 'zeebe', `camunda-zeebe-${version}`));
  return root;
}

async function startCommand(root: string): Promise<{ readyMs: number; brokerMs: number; stopMs: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), ZEEBE_LOCAL_GRPC_PORT: String(GRPC), ZEEBE_LOCAL_REST_PORT: String(GRPC + 80), ZEEBE_LOCAL_MANAGEMENT_PORT: String(GRPC + 90), SQLITE_FILE: path.join(root, '.data', 'licence-desk.sqlite'), LOG_LEVEL: 'warn' };
  delete env.ZEEBE_GRPC_ADDRESS;
  delete env.ZEEBE_ADDRESS;
  delete env.ZEEBE_REST_ADDRESS;
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'run.mjs'), 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let brokerMs = NaN;
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      if (Number.isNaN(brokerMs) && /broker ready in/.test(out)) brokerMs = performance.now() - t0;
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
  return { readyMs, brokerMs, stopMs };
}

await withCleanup(async (defer) => {
  // ---- 1. the start command ----
  const fresh: number[] = [];
  const restart: number[] = [];
  const broker: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const root = await scratchRoot();
    defer(() => removeDir(root));
    const a = await startCommand(root);
    const b = await startCommand(root);
    fresh.push(a.readyMs);
    restart.push(b.readyMs);
    broker.push(a.brokerMs, b.brokerMs);
    stops.push(a.stopMs, b.stopMs);
    console.log(`  run ${i + 1}: start command ready in ${secs(a.readyMs)} fresh (broker ${secs(a.brokerMs)}), ${secs(b.readyMs)} on existing data; stopped in ${secs(a.stopMs)} / ${secs(b.stopMs)}`);
  }

  // ---- 2. the back office alone ----
  const bb = await startBenchBroker({ base: 27600, exporterUrl: `http://127.0.0.1:${OFFICE_PORT}/internal/engine/records`, token: 'bench-ingest-token-0123456789' });
  defer(() => bb.stop());
  const inProcess: number[] = [];
  const childFresh: number[] = [];
  const childExisting: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-start-'));
    defer(() => removeDir(dir));
    const env = officeEnv({ SQLITE_FILE: path.join(dir, 'a.sqlite'), ZEEBE_GRPC_ADDRESS: bb.grpcAddress, ZEEBE_REST_ADDRESS: bb.restAddress, AUTH_TOKEN_SECRET: DRILL_AUTH_SECRET, APPLICANT_DATA_KEYS: DRILL_KEYS, PORT: String(OFFICE_PORT) });
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
  line('start command → ready (existing data)', secs(median(restart)));
  line('  of which the broker', secs(median(broker)));
  line('start command SIGTERM → exited', secs(median(stops)));
  line('back office alone, in-process (fresh SQLite)', secs(median(inProcess)));
  line('back office alone, child process (fresh SQLite)', secs(median(childFresh)));
  line('back office alone, child process (existing SQLite)', secs(median(childExisting)));
});
