/**
 * 等保 2.0 level 3, the login: lock-out that parallel guesses cannot outrun, rate limits (429), the
 * forced change of the published demo password, the password policy, TOTP for the roles that need
 * it (enrolment, codes accepted once), one's own password change, an administrator's reset.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { freshTotpCode, login, loginSession, request, testPasswordFor } from '../support/api.ts';
import { stopFeed, startOffice, type TestOffice } from '../support/harness.ts';
import { codeAt, currentStep } from '../../backend/modules/identity/totp.ts';
import { DEMO_PASSWORD } from '../../db/seeds/02-demo-org.ts';

type Answer = { accessToken?: string; next?: string; reason?: string; totp?: { secret: string; otpauthUri: string }; error?: { code: string; message: string } };

describe('security: login', () => {
  let t: TestOffice;
  let adminPassword = '';
  let adminSecret = '';
  const post = (body: Record<string, unknown>) => request<Answer>(t.url, 'POST', '/api/auth/login', body);

  before(async () => {
    t = await startOffice({ env: { LOGIN_MAX_FAILURES: '5', LOGIN_LOCK_SECONDS: '3600', RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000' } });
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('stops 3 rounds of 40 parallel wrong passwords at the limit of 5', async () => {
    const user = 'jn-02.wr.reviewer';
    const failedBefore = await t.office.ctx.db('audit_log').where({ action: 'login.failed', subject_id: user }).count({ n: '*' });
    assert.strictEqual(Number(failedBefore[0]?.n), 0);
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post({ username: user, password: `wrong-${round}-${i}` })));
      assert.ok(answers.every((a) => a.status === 401), 'every guess is refused');
    }
    // positive control of the counter: exactly the limit's worth of passwords were checked
    const failed = await t.office.ctx.db('audit_log').where({ action: 'login.failed', subject_id: user }).count({ n: '*' });
    assert.strictEqual(Number(failed[0]?.n), 5, 'only 5 of 120 guesses reached the password check');
    const locks = await t.office.ctx.db('audit_log').where({ action: 'account.locked', subject_id: user }).count({ n: '*' });
    assert.strictEqual(Number(locks[0]?.n), 1);
    const right = await post({ username: user, password: DEMO_PASSWORD });
    assert.strictEqual(right.status, 401, 'the right password is refused while locked');
    assert.deepStrictEqual(right.body, (await post({ username: 'nobody.at.all', password: 'x' })).body, 'locked looks like unknown');
  });

  it('forces the change of a seeded password at first login, under the policy, and never back', async () => {
    const user = 'jn-02.wr.head';
    const first = await post({ username: user, password: DEMO_PASSWORD });
    assert.strictEqual(first.status, 200);
    assert.deepStrictEqual(first.body, { next: 'change_password', reason: 'initial' }, 'no token before the change');
    for (const [bad, why] of [
      ['Short1!', /at least 10 characters/],
      ['alllowercaseletters', /at least three of/],
      ['Jn-02.Wr.Head#2026', /username/],
      [DEMO_PASSWORD, /at least 10|current password/],
    ] as const) {
      const r = await post({ username: user, password: DEMO_PASSWORD, newPassword: bad });
      assert.strictEqual(r.status, 400, bad);
      assert.match(r.body.error?.message ?? '', why, bad);
    }
    const hash = (await t.office.ctx.db('users').where({ username: user }).first('password_hash', 'must_change_password')) as { password_hash: string; must_change_password: unknown };
    assert.ok(Boolean(hash.must_change_password), 'nothing half-written by the refused changes');
    const good = testPasswordFor(user, 7);
    const changed = await post({ username: user, password: DEMO_PASSWORD, newPassword: good });
    assert.strictEqual(changed.status, 200);
    assert.ok(changed.body.accessToken, 'a reviewer-type role needs no second factor');
    assert.strictEqual((await post({ username: user, password: DEMO_PASSWORD })).status, 401, 'the demo password is gone');
    const me = await login(t.url, user, good);
    const reuse = await me.post<Answer>('/api/auth/password', { currentPassword: good, newPassword: DEMO_PASSWORD.repeat(2) });
    assert.strictEqual(reuse.status, 204, 'a fresh one passes');
    const back = await request<Answer>(t.url, 'POST', '/api/auth/login', { username: user, password: DEMO_PASSWORD.repeat(2) });
    assert.ok(back.body.accessToken);
    const again = await client2(t.url, back.body.accessToken as string).post<Answer>('/api/auth/password', { currentPassword: DEMO_PASSWORD.repeat(2), newPassword: good });
    assert.strictEqual(again.status, 400, 'a recent password may not come back');
    assert.match(again.body.error?.message ?? '', /last 5/);
  });

  it('requires TOTP for administrators, designers and supervisors: enrolment, then a code accepted once', async () => {
    const user = 'jn.asc.admin';
    const password = testPasswordFor(user, 1);
    const changed = await post({ username: user, password: DEMO_PASSWORD, newPassword: password });
    assert.strictEqual(changed.status, 200);
    assert.strictEqual(changed.body.next, 'enrol_totp', 'no token without the second factor');
    assert.strictEqual(changed.body.accessToken, undefined);
    const secret = changed.body.totp?.secret as string;
    [adminPassword, adminSecret] = [password, secret];
    assert.match(changed.body.totp?.otpauthUri ?? '', /^otpauth:\/\/totp\/licence-desk:jn\.asc\.admin\?/);
    const wrong = await post({ username: user, password, totpCode: '000000' === codeAt(secret, currentStep()) ? '111111' : '000000' });
    assert.strictEqual(wrong.status, 401);
    const code = await freshTotpCode(t.url, user, secret);
    const ok = await post({ username: user, password, totpCode: code });
    assert.strictEqual(ok.status, 200);
    assert.ok(ok.body.accessToken);
    assert.strictEqual((await post({ username: user, password, totpCode: code })).status, 401, 'the same code twice is a replay');
    const later = await post({ username: user, password });
    assert.deepStrictEqual(later.body, { next: 'totp' }, 'once enrolled, every login asks for a code');
    for (const role of ['jn.wr.designer', 'jn-01.sup.supervisor']) {
      const r = await post({ username: role, password: DEMO_PASSWORD, newPassword: testPasswordFor(role, 1) });
      assert.strictEqual(r.body.next, 'enrol_totp', role);
    }
    const actions = await t.office.ctx.db('audit_log').where({ subject_id: user }).pluck('action');
    assert.ok(actions.includes('password.changed') && actions.includes('totp.enrolled') && actions.includes('login'));
  });

  it('lets an administrator reset a password in their region: a one-time password that must be changed', async () => {
    const admin = await login(t.url, 'jn.asc.admin', adminPassword, adminSecret);
    const reset = await admin.post<{ temporaryPassword: string }>('/api/users/jn-02-01.nr.reviewer/password-reset');
    assert.strictEqual(reset.status, 200);
    const r = await post({ username: 'jn-02-01.nr.reviewer', password: reset.body.temporaryPassword });
    assert.deepStrictEqual(r.body, { next: 'change_password', reason: 'initial' });
    assert.strictEqual((await admin.post('/api/users/no-such-user/password-reset')).status, 404);
    const clerk = await loginSession(t.url, 'jn-01-01.wr.reviewer');
    assert.strictEqual((await client2(t.url, clerk.accessToken).post('/api/users/jn-02-01.nr.reviewer/password-reset')).status, 404, 'not an administrator: nothing to see');
  });
});

describe('security: rate limits', () => {
  let t: TestOffice;
  before(async () => {
    t = await startOffice({ env: { RATE_LIMIT_LOGIN_PER_IP: '8', RATE_LIMIT_LOGIN_PER_ACCOUNT: '4', RATE_LIMIT_URGES_PER_USER: '3' } });
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('answers 429 with Retry-After past the per-account and per-address login limits, also for unknown names', async () => {
    const tries = [];
    for (let i = 0; i < 5; i++) tries.push(await request<Answer>(t.url, 'POST', '/api/auth/login', { username: 'ghost.account', password: `x${i}` }));
    assert.deepStrictEqual(tries.map((r) => r.status), [401, 401, 401, 401, 429]);
    assert.match(tries[4]?.headers.get('retry-after') ?? '', /^\d+$/);
    assert.strictEqual(tries[4]?.body.error?.code, 'RATE_LIMITED');
    const others = [];
    for (let i = 0; i < 4; i++) others.push((await request(t.url, 'POST', '/api/auth/login', { username: `other-${i}`, password: 'x' })).status);
    assert.deepStrictEqual(others, [401, 401, 401, 429], 'the address has used its 8');
  });
});

const client2 = (url: string, token: string) => ({
  post: <T>(path: string, body?: unknown) => request<T>(url, 'POST', path, body, { authorization: `Bearer ${token}` }),
});
