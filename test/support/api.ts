/** A small HTTP client for black-box API tests, acting as one logged-in user. */
import { createHash } from 'node:crypto';
import { DEMO_PASSWORD } from '../../db/seeds/02-demo-org.ts';
import { codeAt, currentStep } from '../../backend/modules/identity/totp.ts';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function request<T>(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export function client(baseUrl: string, username: string, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  return {
    username,
    token,
    get: <T = Record<string, unknown>>(path: string) => request<T>(baseUrl, 'GET', path, undefined, auth),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, extra: Record<string, string> = {}) => request<T>(baseUrl, 'POST', path, body, { ...auth, ...extra }),
    put: <T = Record<string, unknown>>(path: string, body?: unknown) => request<T>(baseUrl, 'PUT', path, body, auth),
    patch: <T = Record<string, unknown>>(path: string, body?: unknown) => request<T>(baseUrl, 'PATCH', path, body, auth),
    del: <T = Record<string, unknown>>(path: string) => request<T>(baseUrl, 'DELETE', path, undefined, auth),
  };
}

export type Client = ReturnType<typeof client>;

/**
 * What the helper knows of an account on one office: the password it set at the forced change, the
 * TOTP secret it enrolled, the last time step it used (codes are accepted once).
 */
export interface Known {
  password: string;
  secret?: string;
  generation: number;
}
const known = new Map<string, Known>();
const lastSteps = new Map<string, number>();

/** The password the helper gives an account at its n-th forced change: passes the policy, derivable by any test. */
export const testPasswordFor = (username: string, generation = 1): string => `Tt#${createHash('sha256').update(`${username}/${generation}`).digest('hex').slice(0, 12)}Q9`;

/** What the helper knows of an account (the browser helper signs in with the same). */
export const credentialsOf = (baseUrl: string, username: string): Known => known.get(`${baseUrl}|${username}`) ?? { password: DEMO_PASSWORD, generation: 0 };
export const rememberCredentials = (baseUrl: string, username: string, k: Known): void => void known.set(`${baseUrl}|${username}`, k);

/** The TOTP secret the helper enrolled for this account on this office (after a `login`). */
export const totpSecretOf = (baseUrl: string, username: string): string | undefined => known.get(`${baseUrl}|${username}`)?.secret;

/** A code for a step newer than the last one used with this secret: waits (at most one period) when two were used in this one. */
export async function freshTotpCode(_baseUrl: string, username: string, secret: string): Promise<string> {
  const key = `${username}|${secret}`;
  const want = Math.max(currentStep(), (lastSteps.get(key) ?? -1) + 1);
  while (want > currentStep() + 1) await new Promise((r) => setTimeout(r, 200)); // the verifier accepts one step ahead
  lastSteps.set(key, want);
  return codeAt(secret, want);
}

/** Secrets enrolled for a username on any office: an office restarted on the same database (a new URL) still has them. */
const secretsSeen = new Map<string, string[]>();
export const rememberSecret = (username: string, secret: string): void => void sawSecret(username, secret);
const sawSecret = (username: string, secret: string) => secretsSeen.set(username, [secret, ...(secretsSeen.get(username) ?? []).filter((x) => x !== secret)]);

type LoginAnswer = { accessToken?: string; next?: 'change_password' | 'totp' | 'enrol_totp'; totp?: { secret: string } };

/**
 * Logs in as a real user would, completing each step the server asks for: the forced change of the
 * published demo password (to `testPasswordFor`), TOTP enrolment and codes (with the enrolled secret).
 */
export async function loginSession(baseUrl: string, username: string, password?: string, secret?: string): Promise<{ accessToken: string; refreshToken: string; password: string }> {
  // one login per account at a time: two forced changes racing would each set a password, and the
  // guesses that follow would spend the account's lock-out slots
  const before = inFlight.get(username) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(() => loginSteps(baseUrl, username, password, secret));
  inFlight.set(username, mine.catch(() => undefined));
  return mine;
}
const inFlight = new Map<string, Promise<unknown>>();

async function loginSteps(baseUrl: string, username: string, password?: string, secret?: string): Promise<{ accessToken: string; refreshToken: string; password: string }> {
  const key = `${baseUrl}|${username}`;
  let k = known.get(key);
  if (!k || password !== undefined) k = { password: password ?? DEMO_PASSWORD, generation: k?.generation ?? 0, ...(secret ? { secret } : {}) };
  known.set(key, k);
  // passwords to try on this office: the one known here, then those the helper may have set on an
  // office that ran before on the same database (a restart or a second instance: another URL)
  const candidates = password !== undefined ? [k.password] : [...new Set([k.password, DEMO_PASSWORD, testPasswordFor(username, 1), testPasswordFor(username, 2)])];
  let tried = 0;
  const body: Record<string, string> = { username, password: candidates[0] as string };
  let secrets = [...(k.secret ? [k.secret] : []), ...(secretsSeen.get(username) ?? [])];
  for (let round = 0; round < 12; round++) {
    const res = await request<LoginAnswer & { refreshToken: string }>(baseUrl, 'POST', '/api/auth/login', body);
    if (res.status === 200 && res.body.accessToken) {
      k.password = body.newPassword ?? body.password ?? k.password;
      if (body.totpCode && secrets[0]) k.secret = secrets[0];
      return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken, password: k.password };
    }
    if (res.status === 200 && res.body.next === 'change_password') {
      k.generation = Math.max(k.generation, candidates.indexOf(body.password as string) - 1) + 1;
      body.newPassword = testPasswordFor(username, k.generation);
      continue;
    }
    if (body.newPassword && res.status === 200) {
      // the change went through even if a later step is still missing
      k.password = body.newPassword;
      body.password = k.password;
      delete body.newPassword;
    }
    if (res.status === 200 && res.body.next === 'enrol_totp' && res.body.totp) {
      secrets = [res.body.totp.secret];
      sawSecret(username, res.body.totp.secret);
    }
    if (res.status === 200 && (res.body.next === 'totp' || res.body.next === 'enrol_totp') && secrets[0]) {
      k.password = body.password as string;
      body.totpCode = await freshTotpCode(baseUrl, username, secrets[0]);
      continue;
    }
    if (res.status === 401 && body.totpCode && secrets.length > 1) {
      // a secret from another database: try the next one seen for this name
      secrets = secrets.slice(1);
      body.totpCode = await freshTotpCode(baseUrl, username, secrets[0] as string);
      continue;
    }
    if (res.status === 401 && !body.totpCode && tried + 1 < candidates.length) {
      tried += 1;
      body.password = candidates[tried] as string;
      continue;
    }
    throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  throw new Error(`login ${username}: too many steps`);
}

export async function login(baseUrl: string, username: string, password?: string, secret?: string): Promise<Client> {
  return client(baseUrl, username, (await loginSession(baseUrl, username, password, secret)).accessToken);
}
