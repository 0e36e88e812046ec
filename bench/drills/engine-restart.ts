/**
 * Drill: restart the only Operaton engine while 1,000 cases are in flight — a graceful stop (Spring
 * shutdown: SIGTERM, the job executor finishes its jobs) by default, `--kill9` for SIGKILL — and start
 * it again on the same data (its MariaDB database, or its H2 file with --db sqlite) after --down
 * seconds. While it is away submissions are accepted (202) and started later by the case starter,
 * claims and completions answer 503 and are retried by the clerks, and the feed relay backs off and
 * reads on where it was acknowledged.
 *
 *   node --import tsx bench/drills/engine-restart.ts [--cases 1000] [--concurrency 20] [--db mysql|sqlite] [--kill9] [--down 5]
 */
import { sleep } from '../../test/support/drills.ts';
import { header, line, ms, num, removeDir, withCleanup } from '../lib/common.ts';
import { describeLoad, drillFlags, finish, loadWithFault, stage } from '../lib/drill.ts';

const d = drillFlags({ cases: 1000 });
const KILL9 = Boolean(d.f.kill9);
const DOWN_S = num(d.f, 'down', 5);
header('drill: restart the engine mid-load', { cases: d.cases, concurrency: d.concurrency, db: d.db, how: KILL9 ? 'kill -9' : 'graceful stop', down: `${DOWN_S} s` });

await withCleanup(async (defer) => {
  const s = await stage(defer, { enginePort: 18093, officePort: 18103, db: d.db });
  let engine = s.engine;
  defer(() => removeDir(s.engine.dataDir)); // the restarted engine keeps the first one's data directory
  defer(() => engine.stop());
  let downMs = 0;
  const load = await loadWithFault({
    url: s.office.url,
    cases: d.cases,
    concurrency: d.concurrency,
    fault: async (n, total) => {
      const t0 = performance.now();
      if (KILL9) await engine.kill9();
      else await engine.halt();
      line(KILL9 ? 'engine killed (-9)' : 'engine stopped', `after ${n} of ${total} tasks, in ${ms(performance.now() - t0)}`);
      await sleep(DOWN_S * 1000);
      engine = await engine.restart();
      downMs = performance.now() - t0;
      line('engine back', `after ${ms(downMs)} (its start ${ms(engine.startedInMs)})`);
    },
  });
  describeLoad(load, d.cases);
  await finish(s.db, load, d.cases, {
    engineUrls: [engine.url],
    office: s.office,
    fail: load.tally.status(500) ? [`${load.tally.status(500)} answers 500`] : [],
    note: `engine ${KILL9 ? 'killed' : 'stopped'} and restarted once (down ${(downMs / 1000).toFixed(1)} s), ${load.tally.status(503)} answers 503 meanwhile`,
  });
});
