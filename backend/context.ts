/**
 * What every domain operation receives explicitly: no module reaches for a global. Tests build one
 * against a real database and a real engine; issue 4 swaps `clock` for a controlled one.
 */
import type { Config } from '../config/index.ts';
import type { Db } from './db/knex.ts';
import type { EnginePort } from './engine/port.ts';
import type { DomainEvents } from './events.ts';
import type { Logger } from './log.ts';
import type { KeyRing } from './modules/cases/personal-data.ts';
import type { Metrics } from './metrics/index.ts';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Ctx {
  config: Config;
  db: Db;
  engine: EnginePort;
  events: DomainEvents;
  clock: Clock;
  log: Logger;
  /** keys for applicant personal data at rest */
  applicantKeys: KeyRing;
  /** what /metrics reports for this office */
  metrics: Metrics;
}

export type Role = 'window_clerk' | 'reviewer' | 'section_head' | 'leader' | 'supervisor' | 'designer' | 'admin' | 'audit_admin';
export type Level = 'province' | 'city' | 'county';

/** Who is acting: a user, where they sit in the organisation, what they may act as. */
export interface Identity {
  userId: string;
  username: string;
  displayName: string;
  /** the user's unit, e.g. "JN-01-01.WR" */
  unitCode: string;
  /** the region that unit belongs to ("JN-01-01") and its level */
  regionCode: string;
  level: Level;
  department: string | null;
  roles: Role[];
  /** BPMN candidate groups this user acts for: "<unitCode>:<window|reviewer|head|leader>" */
  groups: string[];
}

export const json = {
  parse<T>(raw: string | null | undefined, fallback: T): T {
    if (raw === null || raw === undefined || raw === '') return fallback;
    return JSON.parse(raw) as T;
  },
  stringify: (v: unknown): string => JSON.stringify(v),
};
