/**
 * What an operator scrapes at /metrics (Prometheus text format, prom-client). One registry per back
 * office, not prom-client's global one: tests run several offices in one process, and each must
 * report only its own traffic. Counts that live in the database (queue depths, clocks by level) are
 * read when scraped, so every instance on one database reports the same figures for them — sum the
 * request and call series across instances, take any one instance for the database gauges.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Knex } from 'knex';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Histogram({
    name: 'licence_desk_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly engineCalls = new Histogram({
    name: 'licence_desk_engine_call_duration_seconds',
    help: 'Calls to the process engine by port command and outcome (ok, or the engine failure kind)',
    labelNames: ['command', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly feedLag = new Histogram({
    name: 'licence_desk_feed_lag_seconds',
    help: 'Time from an engine event to its application in the back office',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly feedEvents = new Counter({
    name: 'licence_desk_feed_events_total',
    help: 'Engine events applied by this back office',
    registers: [this.registry],
  });

  readonly sweeps = new Histogram({
    name: 'licence_desk_scheduler_run_duration_seconds',
    help: 'Scheduler sweeps (deadline clocks, case starter) by loop and outcome',
    labelNames: ['loop', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  /** read at each scrape; socket.io sets it when it mounts */
  private socketCount: () => number = () => 0;

  constructor(db: Knex, opts: { processMetrics?: boolean } = {}) {
    // process metrics (CPU, memory, event-loop lag) describe the process, so only the real one reports them
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'licence_desk_' });
    const registry = this.registry;
    const sockets = () => this.socketCount();
    new Gauge({
      name: 'licence_desk_socket_connections',
      help: 'Live (socket.io) connections open on this back office',
      registers: [registry],
      collect() {
        this.set(sockets());
      },
    });
    new Gauge({
      name: 'licence_desk_queue_depth',
      help: 'Open tasks: waiting to be claimed (unassigned) or held by a person (assigned)',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const rows = await db('tasks').where('state', 'open').select(db.raw('case when assignee is null then ? else ? end as s', ['unassigned', 'assigned'])).count({ n: '*' }).groupBy('s');
        this.reset();
        for (const s of ['unassigned', 'assigned']) this.set({ state: s }, 0);
        for (const r of rows as Array<{ s: string; n: number | string }>) this.set({ state: r.s }, Number(r.n));
      },
    });
    new Gauge({
      name: 'licence_desk_clocks',
      help: 'Deadline clocks by state (running, paused, stopped) and warning level (none, warning, yellow, red)',
      labelNames: ['state', 'level'] as const,
      registers: [registry],
      async collect() {
        const rows = await db('clocks').whereIn('state', ['running', 'paused']).select('state', 'level').count({ n: '*' }).groupBy('state', 'level');
        this.reset();
        for (const state of ['running', 'paused']) for (const level of ['none', 'warning', 'yellow', 'red']) this.set({ state, level }, 0);
        for (const r of rows as Array<{ state: string; level: string; n: number | string }>) this.set({ state: r.state, level: r.level }, Number(r.n));
      },
    });
  }

  /** The live-connection count is read from socket.io at each scrape. */
  countSockets(count: () => number): void {
    this.socketCount = count;
  }

  /** Times `work` as one sweep of `loop`. */
  async timeSweep<T>(loop: string, work: () => Promise<T>): Promise<T> {
    const end = this.sweeps.startTimer({ loop });
    try {
      const out = await work();
      end({ outcome: 'ok' });
      return out;
    } catch (err) {
      end({ outcome: 'error' });
      throw err;
    }
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
