/**
 * The applicant's side on a phone: Chromium at 390×844 (touch, zh-CN) opens /q from the case number
 * the notice's QR code carries, types the query code from the receipt, reads the status, downloads
 * the acceptance notice and rates the window's service — all without an account.
 */
import fs from 'node:fs';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { login } from '../support/api.ts';
import { ManualClock, startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, WATER } from '../support/licensing.ts';
import { launch, screenshot, uiDir } from '../support/browser.ts';
import { pdfText, squash } from '../support/pdf.ts';

describe('the applicant on a phone', () => {
  let t: TestOffice;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const clock = new ManualClock(Date.parse('2026-11-02T10:00:00+08:00'));
  let caseNo = '';
  let caseId = '';
  let code = '';

  before(async () => {
    t = await startOffice({ clock, env: { UI_DIR: uiDir(), DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    const window = await login(t.url, 'jn-01-01.asc.window');
    const c = await submit(window, WATER.item, COUNTY);
    const done = (await decide(window, c.id, WATER.window, 'accept', '材料齐全')) as unknown as { queryCode: string };
    caseNo = c.caseNo;
    caseId = c.id;
    code = done.queryCode;
    browser = await launch();
    const context = await browser.newContext({ baseURL: t.url, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  after(async () => {
    try {
      await browser?.close();
    } finally {
      await t?.close();
      await stopFeed();
    }
    assert.deepStrictEqual(errors, [], 'no uncaught errors in the page');
  });

  it('looks the case up with the number from the link and the code from the receipt', async () => {
    await page.goto(`/q?no=${caseNo}`);
    assert.strictEqual(await page.inputValue('#q-no'), caseNo, 'the number comes with the link');
    await page.fill('#q-code', 'ZZZZ-ZZZZ');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('alert').filter({ hasText: '未找到' }).waitFor();
    await page.fill('#q-code', code.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('.ld-q-stage', { hasText: '已受理，正在审查' }).waitFor();
    // 11/2 + 15 promised working days = 11/23, + 20 legal ones = 11/30
    assert.strictEqual((await page.locator('[data-field="promisedDue"]').textContent())?.trim(), '2026-11-23');
    assert.strictEqual((await page.locator('[data-field="legalDue"]').textContent())?.trim(), '2026-11-30');
    assert.notInclude(await page.locator('.ld-q').innerText(), '张三', 'nothing personal on the page');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.isAtMost(width, 390, 'fits the phone: no sideways scrolling');
    await screenshot(page, 'applicant-status');
  });

  it('downloads the acceptance notice', async () => {
    const link = page.locator('.ld-q-notices a', { hasText: '受理通知书' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    const text = squash(pdfText(fs.readFileSync(file)));
    for (const s of ['受理通知书', caseNo, '2026年11月2日', '2026年11月30日']) assert.include(text, s);
  });

  it('rates the window’s service once', async () => {
    const box = page.locator('[data-rate="window"]');
    await box.getByLabel('满意', { exact: true }).check();
    await box.getByLabel('办事效率').check();
    await box.locator('textarea').fill('办理很快');
    await box.getByRole('button', { name: '提交评价' }).click();
    await box.locator('[data-field="rated"]', { hasText: '已评价：满意' }).waitFor();
    const rows = await waitFor('the rating stored', async () => {
      const r = await t.office.ctx.db('ratings').where({ case_id: caseId }).select('service', 'score', 'comment');
      return r.length ? r : null;
    });
    assert.deepStrictEqual(rows.map((r) => [r.service, Number(r.score), r.comment]), [['window', 4, '办理很快']]);
    assert.strictEqual(await box.locator('form').count(), 0, 'no second rating offered');
    await screenshot(page, 'applicant-rated');
  });
});
