/**
 * Drill: kill -9 the back office while 1,000 cases are in flight, start it again. Every case must
 * conclude; reconciliation of our tables finds no task lost, none recorded twice, none left open,
 * and our open tasks are the engine's. The killed office held the feed's lease: the restarted one
 * takes it over once it expires (FEED_LEASE_SECONDS, 3 s in the drills) and reads again what was
 * read but not acknowledged, skipping what it had applied.
 *
 *   node --import tsx bench/drills/kill9.ts [--cases 1000] [--concurrency 20] [--db mysql|sqlite] [--kills 1]
 */
import { sleep } from '../../test/support/drills.ts';
import { header, line, ms, num, withCleanup } from '../lib/common.ts';
import { clerkLoad, describeLoad, drillFlags, finish, stage } from '../lib/drill.ts';

const d = drillFlags({ cases: 1000 });
const KILLS = num(d.f, 'kills', 1);
header('drill: kill -9 the back office mid-load', { cases: d.cases, concurrency: d.concurrency, db: d.db, kills: KILLS });

await withCleanup(async (defer) => {
  const s = await stage(defer, { enginePort: 18092, officePort: 18102, db: d.db });
  const total = d.cases * 5;
  const killAt = new Set(Array.from({ length: KILLS }, (_, i) => Math.floor((total * (i + 1)) / (KILLS + 1))));
  const restarts: Array<Promise<void>> = [];
  let busy = false;
  const load = await clerkLoad({
    urls: () => [s.office.url],
    cases: d.cases,
    concurrency: d.concurrency,
    onTaskDone: (n) => {
      if (!killAt.has(n) || busy) return;
      busy = true;
      restarts.push(
        (async () => {
          const t0 = performance.now();
          await s.office.kill9();
          line('kill -9', `after ${n} of ${total} tasks; pid gone`);
          await sleep(1000);
          const up = await s.office.start();
          line('restarted', `down ${ms(performance.now() - t0)} (start ${ms(up)})`);
          busy = false;
        })(),
      );
    },
  });
  await Promise.all(restarts);
  describeLoad(load, d.cases);
  await finish(s.db, load, d.cases, { engineUrls: [s.engine.url], office: s.office, fail: load.tally.status(500) ? [`${load.tally.status(500)} answers 500`] : [], note: `${restarts.length} kill -9` });
});
