#!/usr/bin/env node
// The two commands of the README. `start`: the Operaton engine + back office on embedded defaults.
// `test`: lint, type-check, unit tests, then the integration suite on a real engine against SQLite
// (engine on H2) and MariaDB (engine on MariaDB too); ends with one line "N passed, N failed". Plain
// Node (no TypeScript) so it can check prerequisites before anything else runs.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureUiBuilt } from './ui.mjs';
import { ensureBackendBuilt } from './backend-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [mode = 'start', ...argv] = process.argv.slice(2);

function fail(message) {
  console.error(message.startsWith('licence-desk') ? message : `licence-desk: ${message}`);
  process.exit(1);
}

// 20.19: the build tools (Vite, Rolldown, ESLint, mocha) need it; require(esm) landed there.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node 20.19 or newer is needed (this is ${process.version}): install it from your package manager or nodejs.org.`);
if (!fs.existsSync(path.join(root, 'node_modules', 'tsx'))) fail('dependencies are missing: run `npm ci` first (the README start command does it).');

const { grep, rest: args } = takeGrep(argv);
const engine = await import('./engine.mjs');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function prepareEngine({ log }) {
  let prereq;
  try {
    prereq = await engine.checkPrerequisites({ needMaven: true });
  } catch (err) {
    fail(err.message);
  }
  const jar = await engine.buildEngine({ javaHome: prereq.javaHome, log });
  return { ...prereq, jar };
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
  // the web app builds while the engine starts (both take seconds; neither needs the other)
  // and so does the back office's compilation
  const ui = ensureUiBuilt({ log: (m) => console.log(`licence-desk: ${m}`) });
  ui.catch(() => undefined);
  const compiled = ensureBackendBuilt({ log: (m) => console.log(`licence-desk: ${m}`) });
  compiled.catch(() => undefined);
  const dataRoot = path.join(root, '.data');
  // umask 077: whatever this process and its children (engine, back office) create is theirs alone
  process.umask(0o077);
  fs.mkdirSync(dataRoot, { recursive: true, mode: 0o700 });
  engine.tightenModes(dataRoot);
  // Secrets of the embedded set-up, made once (never committed): LICENCEDESK_SECRETS_FILE puts them
  // outside the data directory, away from the database and its backups.
  const secretsFile = engine.secretsFile();
  fs.mkdirSync(path.dirname(secretsFile), { recursive: true, mode: 0o700 });
  const secrets = fs.existsSync(secretsFile) ? JSON.parse(fs.readFileSync(secretsFile, 'utf8')) : {};
  const wanted = { OPERATON_TOKEN: () => randomBytes(24).toString('hex'), AUTH_TOKEN_SECRET: () => randomBytes(32).toString('base64url'), APPLICANT_DATA_KEYS: () => `k1:${randomBytes(32).toString('base64')}`, AUDIT_KEYS: () => `a1:${randomBytes(32).toString('base64')}` };
  let changed = false;
  for (const [k, make] of Object.entries(wanted)) {
    if (secrets[k]) continue;
    secrets[k] = make();
    changed = true;
  }
  if (changed) fs.writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  for (const [k, v] of Object.entries(secrets)) if (k !== 'ENGINE_INGEST_TOKEN') env[k] ??= v;
  const port = Number(env.PORT ?? 3000);
  if (!(await portFree(port))) fail(`port ${port} is taken: stop what uses it or set PORT.`);
  let running = null;
  if (env.OPERATON_URL) {
    console.log(`licence-desk: using the Operaton engine at ${env.OPERATON_URL} (no local engine started)`);
  } else {
    const e = await prepareEngine({ log: (m) => console.log(`licence-desk: ${m}`) });
    const enginePort = Number(env.OPERATON_LOCAL_PORT ?? 8090);
    // with a MySQL back office the engine keeps its data in its own database on the same server
    const jdbc = env.DATABASE_URL ? engine.engineJdbcFor(env.DATABASE_URL, env.OPERATON_DATABASE) : undefined;
    const te = Date.now();
    try {
      running = await engine.startEngine({ javaHome: e.javaHome, jar: e.jar, dataDir: path.join(dataRoot, 'engine'), port: enginePort, jdbc, token: env.OPERATON_TOKEN, log: (m) => console.log(`licence-desk: ${m}`) });
    } catch (err) {
      fail(err.message);
    }
    console.log(`licence-desk: Operaton engine ready in ${secs(Date.now() - te)} (${running.url}${jdbc ? `, database ${jdbc.database}` : ', H2 in .data/engine'})`);
    env.OPERATON_URL = running.url;
  }
  await ui.catch((err) => fail(`the web app did not build: ${err.message}`));
  const mainJs = await compiled.catch((err) => fail(`the back office did not compile: ${err.message}`));
  const tapp = Date.now();
  const app = spawn(process.execPath, ['--enable-source-maps', mainJs], { env, stdio: 'inherit' });
  let stopping = false;
  const stopAll = async (code) => {
    stopping = true;
    if (app.exitCode === null) app.kill('SIGTERM');
    if (running) await running.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  app.once('exit', (code, signal) => {
    if (!stopping) console.error(`licence-desk: the back office ${signal ? `was killed (${signal})` : `exited with code ${code}`}; stopping the engine${running ? '' : ' (none was started here)'}.`);
    void stopAll(code ?? 1);
  });
  if (running) {
    void running.exited.then(() => {
      if (stopping) return;
      console.error(`licence-desk: the Operaton engine stopped unexpectedly (see ${running.logFile}); stopping the back office.`);
      void stopAll(1);
    });
  }
  for (let i = 0; i < 600 && app.exitCode === null; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
    if (ok) {
      console.log(`licence-desk: back office ready in ${secs(Date.now() - tapp)} (total ${secs(Date.now() - t0)}) — http://127.0.0.1:${port}/  API: /api/openapi.json`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The browser tests: the built web app in Debian's Chromium against a real back office (SQLite) and the test engine. */
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
  return mochaTests(listTests('test/browser'), { ...env, CHROMIUM_PATH: chromium, UI_DIR: path.join(root, 'modeler-ui', 'dist'), SCREENSHOT_DIR: shots }, 'browser');
}

function run(cmd, argv, env = process.env) {
  const r = spawnSync(cmd, argv, { cwd: root, env, stdio: 'inherit' });
  return r.status === 0;
}

/**
 * Per-stage test timeout. Unit tests get 20 s rather than mocha's 2 s: the calendar's property tests
 * check thousands of random calendars and a busy machine (several runs sharing two cores) took
 * longer than 2 s. A real engine, database or browser needs longer still.
 */
const TIMEOUT_MS = { unit: 20_000, sqlite: 180_000, mysql: 180_000, browser: 180_000 };

/**
 * `--grep PATTERN` (or `--grep=PATTERN`, or TEST_GREP) runs only the tests whose full title matches,
 * in every test stage asked for: `npm test -- sqlite --grep "restart"`.
 */
function takeGrep(argv) {
  let grep = process.env.TEST_GREP || undefined;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--grep' || argv[i] === '-g') {
      if (i + 1 >= argv.length) fail('--grep needs a pattern: npm test -- sqlite --grep "title"');
      grep = argv[++i];
    } else if (argv[i].startsWith('--grep=')) grep = argv[i].slice('--grep='.length);
    else rest.push(argv[i]);
  }
  return { grep, rest };
}

/** Runs `files` in one mocha process (with tsx for TypeScript); the counts come from scripts/mocha-reporter.mjs. */
function mochaTests(files, env, label) {
  if (files.length === 0) {
    console.log(`licence-desk: no ${label} test file matches TEST_FILTER=${process.env.TEST_FILTER ?? ''}`);
    return { passed: 0, failed: 0, skipped: 0 };
  }
  const countFile = path.join(os.tmpdir(), `licence-desk-count-${process.pid}-${label}.json`);
  fs.rmSync(countFile, { force: true });
  const timeout = TIMEOUT_MS[label];
  const ok = run(process.execPath, [
    '--import', 'tsx', path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--no-config', '--no-package', '--forbid-only', '--require', path.join(root, 'test', 'support', 'mocha-setup.ts'),
    '--reporter', path.join(root, 'scripts', 'mocha-reporter.mjs'), '--reporter-option', `countFile=${countFile}`,
    ...(timeout ? ['--timeout', String(timeout)] : []),
    ...(grep ? ['--grep', grep] : []),
    ...files,
  ], env);
  let counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    counts = JSON.parse(fs.readFileSync(countFile, 'utf8'));
  } catch {
    console.error(`licence-desk: the ${label} tests ended without their count (the runner was cut off): counted as failed`);
  }
  if (!ok && counts.failed === 0) counts.failed = 1; // the runner itself failed (e.g. a file did not load, or it did not end)
  return counts;
}

const listTests = (dir) => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.test.ts') && f.includes(process.env.TEST_FILTER ?? '')).sort().map((f) => path.join(dir, f)) : []);

/** Drops the test engine's database; plain Node has no MySQL client, so the server's own CLI does. */
async function dropMysqlDatabase(url, name) {
  const u = new URL(url);
  spawnSync('mariadb', ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root'), ...(u.password ? [`-p${decodeURIComponent(u.password)}`] : []), '-e', `DROP DATABASE IF EXISTS \`${name}\``], { stdio: 'ignore' });
}

async function mariadbUp(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port || 3306), u.hostname).once('connect', () => (s.destroy(), resolve(true))).once('error', () => resolve(false));
  });
}

async function test() {
  const t0 = Date.now();
  const stages = args.length > 0 ? args : ['lint', 'unit', 'sqlite', 'browser', 'mysql'];
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
  if (stages.includes('unit')) add(mochaTests(listTests('test/unit'), process.env, 'unit'), 'unit');
  const dbStages = stages.filter((s) => s === 'sqlite' || s === 'mysql' || s === 'browser');
  if (dbStages.length > 0) {
    const e = await prepareEngine({ log: (m) => console.log(`licence-desk: ${m}`) });
    const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
    // TEST_PORT_BASE lets two test runs share a machine (e.g. 28700): the engine listens there.
    const enginePort = process.env.TEST_PORT_BASE ? Number(process.env.TEST_PORT_BASE) : 8790;
    const token = randomBytes(16).toString('hex');
    // One engine per database kind: H2 for the SQLite and browser stages, MariaDB for the MySQL one
    // (both the back office's and the engine's data on MariaDB there). Started when first needed.
    const engines = new Map();
    const engineFor = async (kind) => {
      if (engines.has(kind)) return engines.get(kind);
      for (const [other, running] of engines) {
        await running.stop();
        engines.delete(other);
      }
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `licence-desk-engine-${kind}-`));
      const jdbc = kind === 'mysql' ? engine.engineJdbcFor(`${mysqlUrl}/ld_test`, `ld_test_engine_${randomBytes(3).toString('hex')}`) : undefined;
      const tb = Date.now();
      const running = await engine.startEngine({ javaHome: e.javaHome, jar: e.jar, dataDir, port: enginePort, jdbc, token, log: (m) => console.log(`licence-desk: ${m}`) });
      console.log(`licence-desk: test engine (${kind === 'mysql' ? 'MariaDB' : 'H2'}) ready in ${secs(Date.now() - tb)}`);
      const stop = running.stop;
      running.stop = async () => {
        await stop();
        // keep the engine's log of the last run for diagnosis; its data goes
        fs.copyFileSync(running.logFile, path.join(os.tmpdir(), `licence-desk-test-engine-${kind}.log`));
        fs.rmSync(dataDir, { recursive: true, force: true });
        if (jdbc) await dropMysqlDatabase(mysqlUrl, jdbc.database);
      };
      engines.set(kind, running);
      return running;
    };
    try {
      const env0 = (running) => ({ ...process.env, TEST_DB: 'sqlite', TEST_MYSQL_URL: mysqlUrl, TEST_OPERATON_URL: running.url, TEST_OPERATON_TOKEN: token, TEST_ENGINE_PID: String(running.pid) });
      for (const db of dbStages) {
        if (db === 'mysql' && !(await mariadbUp(mysqlUrl))) {
          console.error(`licence-desk: MariaDB/MySQL is not reachable at ${mysqlUrl}: start it (see README) or set TEST_MYSQL_URL.`);
          add({ passed: 0, failed: 1, skipped: 0 }, 'integration (mysql)');
          continue;
        }
        let running;
        try {
          running = await engineFor(db === 'mysql' ? 'mysql' : 'h2');
        } catch (err) {
          console.error(`licence-desk: ${err.message}`);
          add({ passed: 0, failed: 1, skipped: 0 }, `${db}: the test engine did not start`);
          continue;
        }
        if (db === 'browser') {
          add(await browserStage(env0(running)), 'browser (Chromium)');
          continue;
        }
        const env = { ...env0(running), TEST_DB: db };
        const ti = Date.now();
        add(mochaTests(listTests('test/integration'), env, db), `integration (${db}) in ${secs(Date.now() - ti)}`);
      }
    } finally {
      for (const running of engines.values()) await running.stop();
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
