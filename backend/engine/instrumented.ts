/**
 * The engine port with every call timed: latency and outcome per port command, in the port's own
 * words (so the figures read the same whichever engine is behind it). The feed's long poll is left
 * out of the latency series — it waits on purpose; its lag is measured where events are applied.
 */
import type { Metrics } from '../metrics/index.ts';
import { EngineError, type EngineFeed, type EnginePort } from './port.ts';

const UNTIMED = new Set(['feed', 'dialect', 'describe', 'close']);

export function instrumented(port: EnginePort, metrics: Metrics): EnginePort {
  const time = <A extends unknown[], R>(command: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const end = metrics.engineCalls.startTimer({ command });
      try {
        const out = await fn(...args);
        end({ outcome: 'ok' });
        return out;
      } catch (err) {
        end({ outcome: err instanceof EngineError ? err.kind : 'error' });
        throw err;
      }
    };
  const feed: EngineFeed = { read: (opts) => port.feed.read(opts), ack: time('feed.ack', (cursor: string) => port.feed.ack(cursor)) };
  return new Proxy(port, {
    get(target, prop, receiver) {
      if (prop === 'feed') return feed;
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || UNTIMED.has(prop) || typeof value !== 'function') return value;
      return time(prop, (value as (...a: unknown[]) => Promise<unknown>).bind(target));
    },
  });
}
