/**
 * Who is logged in, and what the server's CASL rules let them do. The rules arrive packed from
 * /api/auth/me — the same rules that guard the API — so the UI hides what the server would refuse
 * anyway; the server stays the authority.
 */
import { markRaw, reactive } from 'vue';
import { createMongoAbility, subject, type MongoAbility } from '@casl/ability';
import { unpackRules, type PackRule } from '@casl/ability/extra';
import { api, accessToken, onSessionExpired, setTokens } from './api.ts';

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

/** What the server still needs before it hands out a session (forced password change, second factor). */
export interface LoginStep {
  next: 'change_password' | 'totp' | 'enrol_totp';
  reason?: 'initial' | 'expired';
  totp?: { secret: string; otpauthUri: string };
}

export async function login(input: { username: string; password: string; newPassword?: string; totpCode?: string }): Promise<User | LoginStep | null> {
  const answer = await api<{ accessToken?: string } & Partial<LoginStep>>('/auth/login', { method: 'POST', body: { ...input, refreshIn: 'cookie' } });
  if (!answer.accessToken) return answer as LoginStep;
  setTokens({ accessToken: answer.accessToken });
  return loadMe();
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api('/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
}

export async function logout(): Promise<void> {
  if (accessToken()) await api('/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
  setTokens(null);
  session.user = null;
  session.ability = markRaw(createMongoAbility([]));
}

onSessionExpired(() => {
  session.user = null;
});
