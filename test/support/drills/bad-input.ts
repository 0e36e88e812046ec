/** A generated bad-input run over the OpenAPI document, and the integrity of the tables before and after it. */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { SignJWT } from 'jose';
import { keyRing, open } from '../../../backend/modules/cases/personal-data.ts';
import { verifyChain } from '../../../backend/modules/audit/service.ts';
import { auditKeyRing } from '../../../backend/modules/audit/chain.ts';
import { APPLICANT, COUNTY, WATER_ITEM } from './common.ts';
import { Tally } from './http.ts';
import type { Verdict } from './reconcile.ts';

/** A small seeded PRNG so a failing run can be replayed with the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  hasBody: boolean;
}

export function operationsOf(doc: { paths?: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [p, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      const query = (op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name);
      ops.push({ method: method.toUpperCase(), path: p, params, query, hasBody: Boolean(op.requestBody) });
    }
  }
  return ops;
}

const HOSTILE = [
  "' OR '1'='1",
  "1; DROP TABLE cases; --",
  '" OR ""="',
  "') UNION SELECT password_hash FROM users --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '\u0000',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\uFEFF\u202E中文\uD83D\uDE00',
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  ' ',
  '',
  'A'.repeat(5000),
];

const VALID_BODIES: Record<string, () => unknown> = {
  'POST /api/cases': () => ({ itemCode: WATER_ITEM, regionCode: COUNTY, applicant: { ...APPLICANT }, materials: [{ name: '申请书' }] }),
  'POST /api/auth/login': () => ({ username: 'jn-02-01.nr.leader', password: 'wrong-password' }),
  'POST /api/auth/refresh': () => ({ refreshToken: 'x'.repeat(43) }),
  'POST /api/auth/logout': () => ({ refreshToken: 'x'.repeat(43) }),
  'POST /api/cases/{id}/supplements': () => ({ materials: [{ name: '补正材料' }] }),
  'POST /api/tasks/{key}/complete': () => ({ decision: 'approve', opinion: '同意' }),
  'POST /api/processes': () => ({ name: 'bad.bpmn', xml: '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>' }),
};

const BILLION_LAUGHS = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol4;</bpmn:definitions>';
const XXE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="&x;"/>';

export interface BadInputOptions {
  url: string;
  requests: number;
  seed?: number;
  concurrency?: number;
  /** valid tokens of several roles (window, reviewer, supervisor, designer, admin …) */
  tokens: string[];
  /** known ids to aim at (a real case id, a real task key) so requests reach deeper code */
  caseIds: string[];
  taskKeys: string[];
  authSecret: string;
}

export interface BadInputResult {
  sent: number;
  tally: Tally;
  byStatus: Map<number, number>;
  fiveXx: number;
  networkErrors: number;
  /** 2xx answers per route (some hostile-looking inputs are valid and do create rows) */
  created: { cases: number; processes: number };
  failures: string[];
  ms: number;
}

/**
 * Sends `requests` malformed or hostile requests across every operation of the OpenAPI document:
 * wrong types, missing and unknown fields, huge and malformed bodies, unknown and malformed ids,
 * injection strings, forged and expired tokens, wrong content types and methods.
 */
export async function badInputRun(o: BadInputOptions): Promise<BadInputResult> {
  const rnd = prng(o.seed ?? 20261122);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const doc = (await (await fetch(`${o.url}/api/openapi.json`)).json()) as Parameters<typeof operationsOf>[0];
  const ops = operationsOf(doc);
  if (ops.length === 0) throw new Error('the OpenAPI document lists no operations');
  const secret = new TextEncoder().encode(o.authSecret);
  const wrongSecret = new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret');
  const now = Math.floor(Date.now() / 1000);
  const forged = [
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiJqbi5hc2MuYWRtaW4ifQ.',
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('jn.asc.admin').setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(wrongSecret),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('jn.asc.admin').setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now - 7200).setExpirationTime(now - 3600).sign(secret),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject("' OR 1=1 --").setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(secret),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('no-such-user').setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(secret),
    await new SignJWT({ sub: 12345 } as unknown as Record<string, string>).setProtectedHeader({ alg: 'HS256' }).setIssuer('licence-desk').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(secret),
    await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('jn.asc.admin').setIssuer('evil').setAudience('licence-desk-api').setIssuedAt(now).setExpirationTime(now + 600).sign(secret),
    'not.a.jwt',
    'x'.repeat(4000),
    `${o.tokens[0] ?? ''}x`,
  ];
  const authHeader = (): Record<string, string> => {
    const r = rnd();
    if (r < 0.55) return { authorization: `Bearer ${pick(o.tokens)}` };
    if (r < 0.65) return {};
    if (r < 0.7) return { authorization: `Basic ${Buffer.from('jn.asc.admin:Demo@2026').toString('base64')}` };
    if (r < 0.73) return { authorization: 'Bearer' };
    if (r < 0.75) return { 'x-user-id': 'jn.asc.admin', 'x-user-groups': 'JN.ASC:window' };
    return { authorization: `Bearer ${pick(forged)}` };
  };
  const paramValue = (name: string): string => {
    const r = rnd();
    if (r < 0.25) return name === 'id' ? pick(o.caseIds.length ? o.caseIds : [randomUUID()]) : name === 'key' ? pick(o.taskKeys.length ? o.taskKeys : ['2251799813685249']) : pick(['000117002000', 'JN-01', 'JN', '2251799813685249']);
    if (r < 0.45) return name === 'id' ? randomUUID() : String(2251799813685249 + Math.floor(rnd() * 1e6));
    return encodeURIComponent(pick(HOSTILE));
  };
  const mutate = (body: unknown, depth = 0): unknown => {
    if (body === null || typeof body !== 'object' || depth > 3) return pick([42, -1, 1.5, true, null, [], {}, pick(HOSTILE), 'x'.repeat(100_000)]);
    const obj: Record<string, unknown> = Array.isArray(body) ? { ...body } : { ...(body as Record<string, unknown>) };
    const keys = Object.keys(obj);
    const r = rnd();
    if (r < 0.2 && keys.length) delete obj[pick(keys)];
    else if (r < 0.55 && keys.length) {
      const k = pick(keys);
      obj[k] = rnd() < 0.4 ? mutate(obj[k], depth + 1) : pick([42, -1, true, null, [], {}, pick(HOSTILE), ['a', 1], { $gt: '' }, 'x'.repeat(100_000)]);
    } else if (r < 0.65) obj[pick(['isAdmin', 'status', 'submittedBy', 'approveAll', 'role', 'constructor'])] = pick([true, 'concluded', 'jn.asc.admin']);
    else if (r < 0.75) return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown;
    else if (keys.length) {
      // a valid-looking body with hostile strings in every string field
      for (const k of keys) if (typeof obj[k] === 'string') obj[k] = pick(HOSTILE);
    }
    return Array.isArray(body) ? Object.values(obj) : obj;
  };
  const rawBody = (op: Operation): { text: string; type: string; encoding?: string } | null => {
    const tpl = VALID_BODIES[`${op.method} ${op.path}`];
    const r = rnd();
    if (r < 0.5) return { text: JSON.stringify(mutate(tpl ? tpl() : { a: 1 })), type: 'application/json' };
    if (r < 0.58) return { text: pick(['{"itemCode": "000117002000",', '{', 'nul', '[1,2', '{"a":}', "{'a':1}", '\u0000\u0001', '{"a":1}{"b":2}']), type: 'application/json' };
    if (r < 0.63) return { text: pick(['null', '[]', '"str"', '0', 'true', '{}', '[{}]']), type: 'application/json' };
    if (r < 0.66) return { text: `${'['.repeat(3000)}${']'.repeat(3000)}`, type: 'application/json' };
    if (r < 0.69) return { text: JSON.stringify({ a: 'x'.repeat(3 * 1024 * 1024) }), type: 'application/json' };
    if (r < 0.73) return { text: JSON.stringify(tpl ? tpl() : {}), type: pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-7', '']) };
    if (r < 0.75) return { text: 'garbage-not-gzip', type: 'application/json', encoding: pick(['gzip', 'deflate', 'br', 'x-unknown']) };
    if (r < 0.8 && op.path === '/api/processes') return { text: JSON.stringify({ name: 'evil.bpmn', xml: pick([BILLION_LAUGHS, XXE, '<'.repeat(100_000), `<a>${'<b>'.repeat(20_000)}`]) }), type: 'application/json' };
    return tpl ? { text: JSON.stringify(tpl()), type: 'application/json' } : null;
  };
  const queryString = (op: Operation): string => {
    const parts: string[] = [];
    for (const q of op.query) {
      if (rnd() < 0.5) continue;
      const v = rnd() < 0.5 ? pick(HOSTILE) : pick(['abc', '-5', '0', '101', '1e3', '99999999999999999999', '[]', '{"$gt":""}', 'true']);
      parts.push(`${encodeURIComponent(q)}=${encodeURIComponent(v)}`);
      if (rnd() < 0.1) parts.push(`${encodeURIComponent(q)}=${encodeURIComponent(v)}`); // repeated key → array
    }
    if (rnd() < 0.2) parts.push(`${encodeURIComponent(pick(HOSTILE))}=${encodeURIComponent(pick(HOSTILE))}`);
    if (rnd() < 0.03) parts.push(`x=${'y'.repeat(12_000)}`);
    return parts.length ? `?${parts.join('&')}` : '';
  };

  const tally = new Tally();
  const byStatus = new Map<number, number>();
  const failures: string[] = [];
  const created = { cases: 0, processes: 0 };
  let sent = 0;
  const t0 = performance.now();
  async function one(): Promise<void> {
    const op = pick(ops);
    let method = op.method;
    if (rnd() < 0.04) method = pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
    let p = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(name));
    if (rnd() < 0.03) p = `${p}/${pick(['..', '%2e%2e', 'x', '%ff', '%'])}`;
    p += queryString(op);
    const headers: Record<string, string> = { ...authHeader() };
    let body: string | undefined;
    if (op.hasBody || rnd() < 0.1) {
      const b = rawBody(op);
      if (b) {
        body = b.text;
        if (b.type) headers['content-type'] = b.type;
        if (b.encoding) headers['content-encoding'] = b.encoding;
      }
    }
    if (method === 'GET' || method === 'HEAD') body = undefined;
    const route = `${method} ${op.path}`;
    try {
      const res = await fetch(`${o.url}${p}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
      const text = method === 'HEAD' ? '' : await res.text();
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      tally.add(route, String(res.status));
      if (res.status >= 500 && failures.length < 30) failures.push(`${res.status} ${method} ${p.slice(0, 200)} body=${(body ?? '').slice(0, 200)} → ${text.slice(0, 300)}`);
      if (res.status >= 200 && res.status < 300 && method === 'POST' && op.path === '/api/cases') created.cases++;
      if (res.status === 201 && method === 'POST' && op.path === '/api/processes') created.processes++;
    } catch (err) {
      const e = err as { cause?: { code?: string }; name?: string; message?: string };
      const code = e.cause?.code ?? e.name ?? 'ERROR';
      // Node answers a request line + headers over 16 KiB with 431 and closes the socket at once; a
      // client still sending its body then sees a reset instead of the 431. That is the HTTP server's
      // documented limit, not a dropped connection.
      const headBytes = p.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
      if (headBytes > 16_000) {
        byStatus.set(431, (byStatus.get(431) ?? 0) + 1);
        tally.add(route, '431');
        return;
      }
      tally.add(route, code);
      if (failures.length < 30) failures.push(`${code} ${method} ${p.slice(0, 200)}: ${e.message ?? ''}`);
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: o.concurrency ?? 8 }, async () => {
      while (next < o.requests) {
        next++;
        sent++;
        await one();
      }
    }),
  );
  const fiveXx = [...byStatus.entries()].filter(([s]) => s >= 500).reduce((n, [, v]) => n + v, 0);
  return { sent, tally, byStatus, fiveXx, networkErrors: tally.networkErrors(), created, failures, ms: performance.now() - t0 };
}

export interface Integrity {
  counts: Record<string, number>;
  unreadableApplicants: number;
  brokenAuditRow: number | null;
  orphanTasks: number;
  badStatus: number;
}

const TABLES = ['cases', 'tasks', 'task_candidates', 'case_events', 'users', 'user_roles', 'org_units', 'service_items', 'process_definitions', 'refresh_tokens', 'audit_log', 'counters'];

/** Row counts, and that what is there still makes sense: applicants open, the audit chain holds. */
export async function integrity(db: Knex, applicantKeys: string, auditKeys: string): Promise<Integrity> {
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = Number((await db(t).count({ n: '*' }))[0]?.n ?? 0);
  const ring = keyRing(applicantKeys);
  let unreadable = 0;
  for (const r of await db('cases').select('applicant')) {
    try {
      open(ring, String(r.applicant));
    } catch {
      unreadable++;
    }
  }
  const orphanTasks = Number((await db('tasks').leftJoin('cases', 'cases.id', 'tasks.case_id').whereNull('cases.id').count({ n: '*' }))[0]?.n ?? 0);
  const badStatus = Number((await db('cases').whereNotIn('status', ['submitted', 'in_progress', 'concluded']).count({ n: '*' }))[0]?.n ?? 0);
  return { counts, unreadableApplicants: unreadable, brokenAuditRow: await verifyChain(db, auditKeyRing(auditKeys)), orphanTasks, badStatus };
}

/** The bad-input verdict: no 5xx, no dropped connection, rows changed only as the 2xx answers say, the audit chain intact. */
export function badInputVerdict(r: BadInputResult, before: Integrity, after: Integrity): Verdict {
  const problems: string[] = [];
  if (r.fiveXx) problems.push(`${r.fiveXx} answers 5xx`);
  if (r.networkErrors) problems.push(`${r.networkErrors} connections dropped`);
  if (after.unreadableApplicants) problems.push(`${after.unreadableApplicants} applicants no longer open`);
  if (after.orphanTasks) problems.push(`${after.orphanTasks} orphan tasks`);
  if (after.badStatus) problems.push(`${after.badStatus} cases with an unknown status`);
  const d = (t: string) => (after.counts[t] ?? 0) - (before.counts[t] ?? 0);
  let corrupted = after.unreadableApplicants + after.orphanTasks + after.badStatus;
  if (d('cases') !== r.created.cases) {
    problems.push(`cases changed by ${d('cases')} but ${r.created.cases} submissions were accepted`);
    corrupted += Math.abs(d('cases') - r.created.cases);
  }
  for (const t of ['users', 'user_roles', 'org_units', 'service_items']) {
    if (d(t) !== 0) {
      problems.push(`${t} changed by ${d(t)}`);
      corrupted += Math.abs(d(t));
    }
  }
  if (after.brokenAuditRow !== null) problems.push(`audit hash chain broken at row ${after.brokenAuditRow}`);
  const pass = problems.length === 0;
  return { pass, line: `VERDICT: ${pass ? 'PASS' : 'FAIL'} — ${r.sent} hostile requests, ${r.fiveXx} answered 5xx, ${corrupted} corrupted rows${problems.length ? ` (${problems.join('; ')})` : ''}` };
}
