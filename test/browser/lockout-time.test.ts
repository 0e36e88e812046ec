/**
 * The lock-out message in zh-CN with a local time (issue 13, part 4): a wrong login is worded as
 * one (not as an ended session), and past the per-account limit the login page says from when the
 * next attempt is allowed, in Beijing time — "请于 09:15 后再试" — with no English on the page.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { startOffice, type TestOffice } from '../support/harness.ts';
import { launch, uiDir, closeAll, type UserPage } from '../support/browser.ts';

describe('the login page words a lock-out with its local time', () => {
  let t: TestOffice;
  let browser: Browser;
  const pages: UserPage[] = [];

  before(async () => {
    t = await startOffice({ env: { UI_DIR: uiDir(), RATE_LIMIT_LOGIN_PER_ACCOUNT: '3', RATE_LIMIT_WINDOW_SECONDS: '600' } });
    browser = await launch();
  });
  after(async () => {
    await closeAll(browser, t, pages);
  });

  it('says “wrong name or password”, then “try again at HH:mm”', async () => {
    const context = await browser.newContext({ baseURL: t.url, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    pages.push({ context, page, errors });
    await page.goto('/login');
    const alert = page.getByRole('alert');
    /** one wrong login; the alert once it shows the answer to it */
    const attempt = async (): Promise<{ status: number; shown: string }> => {
      await page.fill('#username', 'jn-01-01.wr.reviewer');
      await page.fill('#password', 'not-the-password');
      const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/auth/login')), page.press('#password', 'Enter')]);
      const expected = res.status() === 429 ? '后再试' : '用户名、密码或动态码错误';
      await alert.filter({ hasText: expected }).waitFor();
      return { status: res.status(), shown: await alert.innerText() };
    };
    const first = await attempt();
    assert.strictEqual(first.status, 401);
    assert.include(first.shown, '用户名、密码或动态码错误', 'a wrong login is worded as one');
    assert.notInclude(first.shown, '登录已失效');
    let last = first;
    for (let i = 0; i < 4 && last.status !== 429; i++) last = await attempt();
    assert.strictEqual(last.status, 429, 'the per-account limit was reached');
    const text = last.shown;
    const m = /请于 (\d{2}):(\d{2}) 后再试/.exec(text);
    assert.ok(m, `a local time in: ${text}`);
    // the time is Beijing time, about the window ahead (the limiter's window: 600 s)
    const now = new Date(Date.now() + 8 * 3600_000);
    const minutes = (Number(m[1]) * 60 + Number(m[2]) - (now.getUTCHours() * 60 + now.getUTCMinutes()) + 1440) % 1440;
    assert.isAtMost(minutes, 11, `${m[0]} is within the window from now`);
    assert.notMatch(text, /[A-Za-z]{2,}/, 'no English in the message');
  });
});
