/**
 * The Operaton implementation of the engine port.
 */
import type { EnginePort } from '../port.ts';
import { OperatonClient } from './client.ts';
import { operatonCommands } from './commands.ts';
import { operatonDialect } from './dialect.ts';
import { operatonFeed } from './feed.ts';

export interface OperatonSettings {
  /** REST base, e.g. http://127.0.0.1:8090/engine-rest; several nodes comma-separated */
  url: string;
  token: string;
  timeoutMs: number;
}

export function createOperatonEngine(s: OperatonSettings): EnginePort {
  const http = new OperatonClient({ baseUrls: s.url.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean), token: s.token, timeoutMs: s.timeoutMs });
  return {
    ...operatonCommands(http),
    feed: operatonFeed(http, s.timeoutMs),
    dialect: operatonDialect,
    describe: async () => `Operaton ${(await http.call<{ version: string }>('GET', '/version')).version}`,
    close: async () => undefined,
  };
}
