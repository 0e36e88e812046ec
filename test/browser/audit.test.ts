/**
 * The audit page in Chromium (issue 15): the audit administrator (jn.asc.audit) searches the trail
 * by action and by who, verifies the keyed chain from the page, and after a row is edited behind the
 * office's back (as test/integration/security-audit-admin.test.ts does) the page says where it breaks.
 */
import { assert } from 'chai';
import { after, afterEach, before, describe, it } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { login } from '../support/api.ts';
import { startOffice, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, WATER, type CaseJson } from '../support/licensing.ts';
import { closeAll, launch, screenshot, signIn, uiDir, type UserPage } from '../support/browser.ts';

const field = (page: Page, id: string) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

describe('the audit page in Chromium', () => {
  let t: TestOffice;
  let browser: Browser;
  let auditor: UserPage;
  let c: CaseJson;
  const pages: UserPage[] = [];

  before(async () => {
    t = await startOffice({ env: { UI_DIR: uiDir() } });
    browser = await launch();
    const window = await login(t.url, 'jn-01-01.asc.window');
    c = await submit(window, WATER.item, COUNTY);
    await decide(window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    auditor = await signIn(browser, t.url, 'jn.asc.audit');
    pages.push(auditor);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(auditor.page, 'audit-failed');
  });
  after(async () => {
    await closeAll(browser, t, pages);
  });

  it('searches the trail by action and by who', async () => {
    const { page } = auditor;
    await page.getByTestId('audit-page').waitFor(); // the audit administrator lands here
    const rows = page.locator('[data-testid="audit-rows"] tbody tr');
    await field(page, 'audit-action').fill('task.decided');
    await field(page, 'audit-case').fill(c.id);
    await page.getByTestId('audit-search').click();
    await rows.filter({ hasText: c.caseNo }).first().waitFor();
    const decided = await rows.allInnerTexts();
    assert.strictEqual(decided.length, 1, decided.join('\n'));
    assert.include(decided[0], '办理环节', 'the action by its name (task.decided)');
    assert.include(decided[0], '窗口受理: accept');
    await field(page, 'audit-action').fill('login');
    await field(page, 'audit-case').fill('');
    await field(page, 'audit-actor').fill('jn-01-01.asc.window');
    await page.getByTestId('audit-search').click();
    await rows.filter({ hasText: 'jn-01-01.asc.window' }).first().waitFor();
    const logins = await rows.allInnerTexts();
    assert.isAbove(logins.length, 0);
    for (const r of logins) assert.match(r, /登录/, r);
    for (const r of logins) assert.notInclude(r, '办理环节', 'only the action searched for');
  });

  it('verifies the chain from the page and says where a tampered row breaks it', async () => {
    const { page } = auditor;
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-report').filter({ hasText: '审计链完整' }).waitFor();
    const victim = await t.office.ctx.db('audit_log').where({ action: 'task.decided', case_id: c.id }).first('id');
    const id = Number(victim.id);
    // edited in the database, without the audit key: the stored MAC no longer fits
    await t.office.ctx.db('audit_log').where({ id }).update({ reason: '窗口受理: reject' });
    await field(page, 'audit-action').fill('task.decided');
    await field(page, 'audit-actor').fill('');
    await field(page, 'audit-case').fill(c.id);
    await page.getByTestId('audit-search').click();
    await page.locator('[data-testid="audit-rows"] tbody tr', { hasText: 'reject' }).waitFor();
    await page.getByTestId('audit-verify').click();
    const report = page.getByTestId('audit-report').filter({ hasText: `审计链在第 ${id} 条记录处断开` });
    await report.waitFor();
    assert.include(await report.innerText(), '记录内容与签名不符');
    const marked = page.locator('[data-testid="audit-rows"] tbody tr.ld-broken');
    await marked.waitFor();
    assert.include(await marked.innerText(), String(id), 'the broken row is marked in the list');
    await screenshot(page, 'audit-broken');
  });
});
