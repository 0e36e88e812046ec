/**
 * An Operaton cluster on this machine: N engine nodes (the same jar, each its own port, data
 * directory and -Xmx512m) on ONE MariaDB database. Operaton nodes share nothing but the database —
 * the job executor acquires jobs with row locks, optimistic locking settles concurrent commands —
 * and the licence-desk feed is a table in that database, so any node serves the feed. Node 0 starts
 * first (it creates the schema and LD_FEED), the others after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeDir, startBenchEngine, type BenchEngine, type EngineJdbc } from './common.ts';

export interface ClusterNode {
  id: number;
  port: number;
  dataDir: string;
  engine: BenchEngine | null;
}

export class EngineCluster {
  readonly nodes: ClusterNode[];
  readonly root: string;

  constructor(readonly o: { ports: number[]; jdbc: EngineJdbc }) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-desk-bench-cluster-'));
    this.nodes = o.ports.map((port, id) => ({ id, port, dataDir: path.join(this.root, `node-${id}`), engine: null }));
  }

  /** Every node's REST base, in node order: what OPERATON_URL lists. */
  get urls(): string[] {
    return this.nodes.map((n) => `http://127.0.0.1:${n.port}/engine-rest`);
  }

  /** The nodes still running. */
  get live(): ClusterNode[] {
    return this.nodes.filter((n) => n.engine?.running());
  }

  async startNode(id: number): Promise<BenchEngine> {
    const n = this.nodes[id] as ClusterNode;
    fs.mkdirSync(n.dataDir, { recursive: true });
    n.engine = await startBenchEngine({ port: n.port, jdbc: this.o.jdbc, dataDir: n.dataDir, name: `node-${id}`, quiet: true });
    return n.engine;
  }

  /** Node 0 first (schema), then the rest side by side. Resolves with each node's start time. */
  async start(): Promise<number[]> {
    const first = await this.startNode(0);
    const rest = await Promise.all(this.nodes.slice(1).map((n) => this.startNode(n.id)));
    return [first, ...rest].map((e) => e.startedInMs);
  }

  async kill9(id: number): Promise<void> {
    await this.nodes[id]?.engine?.kill9();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.engine?.halt()));
  }

  logs(): string {
    return this.root;
  }

  remove(): void {
    removeDir(this.root);
  }
}
