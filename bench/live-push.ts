/**
 * Live push: C socket.io clients (default 2,000; socket.io-client, auth: { token }) connected to one
 * back office, all in the candidate group the events are for; the office publishes task.created
 * events through its own domain-event bus (`ctx.events`, as the feed's ingest does), each stamped with
 * its publication time; every client records when it received it. Prints event-to-receipt p50 / p99
 * over all receipts (goal p99 ≤ 100 ms).
 *
 * The office runs in a child process (bench/lib/push-office.ts); the clients share this process, so
 * on a 2-core machine the figure includes the receiving side decoding 2,000 frames per event on one
 * core — an upper bound for what one browser sees.
 *
 * No engine is involved: the office is configured with an unreachable one and its feed off.
 *
 *   node --import tsx bench/live-push.ts [--clients 2000] [--events 200] [--rate 10] [--redis]
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { DRILL_AUTH_SECRET, DRILL_KEYS, DRILL_AUDIT_KEYS, freePort, loginAll, sleep } from '../test/support/drills.ts';
import { flags, header, line, ms, NO_ENGINE, num, percentile, removeDir, withCleanup } from './lib/common.ts';

const f = flags();
const CLIENTS = num(f, 'clients', 2000);
const EVENTS = num(f, 'events', 200);
const RATE = num(f, 'rate', 10);
const USER = 'jn-01-01.wr.reviewer';
const GROUP = 'JN-01-01.WR:reviewer';
const now = () => performance.timeOrigin + performance.now();

header('live push: event → receipt over socket.io', { clients: CLIENTS, events: EVENTS, rate: `${RATE}/s` });

await withCleanup(async (defer) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-push-'));
  defer(() => removeDir(dir));
  const port = await freePort();
  const child = fork(path.join(import.meta.dirname, 'lib', 'push-office.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
      SQLITE_FILE: path.join(dir, 'push.sqlite'),
      // no engine: nothing is deployed, nobody reads a feed (the events come from the bench)
      DEPLOY_ON_START: 'false',
      FEED_ENABLED: 'false',
      OPERATON_URL: NO_ENGINE.OPERATON_URL,
      OPERATON_TOKEN: NO_ENGINE.OPERATON_TOKEN,
      AUTH_TOKEN_SECRET: DRILL_AUTH_SECRET,
      APPLICANT_DATA_KEYS: DRILL_KEYS,
      AUDIT_KEYS: DRILL_AUDIT_KEYS,
      ...(f.redis ? { REDIS_URL: 'redis://127.0.0.1:6379' } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  defer(async () => {
    if (child.exitCode === null) {
      child.send({ stop: true });
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
  const emitMs: number[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: { ready?: string; published?: number; emitMs?: number }) => {
      if (m.ready) resolve(m.ready);
      if (m.emitMs !== undefined) emitMs.push(m.emitMs);
    });
    child.once('exit', (code) => reject(new Error(`push office exited with ${code}`)));
  });
  const token = (await loginAll(url, [USER])).get(USER) as string;

  const latencies = new Float64Array(CLIENTS * EVENTS);
  let received = 0;
  const perEvent = new Uint32Array(EVENTS);
  const sockets: Socket[] = [];
  defer(() => {
    for (const s of sockets) s.close();
  });
  const tc = performance.now();
  for (let i = 0; i < CLIENTS; i += 100) {
    const batch = Array.from({ length: Math.min(100, CLIENTS - i) }, () => {
      const s = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      s.on('task.created', (e: { task: { elementName: string } }) => {
        const t = now();
        const { seq, t: sent } = JSON.parse(e.task.elementName) as { seq: number; t: number };
        if (received < latencies.length) latencies[received++] = t - sent;
        perEvent[seq] = (perEvent[seq] ?? 0) + 1;
      });
      sockets.push(s);
      return new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
    });
    await Promise.all(batch);
  }
  line('clients connected', `${sockets.length} in ${ms(performance.now() - tc)}`);
  await sleep(500);

  const t0 = performance.now();
  for (let seq = 0; seq < EVENTS; seq++) {
    child.send({ fire: { seq, group: GROUP } });
    const due = t0 + ((seq + 1) * 1000) / RATE;
    await sleep(Math.max(0, due - performance.now()));
  }
  const deadline = performance.now() + 10_000;
  while (received < CLIENTS * EVENTS && performance.now() < deadline) await sleep(50);
  const lat = Array.from(latencies.subarray(0, received));
  const complete = Array.from(perEvent).filter((n) => n === CLIENTS).length;
  line('receipts', `${received} of ${CLIENTS * EVENTS} (${complete}/${EVENTS} events reached every client)`);
  line('event → receipt p50 / p90 / p99 / max', `${ms(percentile(lat, 50))} / ${ms(percentile(lat, 90))} / ${ms(percentile(lat, 99))} / ${ms(lat.reduce((m, x) => Math.max(m, x), 0))}`);
  line('office: synchronous fan-out per event p50 / p99', `${ms(percentile(emitMs, 50))} / ${ms(percentile(emitMs, 99))}`);
  const p99 = percentile(lat, 99);
  line('GOAL p99 ≤ 100 ms', p99 <= 100 ? 'met' : 'MISSED');
});
