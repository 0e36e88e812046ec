#!/usr/bin/env node
// Manages a local Zeebe broker for licence-desk: finds a JDK 21+, fetches the official distribution
// with Maven into .cache/ (git-ignored), builds our exporter against it, starts a single-node broker
// for local use and stops it cleanly. Dependency-free so it runs before anything else is known good.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, '.cache');
const MAVEN_DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export const brokerVersion = () => process.env.ZEEBE_VERSION ?? '8.6.0';

function javaMajor(home) {
  try {
    const release = fs.readFileSync(path.join(home, 'release'), 'utf8');
    const m = /JAVA_VERSION="(\d+)(?:\.(\d+))?/.exec(release);
    if (!m) return 0;
    return m[1] === '1' ? Number(m[2]) : Number(m[1]);
  } catch {
    return 0;
  }
}

function findJdk() {
  const candidates = [];
  if (process.env.JAVA_HOME) candidates.push(process.env.JAVA_HOME);
  if (fs.existsSync('/usr/lib/jvm')) for (const d of fs.readdirSync('/usr/lib/jvm')) candidates.push(path.join('/usr/lib/jvm', d));
  const usable = candidates
    .map((home) => ({ home: fs.realpathSync.native(fs.existsSync(home) ? home : '/'), version: javaMajor(home) }))
    .filter((j) => j.version >= 21 && fs.existsSync(path.join(j.home, 'bin', 'javac')));
  if (process.env.JAVA_HOME && usable[0]?.home !== fs.realpathSync.native(fs.existsSync(process.env.JAVA_HOME) ? process.env.JAVA_HOME : '/')) {
    // JAVA_HOME set but too old: say so rather than silently picking another JDK
    const v = javaMajor(process.env.JAVA_HOME);
    throw new Error(`JAVA_HOME points to ${process.env.JAVA_HOME} (Java ${v || 'unknown'}), but the Zeebe broker needs a JDK 21 or newer: point JAVA_HOME at one (e.g. /usr/lib/jvm/temurin-21-jdk-amd64) or unset it.`);
  }
  usable.sort((a, b) => b.version - a.version);
  return usable[0];
}

const distDirOf = (version) => path.join(cacheDir, 'zeebe', `camunda-zeebe-${version}`);

export async function checkPrerequisites({ needMaven = true } = {}) {
  if (Number(process.versions.node.split('.')[0]) < 20) throw new Error(`licence-desk needs Node 20 or newer (this is ${process.version}): install it and try again.`);
  const jdk = findJdk();
  if (!jdk) throw new Error('licence-desk needs a JDK 21 or newer to run the Zeebe broker: install one (e.g. apt-get install openjdk-21-jdk-headless, or Temurin 21) or set JAVA_HOME to it.');
  const cached = fs.existsSync(path.join(distDirOf(brokerVersion()), 'bin', 'broker'));
  if (needMaven && !cached && spawnSync('mvn', ['-v'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('licence-desk fetches the Zeebe broker from Maven Central with Maven, which is not installed: install it (e.g. apt-get install maven) and try again.');
  }
  return { javaHome: jdk.home, javaVersion: jdk.version };
}

export async function ensureBrokerDist({ version = brokerVersion(), log = () => {} } = {}) {
  const dist = distDirOf(version);
  if (fs.existsSync(path.join(dist, 'bin', 'broker'))) return dist;
  fs.mkdirSync(path.dirname(dist), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(dist), '.fetch-'));
  try {
    log(`fetching Zeebe ${version} with Maven (io.camunda:camunda-zeebe:${version}:tar.gz)…`);
    const t0 = Date.now();
    const mvn = spawnSync('mvn', ['-q', '-B', `${MAVEN_DEPENDENCY_PLUGIN}:copy`, `-Dartifact=io.camunda:camunda-zeebe:${version}:tar.gz`, `-DoutputDirectory=${tmp}`], { encoding: 'utf8' });
    if (mvn.status !== 0) throw new Error(`Maven could not fetch io.camunda:camunda-zeebe:${version}:tar.gz — is ZEEBE_VERSION right and Maven Central reachable?\n${(mvn.stdout + mvn.stderr).split('\n').slice(-15).join('\n')}`);
    const tarball = path.join(tmp, `camunda-zeebe-${version}.tar.gz`);
    const tar = spawnSync('tar', ['xzf', tarball, '-C', tmp]);
    if (tar.status !== 0) throw new Error(`could not unpack ${tarball}`);
    fs.rmSync(tarball);
    // Rename last: an interrupted fetch leaves a .fetch-* folder, never a half-unpacked dist.
    fs.renameSync(path.join(tmp, `camunda-zeebe-${version}`), dist);
    log(`Zeebe ${version} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return dist;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function buildExporter({ distDir, javaHome, log = () => {} }) {
  const srcDir = path.join(root, 'backend', 'engine', 'exporter');
  const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.java')).map((f) => path.join(srcDir, f));
  const jar = path.join(cacheDir, 'exporter', `licence-desk-exporter-${path.basename(distDir)}.jar`);
  const newest = Math.max(...sources.map((s) => fs.statSync(s).mtimeMs));
  if (fs.existsSync(jar) && fs.statSync(jar).mtimeMs > newest) return jar;
  const classes = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-exporter-'));
  try {
    const javac = spawnSync(path.join(javaHome, 'bin', 'javac'), ['--release', '21', '-nowarn', '-cp', `${path.join(distDir, 'lib')}/*`, '-d', classes, ...sources], { encoding: 'utf8' });
    if (javac.status !== 0) throw new Error(`the exporter did not compile:\n${javac.stderr}`);
    fs.mkdirSync(path.dirname(jar), { recursive: true });
    const packed = spawnSync(path.join(javaHome, 'bin', 'jar'), ['cf', jar, '-C', classes, '.'], { encoding: 'utf8' });
    if (packed.status !== 0) throw new Error(`could not package the exporter: ${packed.stderr}`);
    log(`exporter built: ${path.relative(root, jar)}`);
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

async function ready(ports) {
  try {
    const r = await fetch(`http://127.0.0.1:${ports.management}/ready`, { signal: AbortSignal.timeout(2000) });
    if (!r.ok) return false;
    const t = await (await fetch(`http://127.0.0.1:${ports.rest}/v2/topology`, { signal: AbortSignal.timeout(2000) })).json();
    return t.brokers?.some((b) => b.partitions?.some((p) => p.role === 'leader' && p.health === 'healthy')) ?? false;
  } catch {
    return false;
  }
}

export async function startBroker({ distDir, javaHome, jarPath, dataDir, ports, exporter, clockControlled = false }) {
  for (const [name, port] of Object.entries(ports)) {
    if (await portTaken(port)) throw new Error(`port ${port} (${name}) is already in use: is another broker running? Stop it, or point licence-desk at it with ZEEBE_GRPC_ADDRESS.`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(path.dirname(dataDir), 'broker.log');
  const out = fs.openSync(logFile, 'a');
  const env = {
    ...process.env,
    JAVA_HOME: javaHome,
    JAVA_OPTS: process.env.ZEEBE_JAVA_OPTS ?? '-Xms256m -Xmx768m -XX:+UseSerialGC',
    ZEEBE_CLOCK_CONTROLLED: String(clockControlled),
    ZEEBE_BROKER_DATA_DIRECTORY: dataDir,
    ZEEBE_BROKER_DATA_DISK_FREESPACE_PROCESSING: '128MB',
    ZEEBE_BROKER_DATA_DISK_FREESPACE_REPLICATION: '64MB',
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
  const child = spawn(path.join(distDir, 'bin', 'broker'), [], { env, cwd: distDir, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup('SIGCONT'); // a test may have paused it
    killGroup('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 20_000))]);
    if (!done) killGroup('SIGKILL');
  };
  while (!(await ready(ports))) {
    if (child.exitCode !== null || Date.now() - t0 > 120_000) {
      await stop();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`the Zeebe broker did not become ready (${child.exitCode !== null ? `exited with ${child.exitCode}` : 'timed out after 120 s'}); last lines of ${logFile}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const startedInMs = Date.now() - t0;
  return { pid: child.pid, ports, stop, startedInMs };
}

// ---- CLI -------------------------------------------------------------------------------------
if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const cmd = process.argv[2] ?? 'check';
  const say = (m) => console.log(`licence-desk: ${m}`);
  try {
    const pre = await checkPrerequisites({ needMaven: cmd !== 'check' });
    say(`JDK ${pre.javaVersion} at ${pre.javaHome}`);
    if (cmd === 'fetch' || cmd === 'start') {
      const distDir = await ensureBrokerDist({ log: say });
      const jarPath = await buildExporter({ distDir, javaHome: pre.javaHome, log: say });
      say(`broker ${distDir}\nlicence-desk: exporter ${jarPath}`);
      if (cmd === 'start') {
        const b = await startBroker({
          distDir,
          javaHome: pre.javaHome,
          jarPath,
          dataDir: path.join(root, '.data', 'broker', 'data'),
          ports: { grpc: 26500, rest: 8080, management: 9600, command: 26501, internal: 26502 },
          exporter: { url: `http://127.0.0.1:${process.env.PORT ?? 3000}/internal/engine/records`, token: process.env.ENGINE_INGEST_TOKEN ?? 'licence-desk-local-ingest-token' },
          log: say,
        });
        const bye = () => void b.stop().then(() => process.exit(0));
        process.once('SIGINT', bye);
        process.once('SIGTERM', bye);
      }
    } else if (cmd !== 'check') {
      throw new Error(`unknown command ${cmd}: use check, fetch or start`);
    }
  } catch (err) {
    console.error(`licence-desk: ${err.message}`);
    process.exit(1);
  }
}
