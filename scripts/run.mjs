#!/usr/bin/env node
// The two commands of the README. `start`: broker + back office on embedded defaults.
// `test`: lint, type-check, unit tests, then the integration suite on a real broker against SQLite
// and MariaDB; ends with one line "N passed, N failed". Plain Node (no TypeScript) so it can check
// prerequisites before anything else runs.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureUiBuilt } from './ui.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [mode = 'start', ...args] = process.argv.slice(2);

function fail(message) {
  console.error(message.startsWith('licence-desk') ? message : `licence-desk: ${message}`);
  process.exit(1);
}

if (Number(process.versions.node.split('.')[0]) < 20) fail(`Node 20 or newer is needed (this is ${process.version}): install it from your package manager or nodejs.org.`);
if (!fs.existsSync(path.join(root, 'node_modules', 'tsx'))) fail('dependencies are missing: run `npm ci` first (the README start command does it).');

const broker = await import('./broker.mjs');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function prepareBroker({ log }) {
  let prereq;
  try {
    prereq = await broker.checkPrerequisites({ needMaven: true });
  } catch (err) {
    fail(err.message);
  }
  const version = broker.brokerVersion();
  const distDir = await broker.ensureBrokerDist({ version, log });
  const jarPath = await broker.buildExporter({ distDir, javaHome: prereq.javaHome, log });
  return { ...prereq, distDir, jarPath, version };
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).once('listening', () => s.close(() => resolve(true)));
    s.listen(port, '127.0.0.1');
  });
}

async function start() {
  const t0 = Date.now();
  const env = { ...process.env };
  // the web app builds while the broker starts (both take seconds; neither needs the other)
  const ui = ensureUiBuilt({ log: (m) => console.log(`licence-desk: ${m}`) });
  ui.catch(() => undefined);
  const external = Boolean(env.ZEEBE_GRPC_ADDRESS || env.ZEEBE_ADDRESS);
  let running = null;
  if (external) {
    env.ZEEBE_GRPC_ADDRESS ??= env.ZEEBE_ADDRESS;
    console.log(`licence-desk: using the Zeebe cluster at ${env.ZEEBE_GRPC_ADDRESS} (no local broker started)`);
  } else {
    const b = await prepareBroker({ log: (m) => console.log(`licence-desk: ${m}`) });
    const dataRoot = path.join(root, '.data');
    fs.mkdirSync(dataRoot, { recursive: true });
    // Secrets of the embedded set-up, made once and kept with its data (never committed).
    const secretsFile = path.join(dataRoot, 'secrets.json');
    if (!fs.existsSync(secretsFile)) {
      const secrets = {
        ENGINE_INGEST_TOKEN: randomBytes(24).toString('hex'),
        AUTH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
        APPLICANT_DATA_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      };
      fs.writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    }
    for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(secretsFile, 'utf8')))) env[k] ??= v;
    const port = Number(env.PORT ?? 3000);
    const ports = { grpc: Number(env.ZEEBE_LOCAL_GRPC_PORT ?? 26500), rest: Number(env.ZEEBE_LOCAL_REST_PORT ?? 8080), management: Number(env.ZEEBE_LOCAL_MANAGEMENT_PORT ?? 9600), command: Number(env.ZEEBE_LOCAL_GRPC_PORT ?? 26500) + 1, internal: Number(env.ZEEBE_LOCAL_GRPC_PORT ?? 26500) + 2 };
    if (!(await portFree(port))) fail(`port ${port} is taken: stop what uses it or set PORT.`);
    const tb = Date.now();
    running = await broker.startBroker({
      distDir: b.distDir,
      javaHome: b.javaHome,
      jarPath: b.jarPath,
      dataDir: path.join(dataRoot, 'broker', 'data'),
      ports,
      exporter: { url: `http://127.0.0.1:${port}/internal/engine/records`, token: env.ENGINE_INGEST_TOKEN, variableNames: 'caseId' },
      clockControlled: false,
      log: (m) => console.log(`licence-desk: ${m}`),
    });
    console.log(`licence-desk: Zeebe ${b.version} broker ready in ${secs(Date.now() - tb)} (gRPC ${ports.grpc}, REST ${ports.rest})`);
    env.ZEEBE_GRPC_ADDRESS = `127.0.0.1:${ports.grpc}`;
    env.ZEEBE_REST_ADDRESS = `http://127.0.0.1:${ports.rest}`;
  }
  await ui.catch((err) => fail(`the web app did not build: ${err.message}`));
  const tapp = Date.now();
  const app = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'backend', 'main.ts')], { env, stdio: 'inherit' });
  const port = Number(env.PORT ?? 3000);
  const stopAll = async (code) => {
    if (app.exitCode === null) app.kill('SIGTERM');
    if (running) await running.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  app.once('exit', (code) => void stopAll(code ?? 1));
  for (let i = 0; i < 600 && app.exitCode === null; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
    if (ok) {
      console.log(`licence-desk: back office ready in ${secs(Date.now() - tapp)} (total ${secs(Date.now() - t0)}) — http://127.0.0.1:${port}/  API: /api/openapi.json`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The browser tests: the built web app in Debian's Chromium against a real back office (SQLite) and the test broker. */
async function browserStage(env) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    console.error(`licence-desk: the browser tests need Chromium at ${chromium}: apt-get install chromium (or set CHROMIUM_PATH).`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  try {
    await ensureUiBuilt({ log: (m) => console.log(`licence-desk: ${m}`) });
  } catch (err) {
    console.error(`licence-desk: the web app did not build: ${err.message}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const shots = path.join(root, 'test-results', 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  return nodeTests(listTests('test/browser'), { ...env, CHROMIUM_PATH: chromium, UI_DIR: path.join(root, 'modeler-ui', 'dist'), SCREENSHOT_DIR: shots }, 'browser');
}

function run(cmd, argv, env = process.env) {
  const r = spawnSync(cmd, argv, { cwd: root, env, stdio: 'inherit' });
  return r.status === 0;
}

function nodeTests(files, env, label) {
  const countFile = path.join(os.tmpdir(), `licence-desk-count-${process.pid}-${label}.json`);
  fs.rmSync(countFile, { force: true });
  const ok = run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${path.join(root, 'scripts', 'count-reporter.mjs')}`, `--test-reporter-destination=${countFile}`, ...files], env);
  let counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    counts = JSON.parse(fs.readFileSync(countFile, 'utf8'));
  } catch {
    console.error(`licence-desk: the ${label} tests ended without their count (the runner was cut off): counted as failed`);
  }
  if (!ok && counts.failed === 0) counts.failed = 1; // the runner itself failed (e.g. a file did not load)
  return counts;
}

const listTests = (dir) => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.test.ts') && f.includes(process.env.TEST_FILTER ?? '')).sort().map((f) => path.join(dir, f)) : []);

async function mariadbUp(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port || 3306), u.hostname).once('connect', () => (s.destroy(), resolve(true))).once('error', () => resolve(false));
  });
}

async function test() {
  const t0 = Date.now();
  const stages = args.length > 0 ? args : ['lint', 'unit', 'sqlite', 'mysql', 'browser'];
  const total = { passed: 0, failed: 0, skipped: 0 };
  const add = (c, label) => {
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    console.log(`\n== ${label}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}\n`);
  };
  if (stages.includes('lint')) {
    console.log('== lint (eslint) and type-check (tsc --noEmit)');
    const lint = run(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings=0', '.']);
    const types = run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', root]);
    const uiTypes = run(process.execPath, [path.join(root, 'node_modules', 'vue-tsc', 'bin', 'vue-tsc.js'), '--noEmit', '-p', path.join(root, 'modeler-ui')]);
    add({ passed: Number(lint) + Number(types) + Number(uiTypes), failed: Number(!lint) + Number(!types) + Number(!uiTypes), skipped: 0 }, 'lint + types (backend, web app)');
  }
  if (stages.includes('unit')) add(nodeTests(listTests('test/unit'), process.env, 'unit'), 'unit');
  const dbStages = stages.filter((s) => s === 'sqlite' || s === 'mysql' || s === 'browser');
  if (dbStages.length > 0) {
    const b = await prepareBroker({ log: (m) => console.log(`licence-desk: ${m}`) });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-broker-'));
    // TEST_PORT_BASE lets two test runs share a machine (e.g. 28700): grpc, +1/+2 broker-internal,
    // +3 REST, +4 management, +5 the exporter's target.
    const base = process.env.TEST_PORT_BASE ? Number(process.env.TEST_PORT_BASE) : null;
    const ports = base ? { grpc: base, command: base + 1, internal: base + 2, rest: base + 3, management: base + 4 } : { grpc: 26700, rest: 8780, management: 9700, command: 26701, internal: 26702 };
    const ingestPort = base ? base + 5 : 3999;
    const token = randomBytes(16).toString('hex');
    const tb = Date.now();
    const running = await broker.startBroker({
      distDir: b.distDir,
      javaHome: b.javaHome,
      jarPath: b.jarPath,
      dataDir: path.join(dataDir, 'data'),
      ports,
      exporter: { url: `http://127.0.0.1:${ingestPort}/internal/engine/records`, token, variableNames: 'caseId' },
      clockControlled: true,
      log: (m) => console.log(`licence-desk: ${m}`),
    });
    console.log(`licence-desk: test broker ready in ${secs(Date.now() - tb)}`);
    const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
    try {
      const env0 = () => ({ ...process.env, TEST_DB: 'sqlite', TEST_MYSQL_URL: mysqlUrl, TEST_ZEEBE_GRPC: `127.0.0.1:${ports.grpc}`, TEST_ZEEBE_REST: `http://127.0.0.1:${ports.rest}`, TEST_INGEST_PORT: String(ingestPort), TEST_INGEST_TOKEN: token, TEST_BROKER_PID: String(running.pid), TEST_BROKER_MANAGEMENT: `http://127.0.0.1:${ports.management}` });
      for (const db of dbStages) {
        if (db === 'browser') {
          add(await browserStage(env0()), 'browser (Chromium)');
          continue;
        }
        if (db === 'mysql' && !(await mariadbUp(mysqlUrl))) {
          console.error(`licence-desk: MariaDB/MySQL is not reachable at ${mysqlUrl}: start it (see README) or set TEST_MYSQL_URL.`);
          add({ passed: 0, failed: 1, skipped: 0 }, 'integration (mysql)');
          continue;
        }
        const env = { ...env0(), TEST_DB: db };
        const ti = Date.now();
        add(nodeTests(listTests('test/integration'), env, db), `integration (${db}) in ${secs(Date.now() - ti)}`);
      }
    } finally {
      await running.stop();
      // keep the broker's log of the last run for diagnosis; the data itself goes
      fs.copyFileSync(path.join(dataDir, 'broker.log'), path.join(os.tmpdir(), 'licence-desk-test-broker.log'));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`test suite took ${secs(Date.now() - t0)}`);
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
}

try {
  if (mode === 'start') await start();
  else if (mode === 'test') await test();
  else fail(`unknown mode ${mode}: use start or test`);
} catch (err) {
  // Our own failures carry a sentence meant for the user; no stack trace.
  fail(err instanceof Error ? err.message : String(err));
}
