/**
 * Administration of units, users and roles: each capability allowed in one's region, forbidden
 * outside it (a city administrator cannot touch the province or another city), and audited. Disabling
 * and role changes take effect at once, on HTTP and on the account's open sockets.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { login, loginSession, request, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { drained } from '../support/sockets.ts';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';

type Problem = { error?: { code: string; message: string; details?: Array<{ path: string }> } };

function openSocket(url: string, token: string) {
  const socket: Socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  const heard: string[] = [];
  socket.on('deadline.level', (e: { caseNo: string }) => heard.push(e.caseNo));
  const state = { disconnected: false };
  socket.on('disconnect', () => (state.disconnected = true));
  return { socket, heard, state, ready: new Promise<void>((resolve, reject) => (socket.on('connect', () => resolve()), socket.on('connect_error', reject))) };
}

describe('administration: units, users, roles', () => {
  let t: TestOffice;
  let province: Client;
  let city: Client;
  const audited = async (action: string, subjectId: string) => (await t.office.ctx.db('audit_log').where({ action, subject_id: subjectId })).map((r) => ({ actor: r.actor, reason: r.reason }));
  /** a deadline.level event to one candidate group, as a probe of which group rooms a socket sits in */
  const toGroup = (group: string, caseNo: string) =>
    t.office.ctx.events.publish({ type: 'deadline.level', caseId: '00000000-0000-0000-0000-000000000000', caseNo, clockId: 'probe', kind: 'step', level: 'warning', dueOn: '2026-12-31', userTaskKey: null, candidateGroups: [group], assignee: null, regions: [] });

  before(async () => {
    t = await startOffice({ feed: 'off' });
    await addUser(t.office.ctx.db, 'jn-01.asc.admin', 'JN-01.ASC', ['admin']);
    province = await login(t.url, 'jn.asc.admin');
    city = await login(t.url, 'jn-01.asc.admin');
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('adds and renames units in the own region only, audited', async () => {
    const county = await city.post<{ code: string; level: string; path: string }>('/api/org/units', { parentCode: 'JN-01', kind: 'region', key: '03', name: '示范市三县' });
    assert.strictEqual(county.status, 201, JSON.stringify(county.body));
    assert.deepInclude(county.body, { code: 'JN-01-03', level: 'county', path: '/JN/JN-01/JN-01-03/' });
    const dept = await city.post<{ code: string; department: string }>('/api/org/units', { parentCode: 'JN-01-03', kind: 'department', key: 'WR', name: '示范市三县水利局' });
    assert.strictEqual(dept.status, 201);
    assert.deepInclude(dept.body, { code: 'JN-01-03.WR', department: 'WR' });
    const subtree = await city.get<{ items: Array<{ code: string }> }>('/api/org/units/JN-01-03/subtree');
    assert.deepStrictEqual(subtree.body.items.map((u) => u.code), ['JN-01-03', 'JN-01-03.WR']);
    assert.deepStrictEqual(await audited('unit.created', 'JN-01-03'), [{ actor: 'jn-01.asc.admin', reason: 'region 示范市三县 under JN-01' }]);

    for (const [body, why] of [
      [{ parentCode: 'JN', kind: 'region', key: '03', name: '新市' }, 'a new city sits in the province'],
      [{ parentCode: 'JN-02', kind: 'department', key: 'TR', name: '东江市交通局' }, 'another city'],
    ] as const) {
      const r = await city.post<Problem>('/api/org/units', body);
      assert.strictEqual(r.status, 403, why);
      assert.match(r.body.error?.message ?? '', /manage only JN-01/);
    }
    assert.strictEqual((await city.patch<Problem>('/api/org/units/JN', { name: '改名省' })).status, 403, 'the province');
    assert.strictEqual((await city.patch<Problem>('/api/org/units/JN-02.WR', { name: '改名局' })).status, 403, 'another city');
    const bad = await city.post<Problem>('/api/org/units', { parentCode: 'JN-01-01', kind: 'region', key: '01', name: 'x' });
    assert.strictEqual(bad.status, 400, 'no region below a county');
    assert.strictEqual(bad.body.error?.details?.[0]?.path, 'body.parentCode');
    assert.strictEqual((await city.post('/api/org/units', { parentCode: 'JN-01', kind: 'region', key: '03', name: 'again' })).status, 409);
    const names = await t.office.ctx.db('org_units').whereIn('code', ['JN', 'JN-02.WR']).orderBy('code').pluck('name');
    assert.deepStrictEqual(names, ['江南省', '东江市水利局'], 'nothing written by the refused renames');
    assert.strictEqual(await t.office.ctx.db('org_units').where({ code: 'JN-03' }).first(), undefined);

    const renamed = await province.patch<{ name: string }>('/api/org/units/JN-02.WR', { name: '东江市水务局' });
    assert.strictEqual(renamed.status, 200, 'the province administrator manages every city');
    assert.deepStrictEqual(await audited('unit.renamed', 'JN-02.WR'), [{ actor: 'jn.asc.admin', reason: '东江市水利局 → 东江市水务局' }]);
    const clerk = await login(t.url, 'jn-01-01.asc.window');
    assert.strictEqual((await clerk.post('/api/org/units', { parentCode: 'JN-01-01', kind: 'department', key: 'TR', name: 'x' })).status, 403, 'not an administrator');
  });

  it('creates users with a one-time password in its region; lists only its region', async () => {
    const made = await city.post<{ user: { id: string; roles: string[]; active: boolean }; temporaryPassword: string }>('/api/users', { username: 'jn-01-03.wr.reviewer', displayName: '三县承办人', unitCode: 'JN-01-03.WR', roles: ['reviewer'] });
    assert.strictEqual(made.status, 201, JSON.stringify(made.body));
    assert.deepInclude(made.body.user, { id: 'jn-01-03.wr.reviewer', roles: ['reviewer'], active: true });
    const first = await request<{ next?: string; reason?: string }>(t.url, 'POST', '/api/auth/login', { username: 'jn-01-03.wr.reviewer', password: made.body.temporaryPassword });
    assert.deepStrictEqual(first.body, { next: 'change_password', reason: 'initial' }, 'the one-time password must be changed');
    assert.deepStrictEqual(await audited('user.created', 'jn-01-03.wr.reviewer'), [{ actor: 'jn-01.asc.admin', reason: 'JN-01-03.WR: reviewer' }]);

    const elsewhere = await city.post<Problem>('/api/users', { username: 'jn-02.wr.intruder', displayName: 'x', unitCode: 'JN-02.WR', roles: ['admin'] });
    assert.strictEqual(elsewhere.status, 403);
    assert.strictEqual(await t.office.ctx.db('users').where({ username: 'jn-02.wr.intruder' }).first(), undefined, 'nothing written');
    const badRole = await city.post<Problem>('/api/users', { username: 'jn-01.wr.x', displayName: 'x', unitCode: 'JN-01.WR', roles: ['pope'] });
    assert.strictEqual(badRole.status, 400);
    assert.strictEqual(badRole.body.error?.details?.[0]?.path, 'body.roles.0');
    assert.strictEqual((await city.post('/api/users', { username: 'jn-01.wr.x', displayName: 'x', unitCode: 'JN-01', roles: [] })).status, 400, 'a region is not a department');
    assert.strictEqual((await city.post('/api/users', { username: 'jn-01-03.wr.reviewer', displayName: 'x', unitCode: 'JN-01.WR', roles: [] })).status, 409);

    const listed = await city.get<{ items: Array<{ unitCode: string }> }>('/api/users');
    const units = new Set(listed.body.items.map((u) => u.unitCode.split('.')[0]?.slice(0, 5)));
    assert.deepStrictEqual([...units], ['JN-01'], 'only its city and below');
    const all = await province.get<{ items: Array<{ unitCode: string }> }>('/api/users?unit=JN-02.WR');
    assert.ok(all.body.items.length >= 3 && all.body.items.every((u) => u.unitCode === 'JN-02.WR'));
  });

  it("changes a user's roles: audited, sockets dropped, the reconnect joins the new group", async () => {
    const user = 'jn-01-02.wr.reviewer';
    const s1 = openSocket(t.url, (await loginSession(t.url, user)).accessToken);
    await s1.ready;
    toGroup('JN-01-02.WR:reviewer', 'ROLE-BEFORE');
    await waitFor('the reviewer group hears the probe', async () => s1.heard.includes('ROLE-BEFORE'));

    assert.strictEqual((await city.put<Problem>('/api/users/jn-02-01.wr.reviewer/roles', { roles: ['leader'] })).status, 404, 'another city: not there');
    assert.strictEqual((await city.put<Problem>('/api/users/jn-01.asc.admin/roles', { roles: ['admin', 'leader'] })).status, 403, 'not one’s own');
    const reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    assert.strictEqual((await reviewer.put('/api/users/jn-01-02.wr.reviewer/roles', { roles: ['leader'] })).status, 404, 'not an administrator');
    assert.deepStrictEqual(await t.office.ctx.db('user_roles').where({ user_id: 'jn-02-01.wr.reviewer' }).pluck('role'), ['reviewer']);

    const changed = await city.put<{ roles: string[] }>(`/api/users/${user}/roles`, { roles: ['section_head'] });
    assert.strictEqual(changed.status, 200);
    assert.deepStrictEqual(changed.body.roles, ['section_head']);
    await waitFor('the socket is dropped', async () => s1.state.disconnected);
    assert.deepStrictEqual(await audited('user.roles-changed', user), [{ actor: 'jn-01.asc.admin', reason: 'reviewer → section_head' }]);

    const s2 = openSocket(t.url, (await loginSession(t.url, user)).accessToken);
    await s2.ready;
    toGroup('JN-01-02.WR:reviewer', 'ROLE-OLD-GROUP');
    toGroup('JN-01-02.WR:head', 'ROLE-NEW-GROUP');
    await waitFor('the head group hears its probe', async () => s2.heard.includes('ROLE-NEW-GROUP'));
    await drained(s2.socket);
    assert.deepStrictEqual(s2.heard, ['ROLE-NEW-GROUP'], 'the old group is left behind');
    s2.socket.close();
  });

  it('disables a user at once: tokens, refresh, sockets, login; audited; never outside its region', async () => {
    const user = 'jn-01-01.nr.reviewer';
    const session = await loginSession(t.url, user);
    const s = openSocket(t.url, session.accessToken);
    await s.ready;
    const bearer = { authorization: `Bearer ${session.accessToken}` };
    assert.strictEqual((await request(t.url, 'GET', '/api/auth/me', undefined, bearer)).status, 200);

    assert.strictEqual((await city.post('/api/users/jn-02-01.nr.reviewer/disable', { reason: '调离' })).status, 404, 'another city');
    assert.strictEqual((await city.post('/api/users/jn.asc.admin/disable', { reason: '调离' })).status, 404, 'the province');
    assert.strictEqual((await city.post('/api/users/jn-01.asc.admin/disable', { reason: '调离' })).status, 403, 'oneself');
    assert.strictEqual((await city.post(`/api/users/${user}/disable`, {})).status, 400, 'a reason is required');
    assert.strictEqual(Boolean((await t.office.ctx.db('users').where({ id: 'jn-02-01.nr.reviewer' }).first('active')).active), true);

    const off = await city.post<{ active: boolean }>(`/api/users/${user}/disable`, { reason: '调离岗位' });
    assert.strictEqual(off.status, 200);
    assert.strictEqual(off.body.active, false);
    await waitFor('the open socket is dropped', async () => s.state.disconnected);
    assert.strictEqual((await request(t.url, 'GET', '/api/auth/me', undefined, bearer)).status, 401, 'the access token stops at once');
    assert.strictEqual((await request(t.url, 'POST', '/api/auth/refresh', { refreshToken: session.refreshToken })).status, 401, 'the refresh token is revoked');
    assert.strictEqual((await request(t.url, 'POST', '/api/auth/login', { username: user, password: session.password })).status, 401, 'no new login');
    assert.strictEqual(Number((await t.office.ctx.db('refresh_tokens').where({ user_id: user }).whereNull('revoked_at').count({ n: '*' }))[0]?.n), 0);
    const again = openSocket(t.url, session.accessToken);
    const refused = await again.ready.then(() => null, (err: Error) => err);
    assert.match(refused?.message ?? 'connected', /disabled/, 'a new socket with the old token is refused');
    again.socket.close();
    assert.strictEqual((await city.post(`/api/users/${user}/disable`, { reason: 'retry' })).status, 200, 'a retry is harmless');
    assert.deepStrictEqual(await audited('user.disabled', user), [{ actor: 'jn-01.asc.admin', reason: '调离岗位' }], 'audited once');

    const on = await city.post<{ active: boolean }>(`/api/users/${user}/enable`);
    assert.strictEqual(on.body.active, true);
    assert.ok((await login(t.url, user, session.password)).token, 'enabled: logs in again');
    assert.deepStrictEqual((await audited('user.enabled', user)).map((a) => a.actor), ['jn-01.asc.admin']);
  });

  it('resets a password only within the region: the user must change it at the next login', async () => {
    assert.strictEqual((await city.post('/api/users/jn-02.wr.leader/password-reset')).status, 404, 'another city');
    const reset = await city.post<{ temporaryPassword: string }>('/api/users/jn-01.wr.leader/password-reset');
    assert.strictEqual(reset.status, 200);
    const r = await request(t.url, 'POST', '/api/auth/login', { username: 'jn-01.wr.leader', password: reset.body.temporaryPassword });
    assert.deepStrictEqual(r.body, { next: 'change_password', reason: 'initial' });
    assert.deepStrictEqual((await audited('password.reset', 'jn-01.wr.leader')).map((a) => a.actor), ['jn-01.asc.admin']);
    assert.deepStrictEqual(await audited('password.reset', 'jn-02.wr.leader'), [], 'the refused reset left no trace but its answer');
  });
});
