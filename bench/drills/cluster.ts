/**
 * Drill: a 3-broker Zeebe cluster on this machine (replication factor 3, 3 partitions by default),
 * kill -9 one broker mid-load — the leader of a partition, but not the node whose gateway the back
 * office talks to — and keep it down. Raft elects new leaders; the exporter resumes on them from the
 * last position it had acknowledged. Same verdict as the other drills.
 *
 *   node --import tsx bench/drills/cluster.ts [--cases 300] [--concurrency 10] [--partitions 3] [--db mysql|sqlite]
 */
import { ChildOffice, officeEnv } from '../../test/support/drills.ts';
import { benchDatabase, header, line, ms, num, withCleanup } from '../lib/common.ts';
import { Cluster } from '../lib/cluster.ts';
import { describeLoad, drillFlags, finish, INGEST_TOKEN, loadWithFault } from '../lib/drill.ts';

const d = drillFlags({ cases: 300, concurrency: 10 });
const PARTITIONS = num(d.f, 'partitions', 3);
const OFFICE_PORT = 3101;
header('drill: kill one broker of a 3-broker cluster mid-load', { cases: d.cases, concurrency: d.concurrency, partitions: PARTITIONS, db: d.db });

await withCleanup(async (defer) => {
  const cluster = new Cluster({ bases: [27200, 27300, 27400], partitions: PARTITIONS, exporterUrl: `http://127.0.0.1:${OFFICE_PORT}/internal/engine/records`, token: INGEST_TOKEN });
  defer(() => cluster.remove());
  defer(() => cluster.stopAll());
  const t0 = performance.now();
  for (const n of cluster.nodes) await cluster.startNode(n.id);
  await cluster.waitHealthy({ brokers: 3 });
  line('cluster', `3 brokers, ${PARTITIONS} partitions, RF 3 healthy in ${ms(performance.now() - t0)} (logs ${cluster.logs()})`);
  line('leaders', [...(await cluster.leaders()).entries()].map(([p, n]) => `p${p}→node ${n}`).join(' '));

  const gateway = cluster.nodes[0];
  if (!gateway) throw new Error('no node 0');
  const database = await benchDatabase(d.db);
  defer(() => database.drop());
  const office = new ChildOffice({ port: OFFICE_PORT, env: officeEnv({ ...database.env, ZEEBE_GRPC_ADDRESS: `127.0.0.1:${gateway.ports.grpc}`, ZEEBE_REST_ADDRESS: `http://127.0.0.1:${gateway.ports.rest}`, ENGINE_INGEST_TOKEN: INGEST_TOKEN }) });
  defer(() => office.stop());
  line('back office', `up in ${ms(await office.start())}`);
  const db = database.open();
  defer(() => db.destroy());

  let victim = -1;
  const load = await loadWithFault({
    url: office.url,
    cases: d.cases,
    concurrency: d.concurrency,
    fault: async (n, total) => {
      const leaders = await cluster.leaders();
      const leading = [...leaders.values()].filter((id) => id !== 0);
      victim = leading[0] ?? 1;
      cluster.kill9(victim);
      const tk = performance.now();
      line('killed (-9)', `node ${victim} after ${n} of ${total} tasks (it led ${[...leaders.entries()].filter(([, id]) => id === victim).map(([p]) => `p${p}`).join(', ') || 'nothing'})`);
      await cluster.waitHealthy({ brokers: 2, timeoutMs: 120_000, without: victim });
      line('failed over', `every partition has a healthy leader again after ${ms(performance.now() - tk)}: ${[...(await cluster.leaders()).entries()].map(([p, id]) => `p${p}→node ${id}`).join(' ')}`);
    },
  });
  describeLoad(load, d.cases);
  await finish(db, load, d.cases, { fail: load.tally.status(500) ? [`${load.tally.status(500)} answers 500`] : [], note: `node ${victim} killed and left down` });
});
