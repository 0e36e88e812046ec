/**
 * Carries the engine's feed into the back office: read a batch, apply it (one transaction, each
 * event once), acknowledge it. Several back offices may run; one at a time holds the feed's lease
 * (a conditional UPDATE of `engine_feed_lease`, renewed with every batch), so batches are applied in
 * the order the engine wrote them. A holder that dies stops renewing, and another takes over after
 * FEED_LEASE_SECONDS; what it had read but not acknowledged is read again and skipped as seen.
 *
 * Leases run on wall-clock time, not the back office's (controllable) clock: they are about
 * processes being alive, not about legal time.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import type { EngineEvent } from './port.ts';

export interface FeedSink {
  apply(events: EngineEvent[]): Promise<unknown>;
}

const PRUNE_EVERY_MS = 10 * 60_000;
const SEEN_KEPT_MS = 24 * 3600_000;

export class FeedRelay {
  readonly holder = randomUUID();
  private running = false;
  private loop: Promise<void> | null = null;
  private lastPrune = 0;
  /** events applied by this instance, for metrics and tests */
  applied = 0;
  /** the engine time of the last event applied vs when it was applied: the feed's lag */
  readonly lag: number[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly sink: FeedSink,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
    // hand the feed over at once instead of making the next holder wait out the lease
    await this.ctx.db('engine_feed_lease').where({ name: 'feed', holder: this.holder }).update({ holder: null, until: 0 }).catch(() => undefined);
  }

  private async lease(): Promise<boolean> {
    const now = Date.now();
    const until = now + this.ctx.config.FEED_LEASE_SECONDS * 1000;
    const won = await this.ctx.db('engine_feed_lease')
      .where({ name: 'feed' })
      .andWhere((q) => q.where({ holder: this.holder }).orWhereNull('holder').orWhere('until', '<', now))
      .update({ holder: this.holder, until });
    return won === 1;
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        if (!(await this.lease())) {
          await this.pause(Math.min(1000, this.ctx.config.FEED_LEASE_SECONDS * 250));
          continue;
        }
        const batch = await this.ctx.engine.feed.read({ max: this.ctx.config.FEED_BATCH_MAX, waitMs: this.running ? this.ctx.config.FEED_WAIT_MS : 0 });
        if (batch.events.length > 0) {
          await this.sink.apply(batch.events);
          const appliedAt = Date.now();
          this.applied += batch.events.length;
          for (const e of batch.events) {
            this.lag.push(appliedAt - e.at);
            this.ctx.metrics.feedLag.observe(Math.max(0, appliedAt - e.at) / 1000);
          }
          this.ctx.metrics.feedEvents.inc(batch.events.length);
          if (this.lag.length > 100_000) this.lag.splice(0, this.lag.length - 100_000);
        }
        if (batch.cursor) await this.ctx.engine.feed.ack(batch.cursor);
        await this.prune();
        backoff = 0;
      } catch (err) {
        backoff = Math.min(5000, backoff ? backoff * 2 : 200);
        this.ctx.log.warn({ err, retryInMs: backoff }, 'engine feed: batch not applied; reading it again shortly');
        await this.pause(backoff);
      }
    }
  }

  /** Applied event ids are only needed while a redelivery is possible: a day is plenty. */
  private async prune(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.ctx.db('engine_events_seen').where('seen_at', '<', now - SEEN_KEPT_MS).delete();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }
}
