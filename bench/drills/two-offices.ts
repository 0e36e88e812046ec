/**
 * Drill: two back-office instances on the same engine and the same database, sharing socket.io rooms
 * through Redis (REDIS_URL) and one feed lease between them (the row in engine_feed_lease: one office
 * applies the engine's feed, the other stands by). A starts first and takes the lease; B joins.
 *   1. events cross instances: task.created applied by A (the lease holder) reaches a client on B;
 *      task.claimed raised by a claim on B reaches a client on A;
 *   2. throughput: the clerk load through A alone vs round-robin over A and B;
 *   3. the lease changes hands (--handover false skips it): round-robin load, kill -9 of the holder a
 *      third of the way through; the other office takes the feed over once the lease runs out
 *      (FEED_LEASE_SECONDS, 3 s in the drills), and the killed one is started again after that.
 * Verdict over all the cases: none lost, no task twice, our task table equal to the engine's open
 * tasks, the events crossed both ways, exactly one holder at a time.
 *
 *   node --import tsx bench/drills/two-offices.ts [--cases 100] [--concurrency 20] [--db mysql|sqlite] [--handover false]
 */
import type { Knex } from 'knex';
import { io, type Socket } from 'socket.io-client';
import { APPLICANT, call, ChildOffice, COUNTY, HAPPY_PATH, loginAll, sleep, WATER_ITEM, type LoadResult } from '../../test/support/drills.ts';
import { header, line, ms, withCleanup } from '../lib/common.ts';
import { clerkLoad, describeLoad, drillFlags, finish, stage } from '../lib/drill.ts';

const d = drillFlags({ cases: 100, db: 'mysql' });
const HANDOVER = d.f.handover !== 'false';
const REDIS = 'redis://127.0.0.1:6379';
header('drill: two back offices, one engine, one database, one feed lease, Redis between their sockets', { cases: d.cases, concurrency: d.concurrency, db: d.db, handover: String(HANDOVER) });

function listen(url: string, token: string) {
  const s: Socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
  const got: Array<{ type: string; caseId: string; at: number }> = [];
  for (const type of ['task.created', 'task.claimed', 'task.completed']) s.on(type, (e: { task: { caseId: string } }) => got.push({ type, caseId: e.task.caseId, at: performance.now() }));
  return { s, got };
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T | undefined> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const v = await probe();
    if (v) return v;
    await sleep(20);
  }
  return undefined;
}

const leaseHolder = async (db: Knex): Promise<string | null> => ((await db('engine_feed_lease').where({ name: 'feed' }).first<{ holder: string | null; until: number | string }>())?.holder ?? null) || null;

await withCleanup(async (defer) => {
  const s = await stage(defer, { enginePort: 18098, officePort: 18108, db: d.db, officeEnv: { REDIS_URL: REDIS } });
  const a = s.office;
  const holderA = await until(() => leaseHolder(s.db));
  line('feed lease', holderA ? `held by A (${holderA.slice(0, 8)}…)` : 'NOT TAKEN by A');
  const b = new ChildOffice({ port: 18109, env: { ...a.opts.env, REDIS_URL: REDIS } });
  defer(() => b.stop());
  line('second back office', `up in ${ms(await b.start())} (${b.url}); both read the feed by lease, A holds it`);
  const fails: string[] = [];
  if (!holderA) fails.push('A never took the feed lease');

  // ---- 1. events cross instances ----
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
  line('task.created applied by A (feed) → client on B', created ? `received ${ms(created.at - t0)} after the POST` : 'NOT RECEIVED');
  if (!created) fails.push('task.created did not cross from A to B');
  const q = await call<{ items: Array<{ userTaskKey: string }> }>(b.url, 'GET', `/api/tasks?caseId=${sub.body.id}`, { token });
  const key = q.body.items[0]?.userTaskKey;
  const t1 = performance.now();
  await call(b.url, 'POST', `/api/tasks/${key}/claim`, { token });
  const claimed = await until(() => onA.got.find((g) => g.type === 'task.claimed' && g.caseId === sub.body.id));
  line('task.claimed raised on B (claim) → client on A', claimed ? `received ${ms(claimed.at - t1)} after the POST` : 'NOT RECEIVED');
  if (!claimed) fails.push('task.claimed did not cross from B to A');
  // the check's case is walked on down the happy path, so the reconciliation counts it with the rest
  const clerks = await loginAll(b.url, HAPPY_PATH.map((st) => st.who));
  for (const [i, step] of HAPPY_PATH.entries()) {
    const who = clerks.get(step.who) as string;
    const open = i === 0 ? key : await until(async () => (await call<{ items: Array<{ userTaskKey: string }> }>(b.url, 'GET', `/api/tasks?caseId=${sub.body.id}&elementId=${step.element}&state=open`, { token: who })).body.items?.[0]?.userTaskKey);
    if (!open) break;
    if (i > 0) await call(b.url, 'POST', `/api/tasks/${open}/claim`, { token: who });
    await call(b.url, 'POST', `/api/tasks/${open}/complete`, { token: i === 0 ? token : who, body: { decision: step.decision, opinion: '同意' } });
  }

  // ---- 2. throughput, one vs two (both warmed up first) ----
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
  const sameHolder = await leaseHolder(s.db);
  if (sameHolder !== holderA) fails.push(`the lease moved without a reason (${holderA?.slice(0, 8)} → ${sameHolder?.slice(0, 8)})`);

  // ---- 3. the lease changes hands: kill -9 of the holder mid-load ----
  let three: LoadResult | null = null;
  if (HANDOVER) {
    console.log('\n  round-robin over A and B, kill -9 of A (the feed lease holder) a third of the way through');
    const total = d.cases * HAPPY_PATH.length;
    let restart: Promise<void> | null = null;
    three = await clerkLoad({
      urls: () => [a.url, b.url],
      cases: d.cases,
      concurrency: d.concurrency,
      onTaskDone: (n) => {
        if (n !== Math.floor(total / 3) || restart) return;
        restart = (async () => {
          const tk = performance.now();
          await a.kill9();
          line('kill -9', `A after ${n} of ${total} tasks`);
          const moved = await until(async () => {
            const h = await leaseHolder(s.db);
            return h && h !== holderA ? h : undefined;
          }, 30_000);
          line('feed lease', moved ? `taken over by B (${moved.slice(0, 8)}…) ${ms(performance.now() - tk)} after the kill` : 'NOT TAKEN OVER within 30 s');
          if (!moved) fails.push('B did not take the feed over from the killed A');
          await sleep(Math.max(0, 1000 - (performance.now() - tk)));
          const up = await a.start();
          line('A restarted', `down ${ms(performance.now() - tk)} (its start ${ms(up)})`);
        })();
      },
    });
    await restart;
    describeLoad(three, d.cases);
    const after = await leaseHolder(s.db);
    line('feed lease at the end', after === holderA ? 'back with the old A?' : `held by ${after?.slice(0, 8)}… (B, or the restarted A after B let it lapse)`);
  }

  const parts = [warm, one, two, ...(three ? [three] : [])];
  const all: LoadResult = { ...two, caseIds: [sub.body.id, ...parts.flatMap((p) => p.caseIds)], walked: parts.reduce((n, p) => n + p.walked, 0), stuck: parts.flatMap((p) => p.stuck), tally: two.tally };
  for (const p of parts) if (p !== two) for (const [k, v] of p.tally.counts) two.tally.counts.set(k, (two.tally.counts.get(k) ?? 0) + v);
  const expected = 20 + d.cases * (HANDOVER ? 3 : 2);
  await finish(s.db, all, expected + 1, {
    engineUrls: [s.engine.url],
    office: b,
    fail: [...fails, ...(all.tally.status(500) ? [`${all.tally.status(500)} answers 500`] : [])],
    note: `events crossed both ways: ${created && claimed ? 'yes' : 'NO'}; two/one throughput ${(r2 / r1).toFixed(2)}${HANDOVER ? '; feed lease handed over on kill -9' : ''}`,
  });
});
