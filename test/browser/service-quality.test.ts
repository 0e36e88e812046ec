/**
 * The staff side of 好差评 in Chromium: the window clerk accepts an application and prints the
 * receipt with its one-time query code (and downloads the acceptance notice from it); a supervisor
 * reads the rating figures on the board and watches a 差评's rectification turn yellow live; the
 * responsible unit's leader verifies, answers (the applicant accepts) and rectifies it; an
 * administrator edits a notice template, previews it with sample data and as PDF, saves and resets it.
 */
import fs from 'node:fs';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { login, request, type Client } from '../support/api.ts';
import { ManualClock, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';
import { closeAll, launch, screenshot, signIn, uiDir, type UserPage } from '../support/browser.ts';
import { pdfText, squash } from '../support/pdf.ts';

describe('the staff side of ratings, rectifications, templates and receipts', () => {
  let t: TestOffice;
  let browser: Browser;
  const pages: UserPage[] = [];
  const clock = new ManualClock(Date.parse('2026-11-02T10:00:00+08:00'));
  let windowClerk: Client;
  let rated: { caseNo: string; code: string };

  before(async () => {
    t = await startOffice({ clock, env: { UI_DIR: uiDir(), DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    browser = await launch();
    windowClerk = await login(t.url, 'jn-01-01.asc.window');
    // a case rated 不满意 at the window: its rectification is due for 核实 on 11/3
    const c = await submit(windowClerk, WATER.item, COUNTY);
    const done = (await decide(windowClerk, c.id, WATER.window, 'accept', '材料齐全')) as unknown as { queryCode: string };
    rated = { caseNo: c.caseNo, code: done.queryCode };
    const r = await request(t.url, 'POST', `/public/cases/${c.caseNo}/ratings?code=${encodeURIComponent(done.queryCode)}`, { service: 'window', level: 'dissatisfied', aspects: ['efficiency'], comment: '排队一个多小时' });
    assert.strictEqual(r.status, 201, JSON.stringify(r.body));
  });
  after(async () => {
    await closeAll(browser, t, pages);
  });
  const open = async (username: string) => {
    const p = await signIn(browser, t.url, username);
    pages.push(p);
    return p;
  };

  it('the window clerk accepts, sees the receipt with the query code once, prints it and downloads the notice', async () => {
    const c: CaseJson = await submit(windowClerk, WATER.item, COUNTY);
    const task = await taskAt(windowClerk, c.id, WATER.window);
    assert.strictEqual((await windowClerk.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200);
    const p = await open('jn-01-01.asc.window');
    const { page } = p;
    await page.goto(`/cases/${c.id}`);
    // window.print opens the system dialog: record what would be printed instead
    await page.evaluate(() => {
      const w = window as unknown as { print: () => void; printed: string[] };
      w.printed = [];
      w.print = () => {
        const area = document.getElementById('ld-print-area');
        w.printed.push(area?.innerText ?? '');
      };
    });
    await page.getByTestId('decision-form').waitFor();
    await page.getByTestId('decision-accept').click();
    await page.getByTestId('opinion').fill('材料齐全，予以受理');
    await page.getByTestId('submit-decision').click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    assert.strictEqual((await page.getByTestId('receipt-case-no').textContent())?.trim(), c.caseNo);
    const code = (await page.getByTestId('receipt-code').textContent())?.trim() ?? '';
    assert.match(code, /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    assert.include(await page.getByTestId('receipt-url').textContent(), `/q?no=${encodeURIComponent(c.caseNo)}`);
    assert.match((await page.getByTestId('receipt-qr').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    const status = await request(t.url, 'GET', `/public/cases/${c.caseNo}?code=${encodeURIComponent(code)}`);
    assert.strictEqual(status.status, 200, 'the printed code opens the status page');
    await screenshot(page, 'receipt');

    await page.getByTestId('receipt-print').click();
    const printed = await page.evaluate(() => (window as unknown as { printed: string[] }).printed);
    assert.strictEqual(printed.length, 1, 'printed once');
    for (const s of [c.caseNo, code, '受理回执']) assert.include(printed[0], s);
    // the copy made for printing goes again, and the page is whole
    await page.waitForFunction(() => !document.getElementById('ld-print-area') && !document.body.classList.contains('ld-printing'));
    // the print stylesheet: only the copy of the receipt is on paper
    await page.evaluate(() => {
      const area = Object.assign(document.createElement('div'), { id: 'ld-print-area', innerHTML: '<p>x</p>' });
      document.body.append(area);
      document.body.classList.add('ld-printing');
    });
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(() => [...document.body.children].filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.id));
    assert.deepStrictEqual(shown, ['ld-print-area']);
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => {
      document.getElementById('ld-print-area')?.remove();
      document.body.classList.remove('ld-printing');
    });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receipt-notice').click()]);
    const text = squash(pdfText(fs.readFileSync(await download.path())));
    for (const s of ['受理通知书', c.caseNo, '2026年11月2日']) assert.include(text, s);
    await page.getByTestId('receipt-dialog').getByRole('button', { name: '关闭' }).last().click();
    await receipt.waitFor({ state: 'detached' });
  });

  it('a supervisor reads the rating figures and sees the rectification turn yellow live', async () => {
    const { page } = await open('jn-01.sup.supervisor');
    await page.goto('/board');
    const board = page.getByTestId('rating-board');
    await board.waitFor();
    await page.getByTestId('rating-bad-rate').filter({ hasText: '100%' }).waitFor();
    assert.include(await page.getByTestId('rating-by-unit').innerText(), '政务服务中心', 'units by name');
    assert.strictEqual((await page.getByTestId('rect-pending').textContent())?.trim(), '1');
    assert.strictEqual(await page.getByTestId('rect-late').locator(`text=${rated.caseNo}`).count(), 0, 'not late yet');
    await page.getByTestId('chart-ratings').locator('svg').waitFor();

    // the 核实 day (11/3) passes unverified
    clock.set('2026-11-04T09:00:00+08:00');
    await t.office.deadlines.tick();
    const late = page.getByTestId('rect-late').locator('tr', { hasText: rated.caseNo });
    await late.locator('[data-rect-level="yellow"]').waitFor();
    await screenshot(page, 'board-ratings');

    await page.getByTestId('rect-yellow').click();
    const drill = page.locator('.el-drawer', { hasText: rated.caseNo });
    await drill.waitFor();
    assert.include(await drill.innerText(), '排队一个多小时', 'the case behind the figure, with the comment');
  });

  it('the responsible unit verifies, answers and rectifies; the applicant’s acceptance shows', async () => {
    const { page } = await open('jn-01-01.asc.leader');
    await page.getByTestId('nav-rectifications').click();
    const row = page.getByTestId('rect-table').locator('tr.ld-rect-yellow', { hasText: rated.caseNo });
    await row.waitFor();
    await row.click();
    const panel = page.getByTestId('rect-panel');
    await panel.waitFor();
    assert.include(await panel.innerText(), '排队一个多小时');
    const step = async (name: 'verify' | 'answer' | 'rectify', text: string, state: string) => {
      await page.getByTestId('rect-text').fill(text);
      await page.getByTestId(`rect-${name}`).click();
      await page.getByTestId('rect-state').filter({ hasText: state }).waitFor();
    };
    await step('verify', '经核实，当日窗口人员不足', '已核实，待答复');
    await step('answer', '已增设窗口，高峰时段弹性排班', '已答复，待整改');
    const said = await request(t.url, 'POST', `/public/cases/${rated.caseNo}/ratings/window/response?code=${encodeURIComponent(rated.code)}`, { accepted: true });
    assert.strictEqual(said.status, 200);
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByTestId('rect-accepted').filter({ hasText: '认可答复' }).waitFor();
    await step('rectify', '增设两个综合窗口并公示', '已整改');
    assert.strictEqual(await page.getByTestId('rect-step-form').count(), 0, 'nothing more to do');
    await screenshot(page, 'rectification');
    const rows = await t.office.ctx.db('audit_log').whereIn('action', ['rectification.verified', 'rectification.answered', 'rectification.rectified']).select('action');
    assert.strictEqual(rows.length, 3, 'each step audited');
  });

  it('an administrator edits a notice template, previews it with sample data and as PDF, saves and resets it', async () => {
    const { page } = await open('jn.asc.admin');
    await page.getByTestId('nav-templates').click();
    await page.getByTestId('tpl-form').waitFor();
    await page.getByTestId('tpl-kinds').locator('[data-kind="acceptance"]').click();
    const body = page.getByTestId('tpl-body');
    await body.fill('{{applicant}}：\n你（单位）的{{itemName}}申请已受理（办件编号：{{caseNo}}）。');
    await page.getByTestId('tpl-missing').filter({ hasText: '法定期限截止日' }).waitFor();
    await body.fill('{{applicant}}：\n你（单位）的{{itemName}}申请已受理（办件编号：{{caseNo}}），法定期限截止日为{{legalDueOn}}。');
    await page.getByTestId('tpl-missing').waitFor({ state: 'detached' });
    await page.getByTestId('tpl-title').fill('受理通知书（新版）');
    await page.getByTestId('tpl-preview').click();
    const preview = page.getByTestId('tpl-preview-text');
    await preview.filter({ hasText: '张三（示例）' }).waitFor();
    assert.include(await preview.innerText(), '受理通知书（新版）');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('tpl-preview-pdf').click()]);
    const text = squash(pdfText(fs.readFileSync(await download.path())));
    for (const s of ['受理通知书（新版）', '张三（示例）']) assert.include(text, s);
    assert.strictEqual((await t.office.ctx.db('notice_templates').where({ kind: 'acceptance' })).length, 0, 'a preview stores nothing');
    await screenshot(page, 'notice-template');

    await page.getByTestId('tpl-save').click();
    await page.getByTestId('tpl-reset').waitFor();
    const saved = await waitFor('saved', async () => (await t.office.ctx.db('notice_templates').where({ kind: 'acceptance' }).first('title')) as { title: string } | undefined);
    assert.strictEqual(saved.title, '受理通知书（新版）');
    await page.getByTestId('tpl-reset').click();
    await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click();
    await page.getByTestId('tpl-reset').waitFor({ state: 'detached' });
    assert.strictEqual((await page.getByTestId('tpl-title').inputValue()).trim(), '受理通知书');
    const audited = await t.office.ctx.db('audit_log').whereIn('action', ['notice-template.saved', 'notice-template.reset']).orderBy('id').select('action');
    assert.deepStrictEqual(audited.map((a) => a.action), ['notice-template.saved', 'notice-template.reset']);
  });
});
