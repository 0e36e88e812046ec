/** Login, token expiry and tampering, refresh rotation, logout, lock-out, and the audit chain. */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { loginSession, request } from '../support/api.ts';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { appendAudit, verifyChain } from '../../backend/modules/audit/service.ts';
import { DEMO_PASSWORD } from '../../db/seeds/02-demo-org.ts';

interface SessionJson {
  accessToken: string;
  refreshToken: string;
  user: { username: string; groups: string[]; roles: string[]; regionCode: string };
}

describe('authentication', () => {
  let t: TestOffice;
  const loginAs = (username: string, password = DEMO_PASSWORD) => request<SessionJson>(t.url, 'POST', '/api/auth/login', { username, password });
  // a complete login (the forced change of the demo password included), as a user finishes it
  const session = async (username: string) => ({ status: 200, body: (await loginSession(t.url, username)) as unknown as SessionJson });
  const me = (token: string) => request<{ user: SessionJson['user']; rules: unknown[] }>(t.url, 'GET', '/api/auth/me', undefined, { authorization: `Bearer ${token}` });

  before(async () => {
    // a short access-token life so expiry can be watched; lock-out after 3 failures for 60 s
    t = await startOffice({ env: { ACCESS_TOKEN_TTL_SECONDS: '2', LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_SECONDS: '60' } });
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('logs in and tells who the user is, with groups derived from unit and role and the packed rules', async () => {
    const s = await session('jn-01-01.wr.reviewer');
    assert.strictEqual(s.status, 200);
    const who = await me(s.body.accessToken);
    assert.strictEqual(who.status, 200);
    assert.deepStrictEqual(who.body.user.groups, ['JN-01-01.WR:reviewer']);
    assert.strictEqual(who.body.user.regionCode, 'JN-01-01');
    assert.ok(Array.isArray(who.body.rules) && who.body.rules.length > 0, 'packed CASL rules for the UI');
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await loginAs('jn-01-01.wr.head', 'nope');
    const unknown = await loginAs('no.such.user', 'nope');
    assert.strictEqual(wrong.status, 401);
    assert.strictEqual(unknown.status, 401);
    assert.deepStrictEqual(wrong.body, unknown.body);
  });

  it('rejects tampered and expired access tokens', async () => {
    const s = await session('jn-01-01.wr.leader');
    const token = s.body.accessToken;
    const [h, p, sig] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: 'jn.asc.admin' })).toString('base64url');
    assert.strictEqual((await me(`${h}.${forgedPayload}.${sig}`)).status, 401, 'payload swapped');
    assert.strictEqual((await me(`${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`)).status, 401, 'signature changed');
    assert.strictEqual((await me(token)).status, 200);
    // the access token lives 2 s (ACCESS_TOKEN_TTL_SECONDS above)
    const expired = await waitFor('the access token to expire', async () => {
      const r = await me(token);
      return r.status === 401 ? r : null;
    }, 10_000);
    assert.strictEqual(expired.status, 401);
    assert.match(JSON.stringify(expired.body), /expired/);
  });

  it('rotates refresh tokens, and a reused one closes the whole login', async () => {
    const s = await session('jn-01.wr.reviewer');
    const first = s.body.refreshToken;
    const r1 = await request<SessionJson>(t.url, 'POST', '/api/auth/refresh', { refreshToken: first });
    assert.strictEqual(r1.status, 200);
    assert.notStrictEqual(r1.body.refreshToken, first);
    assert.strictEqual((await me(r1.body.accessToken)).status, 200);
    const replay = await request(t.url, 'POST', '/api/auth/refresh', { refreshToken: first });
    assert.strictEqual(replay.status, 401, 'a spent refresh token is refused');
    const second = await request(t.url, 'POST', '/api/auth/refresh', { refreshToken: r1.body.refreshToken });
    assert.strictEqual(second.status, 401, 'reuse revoked the rotated token too');
  });

  it('logs out: the refresh token no longer works', async () => {
    const s = await session('jn-01.wr.head');
    assert.strictEqual((await request(t.url, 'POST', '/api/auth/logout', { refreshToken: s.body.refreshToken })).status, 204);
    assert.strictEqual((await request(t.url, 'POST', '/api/auth/refresh', { refreshToken: s.body.refreshToken })).status, 401);
  });

  it('locks an account after repeated failures, even against the right password, answering as for an unknown name', async () => {
    const user = 'jn-01.wr.leader';
    const unknown = await loginAs('no.such.user', 'bad');
    assert.strictEqual((await loginAs(user, 'bad-1')).status, 401);
    assert.strictEqual((await loginAs(user, 'bad-2')).status, 401);
    const third = await loginAs(user, 'bad-3');
    assert.strictEqual(third.status, 401);
    assert.deepStrictEqual(third.body, unknown.body, 'the locking attempt tells nothing more');
    const right = await loginAs(user);
    assert.strictEqual(right.status, 401, 'locked means locked');
    assert.deepStrictEqual(right.body, unknown.body, 'a locked account answers exactly as an unknown one (which names exist stays hidden)');
    const locked = await t.office.ctx.db('users').where({ username: user }).first('locked_until');
    assert.ok(Number(locked.locked_until) > Date.now(), 'the lock is stored');
    assert.strictEqual((await session('jn-01.ee.reviewer')).status, 200, 'other accounts are unaffected');
  });

  it('keeps an append-only audit chain that shows tampering', async () => {
    // concurrent appends (several connections on MySQL) must not fork the chain
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(t.office.ctx.db, { actor: `load-${i}`, action: 'login.failed', subject: 'User', at: Date.now() })));
    assert.strictEqual(await verifyChain(t.office.ctx.db), null);
    const actions = await t.office.ctx.db('audit_log').pluck('action');
    assert.ok(actions.includes('login') && actions.includes('login.failed') && actions.includes('account.locked'));
    const victim = await t.office.ctx.db('audit_log').where({ action: 'login.failed' }).first('id');
    await t.office.ctx.db('audit_log').where({ id: victim.id }).update({ actor: 'someone-else' });
    assert.strictEqual(await verifyChain(t.office.ctx.db), Number(victim.id));
  });
});
