/**
 * Drill: restart the Zeebe broker while 1,000 cases are in flight (SIGKILL of the broker's process
 * group by default, `--graceful` for a snapshot + SIGTERM), start it again on the same data. While it
 * is away submissions are accepted (202) and started later, completions answer 503 and are retried.
 *
 *   node --import tsx bench/drills/broker-restart.ts [--cases 1000] [--concurrency 20] [--db mysql|sqlite] [--graceful] [--down 5]
 */
import { sleep } from '../../test/support/drills.ts';
import { header, line, ms, num, removeDir, withCleanup } from '../lib/common.ts';
import { describeLoad, drillFlags, finish, loadWithFault, stage } from '../lib/drill.ts';

const d = drillFlags({ cases: 1000 });
const GRACEFUL = Boolean(d.f.graceful);
const DOWN_S = num(d.f, 'down', 5);
header('drill: restart the broker mid-load', { cases: d.cases, concurrency: d.concurrency, db: d.db, how: GRACEFUL ? 'graceful' : 'kill -9', down: `${DOWN_S} s` });

await withCleanup(async (defer) => {
  const s = await stage(defer, { brokerBase: 27100, officePort: 3101, db: d.db });
  let broker = s.broker;
  defer(() => removeDir(s.broker.dataDir)); // the restarted broker keeps the first one's data directory
  defer(() => broker.stop());
  const load = await loadWithFault({
    url: s.office.url,
    cases: d.cases,
    concurrency: d.concurrency,
    fault: async (n, total) => {
      const t0 = performance.now();
      if (GRACEFUL) await broker.halt();
      else await broker.kill9();
      line(GRACEFUL ? 'broker stopped' : 'broker killed (-9)', `after ${n} of ${total} tasks`);
      await sleep(DOWN_S * 1000);
      broker = await broker.restart();
      line('broker back', `after ${ms(performance.now() - t0)} (start ${ms(broker.startedInMs)})`);
    },
  });
  describeLoad(load, d.cases);
  await finish(s.db, load, d.cases, { fail: load.tally.status(500) ? [`${load.tally.status(500)} answers 500`] : [], note: `broker ${GRACEFUL ? 'restarted' : 'killed and restarted'} once, ${load.tally.status(503)} answers 503 meanwhile` });
});
