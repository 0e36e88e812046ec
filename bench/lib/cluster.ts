/**
 * A 3-broker Zeebe cluster on this machine (replication factor 3), each broker with its own ports,
 * data directory and -Xmx512m, every one loading the licence-desk exporter. scripts/broker.mjs's
 * startBroker starts exactly one node and waits for a single-node topology, so the nodes are spawned
 * here with the same settings plus ZEEBE_BROKER_CLUSTER_*; the distribution and the exporter jar
 * still come from broker.mjs (ensureBrokerDist / buildExporter).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brokerPorts, prepareBroker, removeDir, type BrokerPorts } from './common.ts';

export interface ClusterNode {
  id: number;
  ports: BrokerPorts;
  dataDir: string;
  child: ChildProcess | null;
}

interface Topology {
  brokers?: Array<{ nodeId: number; partitions?: Array<{ partitionId: number; role: string; health: string }> }>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Cluster {
  readonly nodes: ClusterNode[];
  private readonly root: string;
  constructor(
    readonly o: { bases: number[]; partitions: number; exporterUrl: string; token: string },
    private dist: Awaited<ReturnType<typeof prepareBroker>> | null = null,
  ) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-cluster-'));
    this.nodes = o.bases.map((base, id) => ({ id, ports: brokerPorts(base), dataDir: path.join(this.root, `node-${id}`), child: null }));
  }

  get contactPoints(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.ports.internal}`).join(',');
  }

  async startNode(id: number): Promise<void> {
    this.dist ??= await prepareBroker();
    const n = this.nodes[id] as ClusterNode;
    fs.mkdirSync(n.dataDir, { recursive: true });
    const out = fs.openSync(path.join(this.root, `node-${id}.log`), 'a');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JAVA_HOME: this.dist.javaHome,
      JAVA_OPTS: '-Xms256m -Xmx512m -XX:+UseSerialGC',
      ZEEBE_CLOCK_CONTROLLED: 'false',
      ZEEBE_BROKER_DATA_DIRECTORY: path.join(n.dataDir, 'data'),
      ZEEBE_BROKER_DATA_DISK_FREESPACE_PROCESSING: '128MB',
      ZEEBE_BROKER_DATA_DISK_FREESPACE_REPLICATION: '64MB',
      ZEEBE_BROKER_DATA_SNAPSHOTPERIOD: '1m',
      ZEEBE_BROKER_GATEWAY_NETWORK_HOST: '127.0.0.1',
      ZEEBE_BROKER_GATEWAY_NETWORK_PORT: String(n.ports.grpc),
      ZEEBE_BROKER_NETWORK_HOST: '127.0.0.1',
      ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT: String(n.ports.command),
      ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT: String(n.ports.internal),
      SERVER_ADDRESS: '127.0.0.1',
      SERVER_PORT: String(n.ports.rest),
      MANAGEMENT_SERVER_ADDRESS: '127.0.0.1',
      MANAGEMENT_SERVER_PORT: String(n.ports.management),
      ZEEBE_BROKER_THREADS_CPUTHREADCOUNT: '1',
      ZEEBE_BROKER_THREADS_IOTHREADCOUNT: '1',
      ZEEBE_BROKER_CLUSTER_NODEID: String(id),
      ZEEBE_BROKER_CLUSTER_CLUSTERSIZE: String(this.nodes.length),
      ZEEBE_BROKER_CLUSTER_REPLICATIONFACTOR: String(this.nodes.length),
      ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT: String(this.o.partitions),
      ZEEBE_BROKER_CLUSTER_INITIALCONTACTPOINTS: this.contactPoints,
      ZEEBE_BROKER_CLUSTER_CLUSTERNAME: 'licence-desk-bench',
      ZEEBE_BROKER_EXPORTERS_LICENCEDESK_CLASSNAME: 'io.licencedesk.exporter.LicenceDeskExporter',
      ZEEBE_BROKER_EXPORTERS_LICENCEDESK_JARPATH: this.dist.jarPath,
      ZEEBE_BROKER_EXPORTERS_LICENCEDESK_ARGS_URL: this.o.exporterUrl,
      ZEEBE_BROKER_EXPORTERS_LICENCEDESK_ARGS_TOKEN: this.o.token,
      ZEEBE_BROKER_EXPORTERS_LICENCEDESK_ARGS_VARIABLENAMES: 'caseId',
    };
    n.child = spawn(path.join(this.dist.distDir, 'bin', 'broker'), [], { env, cwd: this.dist.distDir, detached: true, stdio: ['ignore', out, out] });
    fs.closeSync(out);
  }

  async topology(id = 0): Promise<Topology | null> {
    const n = this.nodes[id] as ClusterNode;
    try {
      const r = await fetch(`http://127.0.0.1:${n.ports.rest}/v2/topology`, { signal: AbortSignal.timeout(2000) });
      return r.ok ? ((await r.json()) as Topology) : null;
    } catch {
      return null;
    }
  }

  /** Waits until `brokers` nodes are in the topology and every partition has a healthy leader (not on `without`). */
  async waitHealthy(o: { brokers: number; via?: number; timeoutMs?: number; without?: number }): Promise<Topology> {
    const deadline = Date.now() + (o.timeoutMs ?? 180_000);
    while (Date.now() < deadline) {
      const t = await this.topology(o.via ?? 0);
      const leaders = new Set<number>();
      for (const b of t?.brokers ?? []) {
        if (b.nodeId === o.without) continue;
        for (const p of b.partitions ?? []) if (p.role === 'leader' && p.health === 'healthy') leaders.add(p.partitionId);
      }
      if (t && (t.brokers?.length ?? 0) >= o.brokers && leaders.size === this.o.partitions) return t;
      await sleep(500);
    }
    throw new Error(`the cluster did not become healthy within ${o.timeoutMs ?? 180_000} ms (see ${this.root}/node-*.log)`);
  }

  /** Which node leads which partition. */
  async leaders(via = 0): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const b of (await this.topology(via))?.brokers ?? []) for (const p of b.partitions ?? []) if (p.role === 'leader') out.set(p.partitionId, b.nodeId);
    return out;
  }

  kill9(id: number): void {
    const c = this.nodes[id]?.child;
    if (c?.pid) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }

  async stopAll(): Promise<void> {
    for (const n of this.nodes) {
      if (n.child?.pid && n.child.exitCode === null && n.child.signalCode === null) {
        const exited = new Promise((r) => n.child?.once('exit', r));
        try {
          process.kill(-n.child.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
        const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
        if (!done) this.kill9(n.id);
      }
    }
  }

  logs(): string {
    return this.root;
  }

  remove(): void {
    removeDir(this.root);
  }
}
