#!/usr/bin/env node
// Manages the local Operaton engine for licence-desk: finds a JDK 17+ and Maven, builds the engine
// application (backend/engine/operaton/server: Operaton + the licence-desk plugin) once into .cache/
// (git-ignored; rebuilt only when its sources change), starts it on loopback and stops it cleanly.
// Dependency-free so it can check prerequisites before anything else runs.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, '.cache', 'engine');
const serverDir = path.join(root, 'backend', 'engine', 'operaton', 'server');
const JDK_HINT = 'install one (e.g. apt-get install openjdk-17-jdk-headless) or set JAVA_HOME to it';
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'); // Maven 3.8 colours even with -B
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The release file is cheaper and more reliable than parsing `java -version`.
function javaMajor(home) {
  try {
    const m = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(fs.readFileSync(path.join(home, 'release'), 'utf8'));
    return !m ? 0 : m[1] === '1' ? Number(m[2]) : Number(m[1]);
  } catch {
    return 0;
  }
}
const isJdk = (home) => fs.existsSync(path.join(home, 'bin', 'javac')) && fs.existsSync(path.join(home, 'bin', 'java'));

function defaultJdkHome() {
  const which = spawnSync('sh', ['-c', 'command -v javac'], { encoding: 'utf8' });
  if (which.status !== 0 || !which.stdout.trim()) return null;
  return path.dirname(path.dirname(fs.realpathSync(which.stdout.trim())));
}

/** JAVA_HOME if it is a JDK 17+, else the system's default JDK, else the newest under /usr/lib/jvm. */
export function findJdk() {
  const candidates = [process.env.JAVA_HOME, defaultJdkHome()].filter(Boolean);
  for (const home of candidates) if (javaMajor(home) >= 17 && isJdk(home)) return { home, version: javaMajor(home) };
  if (fs.existsSync('/usr/lib/jvm')) {
    const best = fs
      .readdirSync('/usr/lib/jvm')
      .map((d) => fs.realpathSync(path.join('/usr/lib/jvm', d)))
      .map((home) => ({ home, version: javaMajor(home) }))
      .filter((j) => j.version >= 17 && isJdk(j.home))
      .sort((a, b) => a.version - b.version)[0];
    if (best) return best;
  }
  return null;
}

function sourceHash() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        h.update(path.relative(serverDir, p));
        h.update(fs.readFileSync(p));
      }
    }
  };
  walk(serverDir);
  return h.digest('hex').slice(0, 16);
}

export const engineJarPath = () => path.join(cacheDir, 'licence-desk-engine.jar');

export async function checkPrerequisites({ needMaven = true } = {}) {
  const node = Number(process.versions.node.split('.')[0]);
  if (node < 20) throw new Error(`licence-desk needs Node 20 or newer (this is ${process.version}): install it from your package manager or nodejs.org.`);
  const jdk = findJdk();
  if (!jdk) {
    const seen = process.env.JAVA_HOME ? ` (JAVA_HOME is ${process.env.JAVA_HOME}, Java ${javaMajor(process.env.JAVA_HOME) || 'unknown'})` : '';
    throw new Error(`licence-desk needs a JDK 17 or newer to run the Operaton engine${seen}: ${JDK_HINT}.`);
  }
  const built = fs.existsSync(engineJarPath()) && fs.existsSync(`${engineJarPath()}.sources`) && fs.readFileSync(`${engineJarPath()}.sources`, 'utf8') === sourceHash();
  if (needMaven && !built && spawnSync('mvn', ['-v'], { stdio: 'ignore', env: { ...process.env, JAVA_HOME: jdk.home } }).status !== 0) {
    throw new Error('licence-desk builds its Operaton engine with Maven, which is not on PATH: install it (e.g. apt-get install maven) and try again.');
  }
  return { javaHome: jdk.home, javaVersion: jdk.version };
}

/** Builds the engine application unless the cached jar was built from the same sources. */
export async function buildEngine({ javaHome, log = () => {} }) {
  const jar = engineJarPath();
  const stamp = `${jar}.sources`;
  const hash = sourceHash();
  if (fs.existsSync(jar) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return jar;
  fs.mkdirSync(cacheDir, { recursive: true });
  const buildDir = fs.mkdtempSync(path.join(cacheDir, '.build-'));
  try {
    log('building the Operaton engine with Maven (first time only; later starts reuse it)…');
    const t0 = Date.now();
    const mvn = spawnSync('mvn', ['-q', '-B', '-Dstyle.color=never', '-f', path.join(serverDir, 'pom.xml'), `-Dld.build.dir=${buildDir}`, '-DskipTests', 'package'], {
      encoding: 'utf8',
      env: { ...process.env, JAVA_HOME: javaHome },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (mvn.status !== 0) {
      const tail = `${mvn.stdout ?? ''}${mvn.stderr ?? ''}`.replace(ANSI, '').trim().split('\n').slice(-20).join('\n');
      throw new Error(`Maven could not build the engine (is the Maven repository reachable?):\n${tail}`);
    }
    // rename last: a start never picks up a half-written jar
    fs.renameSync(path.join(buildDir, 'licence-desk-engine.jar'), jar);
    fs.writeFileSync(stamp, hash);
    log(`engine built in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${path.relative(root, jar)}`);
    return jar;
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
}

/**
 * The engine's JDBC settings for a back office on MySQL/MariaDB: its own database on the same server
 * (`<db>_engine`, created on first start), READ COMMITTED as Operaton requires. Without
 * nullDatabaseMeansCurrent the driver's metadata searches every database on the server, so the
 * engine took another engine's tables on the same server for its own and skipped creating them.
 */
export function engineJdbcFor(databaseUrl, name) {
  const u = new URL(databaseUrl);
  const db = name ?? `${decodeURIComponent(u.pathname.replace(/^\//, '')) || 'licence_desk'}_engine`;
  return {
    url: `jdbc:mariadb://${u.hostname}:${u.port || 3306}/${db}?createDatabaseIfNotExist=true&nullDatabaseMeansCurrent=true&useServerPrepStmts=false&rewriteBatchedStatements=true`,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password || ''),
    database: db,
  };
}

function portTaken(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(true)).once('listening', () => s.close(() => resolve(false)));
    s.listen(port, host);
  });
}

async function ready(url, token) {
  try {
    const r = await fetch(`${url}/engine`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2000) });
    return r.ok;
  } catch {
    return false;
  }
}

/**
 * Starts one engine node. `jdbc` unset: an H2 file database under dataDir. Returns its REST base URL
 * (…/engine-rest) and stop(), which asks Spring to shut down (the job executor finishes its jobs)
 * and kills it only after 20 s.
 */
export async function startEngine({ javaHome, jar, dataDir, port = 8090, host = '127.0.0.1', jdbc, token, javaOpts, log = () => {}, name = 'engine' }) {
  if (await portTaken(port, host)) throw new Error(`port ${port} (the Operaton engine's) is already in use: is another engine running? Stop it, or use it by setting OPERATON_URL.`);
  if (!token || token.length < 16) throw new Error('the engine needs an API token of 16 characters at least');
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const env = {
    ...process.env,
    JAVA_HOME: javaHome,
    LICENCEDESK_ENGINE_HOST: host,
    LICENCEDESK_ENGINE_PORT: String(port),
    LICENCEDESK_ENGINE_TOKEN: token,
    LICENCEDESK_ENGINE_JDBC_URL: jdbc?.url ?? `jdbc:h2:file:${path.join(dataDir, 'operaton')};DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0`,
    LICENCEDESK_ENGINE_JDBC_USER: jdbc?.user ?? 'sa',
    LICENCEDESK_ENGINE_JDBC_PASSWORD: jdbc?.password ?? '',
  };
  // H2 writes its log lazily by default (WRITE_DELAY=500 ms): a kill -9 then loses commits the engine
  // had already answered for, which the back office has applied. WRITE_DELAY=0 makes each durable.
  // Sized for a 2-core machine next to Node and a database; OPERATON_JAVA_OPTS overrides.
  const opts = (javaOpts ?? process.env.OPERATON_JAVA_OPTS ?? '-Xms256m -Xmx512m -XX:+UseSerialGC -Xshare:auto').split(/\s+/).filter(Boolean);
  const t0 = Date.now();
  const child = spawn(path.join(javaHome, 'bin', 'java'), [...opts, '-jar', jar], { env, cwd: dataDir, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const url = `http://${host}:${port}/engine-rest`;
  const signal = (s) => {
    try {
      process.kill(child.pid, s);
    } catch {
      /* already gone */
    }
  };
  // A detached engine outlives its parent unless we kill it: on exit, and on signals nobody else handles.
  const onExit = () => signal('SIGKILL');
  const onSignal = (s) => {
    if (process.listenerCount(s) > 1) return; // the host handles it and will call stop()
    signal('SIGKILL');
    process.exit(128 + (os.constants.signals[s] ?? 1));
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  process.on('exit', onExit);
  for (const s of signals) process.on(s, onSignal);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    process.off('exit', onExit);
    for (const s of signals) process.off(s, onSignal);
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal('SIGCONT'); // a test may have paused it; a stopped JVM ignores SIGTERM
    signal('SIGTERM');
    let timer;
    const done = await Promise.race([exited.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), 20_000)))]);
    clearTimeout(timer);
    if (!done) {
      signal('SIGKILL');
      await exited;
    }
  };
  log(`starting the Operaton engine (${url}, ${jdbc ? jdbc.url.replace(/\?.*/, '') : 'H2'}, log ${logFile})`);
  while (!(await ready(url, token))) {
    const gone = child.exitCode !== null || child.signalCode !== null;
    if (gone || Date.now() - t0 > 180_000) {
      await stop();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => !/^\s+at /.test(l)).slice(-25).join('\n');
      throw new Error(`the Operaton engine did not become ready (${gone ? `it exited with ${child.exitCode ?? child.signalCode}` : 'timed out after 180 s'}); last lines of ${logFile}:\n${tail}`);
    }
    await sleep(200);
  }
  return { pid: child.pid, url, port, logFile, stop, exited, startedInMs: Date.now() - t0 };
}

/**
 * Where the embedded set-up keeps the secrets it generates: LICENCEDESK_SECRETS_FILE (best outside
 * the data directory, so a copy of `.data/` or of its backups carries no keys), else `.data/secrets.json`.
 */
export const secretsFile = () => path.resolve(process.env.LICENCEDESK_SECRETS_FILE || path.join(root, '.data', 'secrets.json'));

/**
 * Everything the office keeps under a data directory is its user's only: directories 0700, files
 * 0600 (the database, its WAL, the engine's H2 files, anchors, secrets) — for what an older version
 * left readable; the start command sets umask 077 for what is created from now on.
 */
export function tightenModes(dir) {
  if (!fs.existsSync(dir)) return;
  const walk = (p) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      fs.chmodSync(p, 0o700);
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else if (st.isFile()) fs.chmodSync(p, 0o600);
  };
  walk(dir);
}

/** The embedded set-up's engine token, kept with its secrets (never committed). */
export function localToken(file = secretsFile()) {
  if (process.env.OPERATON_TOKEN) return process.env.OPERATON_TOKEN;
  const secrets = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  if (!secrets.OPERATON_TOKEN) {
    secrets.OPERATON_TOKEN = randomBytes(24).toString('hex');
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets.OPERATON_TOKEN;
}

// ---- CLI: `node scripts/engine.mjs check|build|start` -----------------------------------------------
const isMain = process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1]);
if (isMain) {
  const cmd = process.argv[2] ?? 'check';
  const say = (m) => console.log(`licence-desk: ${m}`);
  try {
    if (!['check', 'build', 'start'].includes(cmd)) throw new Error(`unknown command "${cmd}": use check, build or start.`);
    const pre = await checkPrerequisites({ needMaven: cmd !== 'check' });
    say(`JDK ${pre.javaVersion} at ${pre.javaHome}`);
    if (cmd !== 'check') {
      const jar = await buildEngine({ javaHome: pre.javaHome, log: say });
      say(`engine ${jar}`);
      if (cmd === 'start') {
        const e = await startEngine({ javaHome: pre.javaHome, jar, dataDir: path.join(root, '.data', 'engine'), port: Number(process.env.OPERATON_LOCAL_PORT ?? 8090), token: localToken(), log: say });
        say(`engine ready in ${(e.startedInMs / 1000).toFixed(1)} s (pid ${e.pid}) at ${e.url}; Ctrl-C stops it`);
        const bye = () => void e.stop().then(() => process.exit(0));
        process.once('SIGINT', bye);
        process.once('SIGTERM', bye);
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(message.startsWith('licence-desk') ? message : `licence-desk: ${message}`);
    process.exit(1);
  }
}
