/**
 * What every domain operation receives explicitly: no module reaches for a global. Tests build one
 * against a real database and a real broker; issue 4 swaps `clock` for a controlled one.
 */
import type { Config } from '../config/index.ts';
import type { Db } from './db/knex.ts';
import type { EngineGateway } from './engine/gateway.ts';
import type { DomainEvents } from './events.ts';
import type { Logger } from './log.ts';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Ctx {
  config: Config;
  db: Db;
  engine: EngineGateway;
  events: DomainEvents;
  clock: Clock;
  log: Logger;
}

/** Who is acting. Minimal until the authorization issue replaces the seam in http/identity.ts. */
export interface Identity {
  userId: string;
  groups: string[];
}

export const json = {
  parse<T>(raw: string | null | undefined, fallback: T): T {
    if (raw === null || raw === undefined || raw === '') return fallback;
    return JSON.parse(raw) as T;
  },
  stringify: (v: unknown): string => JSON.stringify(v),
};
