/**
 * 等保 2.0 level 3, the web side: security headers, the refresh cookie, no credential in a captured
 * log, logout ending the access token and the sockets, a socket dropped at its token's expiry, a
 * cross-department deploy refused, and a live item's change waiting for a second person.
 */
import { Writable } from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { repoRoot } from '../../config/index.ts';
import { createLogger } from '../../backend/log.ts';
import { login, loginSession, request } from '../support/api.ts';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';

describe('security: web', () => {
  let t: TestOffice;
  const lines: string[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    t = await startOffice({ env: { ACCESS_TOKEN_TTL_SECONDS: '6' }, log: createLogger('debug', sink) });
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('sends the security headers on every response', async () => {
    for (const p of ['/api/openapi.json', '/api/auth/me', '/health/live', '/api/no-such-route']) {
      const r = await request(t.url, 'GET', p);
      const csp = r.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, `${p}: scripts only from the app itself`);
      assert.match(csp, /frame-ancestors 'none'/, p);
      assert.strictEqual(r.headers.get('x-content-type-options'), 'nosniff', p);
      assert.strictEqual(r.headers.get('referrer-policy'), 'no-referrer', p);
      assert.strictEqual(r.headers.get('x-frame-options'), 'DENY', p);
      assert.strictEqual(r.headers.get('x-powered-by'), null, p);
    }
  });

  it('puts the web app’s refresh token in an HttpOnly SameSite=Strict cookie, never in the body', async () => {
    const s = await loginSession(t.url, 'jn-01-01.asc.window');
    const r = await request<{ accessToken?: string; refreshToken?: string }>(t.url, 'POST', '/api/auth/login', { username: 'jn-01-01.asc.window', password: s.password, refreshIn: 'cookie' });
    assert.strictEqual(r.status, 200);
    assert.ok(r.body.accessToken);
    assert.strictEqual(r.body.refreshToken, undefined, 'not readable by a script');
    const cookie = r.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^ld_refresh=[^;]+;/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    assert.match(cookie, /Path=\/api\/auth/);
    const value = /^ld_refresh=([^;]+)/.exec(cookie)?.[1] as string;
    const withoutHeader = await request(t.url, 'POST', '/api/auth/refresh', {}, { cookie: `ld_refresh=${value}` });
    assert.strictEqual(withoutHeader.status, 401, 'a cookie alone (what a forged form sends) refreshes nothing');
    const refreshed = await request<{ accessToken?: string; refreshToken?: string }>(t.url, 'POST', '/api/auth/refresh', {}, { cookie: `ld_refresh=${value}`, 'x-requested-with': 'licence-desk' });
    assert.strictEqual(refreshed.status, 200);
    assert.ok(refreshed.body.accessToken);
    assert.strictEqual(refreshed.body.refreshToken, undefined);
  });

  it('ends the access token and the sockets at logout', async () => {
    const s = await loginSession(t.url, 'jn-01-01.wr.reviewer');
    const socket: Socket = io(t.url, { auth: { token: s.accessToken }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const auth = { authorization: `Bearer ${s.accessToken}` };
    assert.strictEqual((await request(t.url, 'GET', '/api/auth/me', undefined, auth)).status, 200, 'positive control: the token works');
    assert.strictEqual((await request(t.url, 'POST', '/api/auth/logout', { refreshToken: s.refreshToken }, auth)).status, 204);
    assert.strictEqual(await dropped, 'io server disconnect');
    const after = await request<{ error: { message: string } }>(t.url, 'GET', '/api/auth/me', undefined, auth);
    assert.strictEqual(after.status, 401, 'the access token is on the deny-list until it expires');
    assert.match(after.body.error.message, /logout/);
    const again: Socket = io(t.url, { auth: { token: s.accessToken }, transports: ['websocket'], reconnection: false });
    const refused = await new Promise<string>((resolve) => {
      again.once('connect', () => resolve('connected'));
      again.once('connect_error', (e) => resolve(e.message));
    });
    again.close();
    assert.match(refused, /logout/);
    const actions = await t.office.ctx.db('audit_log').where({ subject_id: 'jn-01-01.wr.reviewer' }).pluck('action');
    assert.ok(actions.includes('logout'), 'the logout is audited');
  });

  it('drops a socket when its access token expires', async () => {
    const s = await loginSession(t.url, 'jn-01-01.wr.head');
    const socket: Socket = io(t.url, { auth: { token: s.accessToken }, transports: ['websocket'], reconnection: false });
    const expired = new Promise<unknown>((resolve) => socket.once('session.expired', resolve));
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    assert.ok(socket.connected, 'positive control: connected');
    assert.match(JSON.stringify(await expired), /expired/);
    assert.strictEqual(await dropped, 'io server disconnect');
  });

  it('writes no token, cookie or password into the request log', async () => {
    const s = await loginSession(t.url, 'jn-01.wr.reviewer');
    await request(t.url, 'GET', '/api/auth/me', undefined, { authorization: `Bearer ${s.accessToken}`, cookie: 'ld_refresh=secret-cookie-value' });
    await waitFor('the request lines', async () => lines.some((l) => l.includes('/api/auth/me')));
    const all = lines.join('\n');
    assert.ok(all.includes('[redacted]'), 'positive control: the headers were logged, redacted');
    assert.notInclude(all, s.accessToken);
    assert.notInclude(all, s.refreshToken);
    assert.notInclude(all, 'secret-cookie-value');
    assert.notInclude(all, s.password);
    assert.notMatch(all, /Bearer ey/);
  });

  it('refuses a WR process that routes tasks to another department’s groups, naming the task', async () => {
    const designer = await login(t.url, 'jn.wr.designer');
    const xml = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'timed-review.bpmn'), 'utf8').replace('${timeoutAfter}', 'PT1H');
    const foreign = xml.replace('${countyCode}.WR:reviewer', '${countyCode}.NR:reviewer');
    assert.notStrictEqual(foreign, xml);
    const r = await designer.post<{ error: { code: string; message: string; details: Array<{ path?: string; message: string }> } }>('/api/processes', { name: 'foreign.bpmn', xml: foreign });
    assert.strictEqual(r.status, 400, JSON.stringify(r.body));
    assert.strictEqual(r.body.error.code, 'INVALID_BPMN');
    assert.match(JSON.stringify(r.body.error.details), /NR:reviewer.*belongs to department NR/);
    const fixed = xml.replace('${countyCode}.WR:reviewer', 'JN-02.WR:reviewer');
    assert.strictEqual((await designer.post('/api/processes', { name: 'fixed-unit.bpmn', xml: fixed })).status, 400, 'a fixed unit code is refused too');
    assert.strictEqual((await designer.post('/api/processes', { name: 'own.bpmn', xml })).status, 201, 'positive control: its own groups deploy');
    const audit = await t.office.ctx.db('audit_log').where({ action: 'process.deployed', actor: 'jn.wr.designer' }).count({ n: '*' });
    assert.strictEqual(Number(audit[0]?.n), 1, 'the deploy is in the audit chain');
  });

  it('keeps a live item’s new process version waiting for a second person, who alone may approve it', async () => {
    const designer = await login(t.url, 'jn.wr.designer');
    const before = Number((await t.office.ctx.db('process_definitions').where({ bpmn_process_id: 'water_abstraction_permit' }).count({ n: '*' }))[0]?.n);
    const xml = fs.readFileSync(path.join(repoRoot, 'processes', 'water-abstraction-permit.bpmn'), 'utf8').replace('name="取水许可" isExecutable="true"', `name="取水许可（${Date.now()}）" isExecutable="true"`);
    const filed = await designer.post<{ changeRequest: { id: string; state: string } }>('/api/processes', { name: 'water-abstraction-permit.bpmn', xml });
    assert.strictEqual(filed.status, 202);
    assert.strictEqual(filed.body.changeRequest.state, 'pending');
    const count = async () => Number((await t.office.ctx.db('process_definitions').where({ bpmn_process_id: 'water_abstraction_permit' }).count({ n: '*' }))[0]?.n);
    assert.strictEqual(await count(), before, 'nothing deployed yet');
    const id = filed.body.changeRequest.id;
    assert.strictEqual((await designer.post(`/api/change-requests/${id}/approve`)).status, 403, 'not by the one who asked');
    const other = await login(t.url, 'jn.nr.leader');
    assert.strictEqual((await other.post(`/api/change-requests/${id}/approve`)).status, 403, 'not by another department');
    const leader = await login(t.url, 'jn.wr.leader');
    const ok = await leader.post(`/api/change-requests/${id}/approve`);
    assert.strictEqual(ok.status, 200, JSON.stringify(ok.body));
    assert.strictEqual(await count(), before + 1, 'deployed on approval');
    assert.strictEqual((await leader.post(`/api/change-requests/${id}/approve`)).status, 409, 'once');
    const actions = await t.office.ctx.db('audit_log').where({ subject: 'ChangeRequest', subject_id: id }).orderBy('id').pluck('action');
    assert.deepStrictEqual(actions, ['change.requested', 'change.approved']);
  });
});
