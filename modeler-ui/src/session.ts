/**
 * Who is logged in, and what the server's CASL rules let them do. The rules arrive packed from
 * /api/auth/me — the same rules that guard the API — so the UI hides what the server would refuse
 * anyway; the server stays the authority.
 */
import { markRaw, reactive } from 'vue';
import { createMongoAbility, subject, type MongoAbility } from '@casl/ability';
import { unpackRules, type PackRule } from '@casl/ability/extra';
import { api, onSessionExpired, refreshTokenValue, setTokens } from './api.ts';

export interface User {
  userId: string;
  username: string;
  displayName: string;
  unitCode: string;
  regionCode: string;
  level: 'province' | 'city' | 'county';
  department: string | null;
  roles: string[];
  groups: string[];
}

type Ability = MongoAbility;
export const session = reactive<{ user: User | null; ability: Ability }>({ user: null, ability: markRaw(createMongoAbility([])) });

export function can(action: string, type: string, fields?: Record<string, unknown>): boolean {
  return fields ? session.ability.can(action, subject(type, { ...fields })) : session.ability.can(action, type);
}
export const hasRole = (...roles: string[]): boolean => roles.some((r) => session.user?.roles.includes(r));

export async function loadMe(): Promise<User | null> {
  try {
    const me = await api<{ user: User; rules: PackRule<never>[] }>('/auth/me');
    session.user = me.user;
    // CASL freezes its rule index; a Vue proxy around it breaks lookups, so it stays raw
    session.ability = markRaw(createMongoAbility(unpackRules(me.rules)));
    return me.user;
  } catch {
    session.user = null;
    return null;
  }
}

export async function login(username: string, password: string): Promise<User | null> {
  setTokens(await api('/auth/login', { method: 'POST', body: { username, password } }));
  return loadMe();
}

export async function logout(): Promise<void> {
  const rt = refreshTokenValue();
  if (rt) await api('/auth/logout', { method: 'POST', body: { refreshToken: rt } }).catch(() => undefined);
  setTokens(null);
  session.user = null;
  session.ability = markRaw(createMongoAbility([]));
}

onSessionExpired(() => {
  session.user = null;
});
