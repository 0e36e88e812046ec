/**
 * Drill: a 3-node Operaton cluster on one MariaDB database, the back office configured with all
 * three nodes (OPERATON_URL=node0,node1,node2: its client uses one node and moves on to the next when
 * that one cannot be reached). Mid-load, kill -9 one node — by default node 0, the one the office is
 * talking to (--victim 1 or 2 kills one it is not using) — and leave it down. The office must fail
 * over for its commands and its feed reads; what the killed node had committed is in the shared
 * database, what it had not is rolled back and retried. Same verdict as the other drills, plus our
 * open tasks against the engine's (asked of a surviving node).
 *
 *   node --import tsx bench/drills/cluster.ts [--cases 300] [--concurrency 10] [--victim 0] [--db mysql|sqlite]
 *
 * The engine nodes are always on MariaDB (an H2 file cannot be shared); --db is the office's database.
 */
import { ChildOffice, officeEnv } from '../../test/support/drills.ts';
import { benchDatabase, engineDatabase, header, line, ms, num, withCleanup } from '../lib/common.ts';
import { EngineCluster } from '../lib/cluster.ts';
import { describeLoad, drillFlags, engineEnv, finish, loadWithFault } from '../lib/drill.ts';

const d = drillFlags({ cases: 300, concurrency: 10 });
const VICTIM = num(d.f, 'victim', 0);
const PORTS = [18095, 18096, 18097];
const OFFICE_PORT = 18105;
header('drill: kill -9 one node of a 3-node engine cluster mid-load', { cases: d.cases, concurrency: d.concurrency, victim: `node ${VICTIM}`, db: d.db });

await withCleanup(async (defer) => {
  const database = await benchDatabase(d.db);
  defer(() => database.drop());
  // on mysql the engine database beside the office's; on sqlite one of its own
  const engineDb = database.engineJdbc ? { jdbc: database.engineJdbc, drop: async () => undefined } : await engineDatabase();
  defer(() => engineDb.drop());
  const cluster = new EngineCluster({ ports: PORTS, jdbc: engineDb.jdbc });
  defer(() => cluster.remove());
  defer(() => cluster.stopAll());
  const t0 = performance.now();
  const starts = await cluster.start();
  line('cluster', `3 nodes on MariaDB ${engineDb.jdbc.database} up in ${ms(performance.now() - t0)} (each ${starts.map((x) => ms(x)).join(', ')}; logs ${cluster.logs()})`);

  const office = new ChildOffice({ port: OFFICE_PORT, env: officeEnv({ ...database.env, ...engineEnv(cluster.urls) }) });
  defer(() => office.stop());
  line('back office', `up in ${ms(await office.start())} (OPERATON_URL ${cluster.urls.join(',')})`);
  const db = database.open();
  defer(() => db.destroy());

  let failover = '';
  let done = 0;
  const load = await loadWithFault({
    url: office.url,
    cases: d.cases,
    concurrency: d.concurrency,
    onTaskDone: (n) => (done = n),
    fault: async (n, total) => {
      const tk = performance.now();
      await cluster.kill9(VICTIM);
      line('killed (-9)', `node ${VICTIM} (port ${PORTS[VICTIM]}) after ${n} of ${total} tasks, gone in ${ms(performance.now() - tk)}; left down`);
      // the first task completed after the kill: the office is working on another node
      const before = done;
      const tf = performance.now();
      while (done === before && performance.now() - tf < 120_000) await new Promise((r) => setTimeout(r, 20));
      failover = `next task completed ${ms(performance.now() - tf)} after the kill`;
      line(VICTIM === 0 ? 'failed over' : 'load went on', failover);
    },
  });
  describeLoad(load, d.cases);
  const survivors = cluster.live.map((n) => `http://127.0.0.1:${n.port}/engine-rest`);
  line('nodes still up', cluster.live.map((n) => `node ${n.id}`).join(', '));
  await finish(db, load, d.cases, { engineUrls: survivors, office, fail: load.tally.status(500) ? [`${load.tally.status(500)} answers 500`] : [], note: `node ${VICTIM} killed and left down, ${load.tally.status(503)} answers 503, ${failover}` });
});
