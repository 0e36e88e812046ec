/**
 * Drill: two back-office instances behind the same broker and database, sharing socket.io rooms
 * through Redis (REDIS_URL). An event raised on one reaches a client connected to the other, both
 * ways; then the clerk load through one instance vs round-robin over both.
 *
 *   node --import tsx bench/drills/two-offices.ts [--cases 100] [--concurrency 20] [--db mysql|sqlite]
 */
import { io, type Socket } from 'socket.io-client';
import { APPLICANT, call, ChildOffice, COUNTY, loginAll, sleep, WATER_ITEM } from '../../test/support/drills.ts';
import { header, line, ms, withCleanup } from '../lib/common.ts';
import { clerkLoad, describeLoad, drillFlags, finish, stage } from '../lib/drill.ts';

const d = drillFlags({ cases: 100, db: 'mysql' });
const REDIS = 'redis://127.0.0.1:6379';
header('drill: two back offices, one broker, one database, Redis between their sockets', { cases: d.cases, concurrency: d.concurrency, db: d.db });

function listen(url: string, token: string) {
  const s: Socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
  const got: Array<{ type: string; caseId: string; at: number }> = [];
  for (const type of ['task.created', 'task.claimed', 'task.completed']) s.on(type, (e: { task: { caseId: string } }) => got.push({ type, caseId: e.task.caseId, at: performance.now() }));
  return { s, got };
}

async function until<T>(probe: () => T | undefined, ms = 15_000): Promise<T | undefined> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const v = probe();
    if (v) return v;
    await sleep(20);
  }
  return undefined;
}

await withCleanup(async (defer) => {
  const s = await stage(defer, { brokerBase: 27100, officePort: 3131, db: d.db, officeEnv: { REDIS_URL: REDIS } });
  const a = s.office;
  const b = new ChildOffice({ port: 3132, env: { ...a.opts.env, REDIS_URL: REDIS } });
  defer(() => b.stop());
  line('second back office', `up in ${ms(await b.start())} (${b.url}); the exporter feeds ${a.url}`);
  const fails: string[] = [];

  // ---- events cross instances ----
  const tokens = await loginAll(a.url, ['jn-01-01.asc.window']);
  const token = tokens.get('jn-01-01.asc.window') as string;
  const onA = listen(a.url, token);
  const onB = listen(b.url, token);
  defer(() => {
    onA.s.close();
    onB.s.close();
  });
  await until(() => onA.s.connected && onB.s.connected);
  await sleep(300);
  const t0 = performance.now();
  const sub = await call<{ id: string }>(a.url, 'POST', '/api/cases', { token, body: { itemCode: WATER_ITEM, regionCode: COUNTY, applicant: APPLICANT } });
  const created = await until(() => onB.got.find((g) => g.type === 'task.created' && g.caseId === sub.body.id));
  line('task.created raised on A (ingest) → client on B', created ? `received ${ms(created.at - t0)} after the POST` : 'NOT RECEIVED');
  if (!created) fails.push('task.created did not cross from A to B');
  const q = await call<{ items: Array<{ userTaskKey: string }> }>(b.url, 'GET', `/api/tasks?caseId=${sub.body.id}`, { token });
  const key = q.body.items[0]?.userTaskKey;
  const t1 = performance.now();
  await call(b.url, 'POST', `/api/tasks/${key}/claim`, { token });
  const claimed = await until(() => onA.got.find((g) => g.type === 'task.claimed' && g.caseId === sub.body.id));
  line('task.claimed raised on B (claim) → client on A', claimed ? `received ${ms(claimed.at - t1)} after the POST` : 'NOT RECEIVED');
  if (!claimed) fails.push('task.claimed did not cross from B to A');

  // ---- throughput, one vs two (both warmed up first, so neither pays for JIT) ----
  const warm = await clerkLoad({ urls: () => [a.url, b.url], cases: 20, concurrency: d.concurrency });
  const one = await clerkLoad({ urls: () => [a.url], cases: d.cases, concurrency: d.concurrency });
  const two = await clerkLoad({ urls: () => [a.url, b.url], cases: d.cases, concurrency: d.concurrency });
  const r1 = one.walked / (one.ms / 1000);
  const r2 = two.walked / (two.ms / 1000);
  console.log('\n  through A only');
  describeLoad(one, d.cases);
  console.log('\n  round-robin over A and B');
  describeLoad(two, d.cases);
  line('throughput one / two instances', `${r1.toFixed(2)} / ${r2.toFixed(2)} cases/s  (two/one = ${(r2 / r1).toFixed(2)})`);
  await finish(s.db, { ...two, caseIds: [...warm.caseIds, ...one.caseIds, ...two.caseIds], walked: warm.walked + one.walked + two.walked, stuck: [...warm.stuck, ...one.stuck, ...two.stuck] }, d.cases * 2 + 20, { fail: fails, note: `events crossed both ways: ${fails.length === 0 ? 'yes' : 'NO'}; two/one throughput ${(r2 / r1).toFixed(2)}` });
});
