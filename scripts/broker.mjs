#!/usr/bin/env node
// Manages a local Zeebe broker for licence-desk: finds a JDK 21+, fetches the official distribution
// with Maven into .cache/ (git-ignored), builds our exporter against it, starts a single-node broker
// and stops it cleanly. Dependency-free so it can run before `npm ci` results are known good.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, '.cache');
// Pinned so a fetch never depends on whatever plugin version the local Maven resolves as "latest".
const MAVEN_DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const JDK_HINT = 'install one (e.g. apt-get install temurin-21-jdk or openjdk-21-jdk-headless) or set JAVA_HOME to it';

export function brokerVersion() {
  return process.env.ZEEBE_VERSION || '8.6.0';
}

const distDirOf = (version) => path.join(cacheDir, 'zeebe', `camunda-zeebe-${version}`);
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'); // Maven 3.8 colours even with -B
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The release file is cheaper and more reliable than parsing `java -version` (which some vendors decorate).
function javaMajor(home) {
  try {
    const m = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(fs.readFileSync(path.join(home, 'release'), 'utf8'));
    return !m ? 0 : m[1] === '1' ? Number(m[2]) : Number(m[1]); // "1.8.0" style for old JDKs
  } catch {
    return 0;
  }
}

// A JDK, not a JRE: the exporter is compiled with its javac.
const isJdk = (home) => fs.existsSync(path.join(home, 'bin', 'javac')) && fs.existsSync(path.join(home, 'bin', 'jar'));

export async function checkPrerequisites({ needMaven = true } = {}) {
  const node = Number(process.versions.node.split('.')[0]);
  if (node < 20) throw new Error(`licence-desk needs Node 20 or newer (this is ${process.version}): install it from your package manager or nodejs.org.`);
  let jdk;
  const envHome = process.env.JAVA_HOME;
  if (envHome && javaMajor(envHome) >= 21 && isJdk(envHome)) jdk = { home: envHome, version: javaMajor(envHome) };
  else if (fs.existsSync('/usr/lib/jvm')) {
    // JAVA_HOME may legitimately point at an older JDK other tools need; the broker runs with its own.
    jdk = fs.readdirSync('/usr/lib/jvm')
      .map((d) => fs.realpathSync(path.join('/usr/lib/jvm', d)))
      .map((home) => ({ home, version: javaMajor(home) }))
      .filter((j) => j.version >= 21 && isJdk(j.home))
      .sort((a, b) => b.version - a.version)[0];
  }
  if (!jdk) {
    const seen = envHome ? ` (JAVA_HOME is ${envHome}, Java ${javaMajor(envHome) || 'unknown'})` : '';
    throw new Error(`licence-desk needs a JDK 21 or newer to run the Zeebe broker${seen}: ${JDK_HINT}.`);
  }
  const cached = fs.existsSync(path.join(distDirOf(brokerVersion()), 'bin', 'broker'));
  if (needMaven && !cached && spawnSync('mvn', ['-v'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`licence-desk fetches the Zeebe ${brokerVersion()} broker with Maven, which is not on PATH: install it (e.g. apt-get install maven) and try again.`);
  }
  return { javaHome: jdk.home, javaVersion: jdk.version };
}

export async function ensureBrokerDist({ version = brokerVersion(), log = () => {} } = {}) {
  const dist = distDirOf(version);
  if (fs.existsSync(path.join(dist, 'bin', 'broker'))) return dist;
  fs.mkdirSync(path.dirname(dist), { recursive: true });
  // Unpack beside the final place and rename last: an interrupted fetch leaves a .fetch-* folder
  // (ignored, cleaned next time), never a half-unpacked dist that looks complete.
  const tmp = fs.mkdtempSync(path.join(path.dirname(dist), '.fetch-'));
  try {
    const artifact = `io.camunda:camunda-zeebe:${version}:tar.gz`;
    log(`fetching Zeebe ${version} with Maven (${artifact})…`);
    const t0 = Date.now();
    const mvn = spawnSync('mvn', ['-q', '-B', '-Dstyle.color=never', `${MAVEN_DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${artifact}`, `-DoutputDirectory=${tmp}`], { encoding: 'utf8' });
    if (mvn.status !== 0) {
      const tail = `${mvn.stdout ?? ''}${mvn.stderr ?? ''}`.replace(ANSI, '').trim().split('\n').slice(-15).join('\n');
      throw new Error(`Maven could not fetch ${artifact}: is ZEEBE_VERSION right and the Maven repository reachable?\n${tail}`);
    }
    const tarball = path.join(tmp, `camunda-zeebe-${version}.tar.gz`);
    const tar = spawnSync('tar', ['xzf', tarball, '-C', tmp], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`could not unpack ${tarball}: ${tar.stderr}`);
    fs.rmSync(tarball);
    // Another process may have won the race meanwhile; its copy is as good as ours.
    if (!fs.existsSync(dist)) fs.renameSync(path.join(tmp, `camunda-zeebe-${version}`), dist);
    log(`Zeebe ${version} unpacked in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return dist;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function buildExporter({ distDir, javaHome, log = () => {} }) {
  const srcDir = path.join(root, 'backend', 'engine', 'exporter');
  const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.java')).map((f) => path.join(srcDir, f));
  const jar = path.join(cacheDir, 'exporter', 'licence-desk-exporter.jar');
  // The stamp records which broker the jar was compiled against, so switching ZEEBE_VERSION rebuilds.
  const stamp = `${jar}.built-against`;
  const newestSource = Math.max(...sources.map((s) => fs.statSync(s).mtimeMs));
  const upToDate = fs.existsSync(jar) && fs.statSync(jar).mtimeMs > newestSource && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === distDir;
  if (upToDate) return jar;
  const classes = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-exporter-'));
  try {
    const t0 = Date.now();
    const javac = spawnSync(path.join(javaHome, 'bin', 'javac'), ['--release', '21', '-nowarn', '-cp', `${path.join(distDir, 'lib')}/*`, '-d', classes, ...sources], { encoding: 'utf8' });
    if (javac.status !== 0) throw new Error(`the licence-desk exporter did not compile:\n${javac.stdout}${javac.stderr}`);
    fs.mkdirSync(path.dirname(jar), { recursive: true });
    const partial = `${jar}.partial`; // rename last so a broker never loads a half-written jar
    const packed = spawnSync(path.join(javaHome, 'bin', 'jar'), ['cf', partial, '-C', classes, '.'], { encoding: 'utf8' });
    if (packed.status !== 0) throw new Error(`could not package the licence-desk exporter: ${packed.stderr}`);
    fs.renameSync(partial, jar);
    fs.writeFileSync(stamp, distDir);
    log(`exporter built in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${path.relative(root, jar)}`);
    return jar;
  } finally {
    fs.rmSync(classes, { recursive: true, force: true });
  }
}

function portTaken(port) {
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(true)).once('listening', () => s.close(() => resolve(false)));
    s.listen(port, '127.0.0.1');
  });
}

// /ready alone turns green before a partition has a leader; commands sent then fail, hence the topology.
async function ready(ports) {
  try {
    const r = await fetch(`http://127.0.0.1:${ports.management}/ready`, { signal: AbortSignal.timeout(2000) });
    if (!r.ok) return false;
    const t = await fetch(`http://127.0.0.1:${ports.rest}/v2/topology`, { signal: AbortSignal.timeout(2000) });
    if (!t.ok) return false;
    const topology = await t.json();
    return topology.brokers?.some((b) => b.partitions?.some((p) => p.role === 'leader' && p.health === 'healthy')) ?? false;
  } catch {
    return false;
  }
}

// Without a fresh snapshot the broker forgets on restart what the exporter had acknowledged since the
// last one and re-sends all of it. Best effort: a broker that does not answer is stopped anyway.
async function snapshot(managementPort) {
  const partitions = async () => (await fetch(`http://127.0.0.1:${managementPort}/actuator/partitions`, { signal: AbortSignal.timeout(2000) })).json();
  try {
    const before = await partitions();
    await fetch(`http://127.0.0.1:${managementPort}/actuator/partitions/takeSnapshot`, { method: 'POST', signal: AbortSignal.timeout(2000) });
    for (const t0 = Date.now(); Date.now() - t0 < 5000; await sleep(100)) {
      const now = await partitions();
      if (Object.entries(before).every(([id, p]) => (now[id]?.processedPositionInSnapshot ?? -1) >= (p.processedPosition ?? -1))) return;
    }
  } catch {
    /* not reachable: nothing to save */
  }
}

export async function startBroker({ distDir, javaHome, jarPath, dataDir, ports, exporter, clockControlled = false, log = () => {} }) {
  for (const [name, port] of Object.entries(ports)) {
    if (await portTaken(port)) throw new Error(`port ${port} (broker ${name} port) is already in use: is another broker running? Stop it, or use it by setting ZEEBE_GRPC_ADDRESS and ZEEBE_REST_ADDRESS.`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(path.dirname(dataDir), 'broker.log');
  const out = fs.openSync(logFile, 'a');
  const env = {
    ...process.env,
    JAVA_HOME: javaHome,
    // Sized for a 2-core machine next to Node and a database; ZEEBE_JAVA_OPTS overrides.
    JAVA_OPTS: process.env.ZEEBE_JAVA_OPTS ?? '-Xms256m -Xmx768m -XX:+UseSerialGC',
    ZEEBE_CLOCK_CONTROLLED: String(Boolean(clockControlled)),
    ZEEBE_BROKER_DATA_DIRECTORY: dataDir,
    // The defaults (2 GB / 1 GB free) stop processing on small CI disks.
    ZEEBE_BROKER_DATA_DISK_FREESPACE_PROCESSING: '128MB',
    ZEEBE_BROKER_DATA_DISK_FREESPACE_REPLICATION: '64MB',
    // Exporter positions survive a restart only inside a snapshot (default every 5 min); a short period
    // bounds what is re-sent to the back office after a crash. stop() also takes one.
    ZEEBE_BROKER_DATA_SNAPSHOTPERIOD: '1m',
    ZEEBE_BROKER_GATEWAY_NETWORK_HOST: '127.0.0.1',
    ZEEBE_BROKER_GATEWAY_NETWORK_PORT: String(ports.grpc),
    ZEEBE_BROKER_NETWORK_HOST: '127.0.0.1',
    ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT: String(ports.command),
    ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT: String(ports.internal),
    SERVER_ADDRESS: '127.0.0.1',
    SERVER_PORT: String(ports.rest),
    MANAGEMENT_SERVER_ADDRESS: '127.0.0.1',
    MANAGEMENT_SERVER_PORT: String(ports.management),
    ZEEBE_BROKER_THREADS_CPUTHREADCOUNT: '1',
    ZEEBE_BROKER_THREADS_IOTHREADCOUNT: '1',
    ZEEBE_BROKER_EXPORTERS_LICENCEDESK_CLASSNAME: 'io.licencedesk.exporter.LicenceDeskExporter',
    ZEEBE_BROKER_EXPORTERS_LICENCEDESK_JARPATH: jarPath,
    ZEEBE_BROKER_EXPORTERS_LICENCEDESK_ARGS_URL: exporter.url,
    ZEEBE_BROKER_EXPORTERS_LICENCEDESK_ARGS_TOKEN: exporter.token,
    ZEEBE_BROKER_EXPORTERS_LICENCEDESK_ARGS_VARIABLENAMES: exporter.variableNames ?? 'caseId',
  };
  const t0 = Date.now();
  // Own process group: stop() and the tests' SIGSTOP/SIGCONT reach the JVM, not just the start script.
  const child = spawn(path.join(distDir, 'bin', 'broker'), [], { env, cwd: distDir, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  // A detached broker outlives its parent unless we kill it: on exit, and on signals nobody else handles
  // (Node's default would exit without running 'exit' handlers, orphaning a JVM that holds the ports).
  const onExit = () => killGroup('SIGKILL');
  const onSignal = (signal) => {
    if (process.listenerCount(signal) > 1) return; // the host handles it and will call stop()
    killGroup('SIGKILL');
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  process.on('exit', onExit);
  for (const s of signals) process.on(s, onSignal);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    process.off('exit', onExit);
    for (const s of signals) process.off(s, onSignal);
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup('SIGCONT'); // a test may have paused it; a stopped JVM ignores SIGTERM
    await snapshot(ports.management);
    killGroup('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
    if (!done) {
      killGroup('SIGKILL');
      await exited;
    }
  };
  log(`starting Zeebe broker (gRPC ${ports.grpc}, REST ${ports.rest}, log ${logFile})`);
  while (!(await ready(ports))) {
    const gone = child.exitCode !== null || child.signalCode !== null;
    if (gone || Date.now() - t0 > 120_000) {
      await stop();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-31).join('\n');
      throw new Error(`the Zeebe broker did not become ready (${gone ? `it exited with ${child.exitCode ?? child.signalCode}` : 'timed out after 120 s'}); last lines of ${logFile}:\n${tail}`);
    }
    await sleep(250);
  }
  return { pid: child.pid, ports, stop, startedInMs: Date.now() - t0 };
}

// ---- CLI -------------------------------------------------------------------------------------
function ingestToken() {
  // Same file `npm start` uses, so a back office started separately accepts this broker's exporter.
  if (process.env.ENGINE_INGEST_TOKEN) return process.env.ENGINE_INGEST_TOKEN;
  const file = path.join(root, '.data', 'ingest-token');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1]);
if (isMain) {
  const cmd = process.argv[2] ?? 'check';
  const say = (m) => console.log(`licence-desk: ${m}`);
  const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
  try {
    if (!['check', 'fetch', 'start'].includes(cmd)) throw new Error(`unknown command "${cmd}": use check, fetch or start.`);
    const t0 = Date.now();
    const pre = await checkPrerequisites({ needMaven: cmd !== 'check' });
    say(`JDK ${pre.javaVersion} at ${pre.javaHome}; Zeebe ${brokerVersion()}`);
    if (cmd !== 'check') {
      const distDir = await ensureBrokerDist({ log: say });
      const jarPath = await buildExporter({ distDir, javaHome: pre.javaHome, log: say });
      say(`broker   ${distDir}`);
      say(`exporter ${jarPath}`);
      say(`ready to start in ${secs(Date.now() - t0)}`);
      if (cmd === 'start') {
        const port = process.env.PORT ?? 3000;
        const b = await startBroker({
          distDir,
          javaHome: pre.javaHome,
          jarPath,
          dataDir: path.join(root, '.data', 'broker', 'data'),
          ports: { grpc: 26500, rest: 8080, management: 9600, command: 26501, internal: 26502 },
          exporter: { url: `http://127.0.0.1:${port}/internal/engine/records`, token: ingestToken(), variableNames: 'caseId' },
          log: say,
        });
        say(`broker ready in ${secs(b.startedInMs)} (pid ${b.pid}); Ctrl-C stops it`);
        const bye = () => void b.stop().then(() => process.exit(0));
        process.once('SIGINT', bye);
        process.once('SIGTERM', bye);
      }
    }
  } catch (err) {
    // Our errors are sentences meant for the user; a stack trace would bury them.
    const message = err instanceof Error ? err.message : String(err);
    console.error(message.startsWith('licence-desk') ? message : `licence-desk: ${message}`);
    process.exit(1);
  }
}
