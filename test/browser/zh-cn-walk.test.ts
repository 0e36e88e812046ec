/**
 * The zh-CN web app walked page by page (issue 13, part 4): queue (待办, 可认领, 已办), case page,
 * case register, board, calendar, designer, catalogue, users, audit log and copies. Each page's
 * visible text must hold no raw message key (`section.key`), no event or error code, no account id
 * or unit code where a name belongs, and no English words. What a page may show in Latin letters is
 * listed per page: case numbers and dates everywhere; on the administration and audit pages the
 * codes and account names that are their data (用户名, 单位编码, 事项编码, addresses). A screenshot
 * of each page goes to SCREENSHOT_DIR.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { login } from '../support/api.ts';
import { startOffice, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, WATER } from '../support/licensing.ts';
import { launch, screenshot, signIn, uiDir, type UserPage, closeAll } from '../support/browser.ts';

// Latin text any zh-CN page may show: case numbers, the language switcher, names of formats
const ALLOWED = /^(LD\d+|SYN\d+|English|Language|Excel|TOTP|ID|CSV|XLSX|DMN|Java)$/;
// what the administration and audit pages show as their data: account names, unit and region codes, item codes, addresses
const DATA = /^([a-z]{2}(-\d{2})*(\.[a-z]+){1,2}|[A-Z]{2}(-\d{2})*(\.[A-Z]+)?(:[a-z_]+)?|ffff|v\d+)$/;
// the designer's data: process files and ids, element ids (the process's own identifiers)
const DESIGN = /^([\w-]+\.bpmn|[a-z]+(_[a-z0-9]+)+|bpmn\.io|v\d+)$/;

async function leaks(page: Page, allow: RegExp[] = []): Promise<string[]> {
  // text marked verbatim is evidence shown as recorded (the audit log's reasons and subject ids)
  const text = await page.locator('body').evaluate((b) => {
    const hidden = [...document.querySelectorAll<HTMLElement>('.verbatim')];
    hidden.forEach((e) => (e.style.visibility = 'hidden'));
    const shown = (b as HTMLElement).innerText;
    hidden.forEach((e) => (e.style.visibility = ''));
    return shown;
  });
  const out: string[] = [];
  // a letter glued to digits or a mask is part of an identifier (身份证 check letter "002X", "1101**X")
  for (const m of text.matchAll(/(?<![0-9*])[A-Za-z][A-Za-z0-9_.:-]*/g)) {
    const w = m[0].replace(/[.:-]+$/, '');
    if (ALLOWED.test(w) || allow.some((a) => a.test(w))) continue;
    out.push(w);
  }
  return [...new Set(out)];
}

describe('the zh-CN web app speaks Chinese on every page', () => {
  let t: TestOffice;
  let browser: Browser;
  const pages: UserPage[] = [];
  let caseId = '';
  let caseNo = '';

  before(async () => {
    t = await startOffice({ env: { UI_DIR: uiDir(), ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    browser = await launch();
    const window = await login(t.url, 'jn-01-01.asc.window');
    const c = await submit(window, WATER.item, COUNTY);
    caseId = c.id;
    caseNo = c.caseNo;
    await decide(window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    // a copy for the reviewer (抄送我的), sent by the clerk whose group took part
    const copied = await window.post(`/api/cases/${c.id}/copies`, { users: ['jn-01-01.wr.head'], note: '请知悉' });
    assert.strictEqual(copied.status, 201, JSON.stringify(copied.body));
  });
  after(async () => {
    await closeAll(browser, t, pages);
  });

  const visit = async (p: UserPage, path: string, ready: string, name: string, allow: RegExp[] = []) => {
    await p.page.goto(path);
    await p.page.getByTestId(ready).first().waitFor();
    await p.page.waitForLoadState('networkidle');
    await screenshot(p.page, `zh-cn-${name}`);
    assert.deepStrictEqual(await leaks(p.page, allow), [], `English or raw codes on ${path}`);
  };

  it('a reviewer’s queue: 待办, 可认领 (unit and role by name, applicant masked, days left by level) and 已办', async () => {
    const p = await signIn(browser, t.url, 'jn-01-01.wr.reviewer');
    pages.push(p);
    await p.page.goto('/tasks');
    await p.page.getByRole('tab', { name: /可认领/ }).click();
    const row = p.page.locator('[data-testid="queue-table"] tbody tr', { hasText: caseNo });
    await row.first().waitFor();
    const text = await row.first().innerText();
    assert.include(text, '未认领 · 示范市一区水利局 · 承办人', 'the group by its unit’s name and role');
    assert.include(text, '张*', 'the applicant, masked');
    assert.match(text, /\d+ 天/, 'working days left');
    assert.strictEqual(await row.first().getByTestId('days-left').getAttribute('data-level'), 'none');
    assert.include(await p.page.getByTestId('level-legend').innerText(), '预警');
    await screenshot(p.page, 'zh-cn-queue');
    assert.deepStrictEqual(await leaks(p.page), [], 'English or raw codes in 可认领');
    await row.first().getByRole('button', { name: '认领' }).click();
    await p.page.getByRole('tab', { name: /我的任务/ }).click();
    const mine = p.page.locator('[data-testid="queue-table"] tbody tr', { hasText: caseNo });
    await mine.first().waitFor();
    assert.include(await mine.first().innerText(), '示范市一区水利局承办人', 'the assignee by name');
    assert.deepStrictEqual(await leaks(p.page), [], 'English or raw codes in 我的任务');
    await p.page.goto(`/cases/${caseId}`);
    assert.include(await p.page.getByTestId('step-holder').first().innerText(), '示范市一区水利局承办人', 'the step’s holder by name on the case page');

    const w = await signIn(browser, t.url, 'jn-01-01.asc.window');
    pages.push(w);
    await w.page.goto('/tasks');
    await w.page.getByRole('tab', { name: '已办' }).click();
    const done = w.page.locator('[data-testid="queue-table"] tbody tr', { hasText: caseNo });
    await done.first().waitFor();
    assert.include(await done.first().innerText(), '受理', 'the decision by its name');
    await screenshot(w.page, 'zh-cn-queue-done');
    assert.deepStrictEqual(await leaks(w.page), [], 'English or raw codes in 已办');
  });

  it('a window clerk’s case register (search, 已办) and case page (region and people by name)', async () => {
    const p = await signIn(browser, t.url, 'jn-01-01.asc.window');
    pages.push(p);
    await visit(p, '/cases', 'register-page', 'register');
    await p.page.getByTestId('register-applicant').fill('张三');
    await p.page.getByTestId('register-search').click();
    await p.page.locator('[data-testid="register-table"] tbody tr', { hasText: '张*' }).first().waitFor();
    assert.include(await p.page.getByTestId('register-table').innerText(), '取水许可', 'the item by its name');
    await p.page.getByRole('tab', { name: '已办' }).click();
    await p.page.locator('[data-testid="register-table"] tbody tr').first().waitFor();
    assert.deepStrictEqual(await leaks(p.page), []);
    await visit(p, `/cases/${caseId}`, 'case-no', 'case');
    assert.strictEqual(await p.page.getByTestId('case-region').innerText(), '示范市一区', '受理地 by name');
  });

  it('a designer’s page: palette, context pad and the page around them in Chinese; the diagram fitted beside the palette', async () => {
    const d = await signIn(browser, t.url, 'jn.wr.designer');
    pages.push(d);
    await d.page.goto('/designer');
    await d.page.getByTestId('file-water-abstraction-permit.bpmn').click();
    await d.page.locator('[data-element-id="county_review"]').first().waitFor();
    // fitted on open: every shape inside the canvas, none under the palette
    const fit = await d.page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="modeler-canvas"]')?.getBoundingClientRect();
      const palette = document.querySelector('.djs-palette')?.getBoundingClientRect();
      const shapes = [...document.querySelectorAll('.djs-element.djs-shape')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
      if (!canvas || !palette) return null;
      return { shapes: shapes.length, outside: shapes.filter((r) => r.left < canvas.left - 1 || r.right > canvas.right + 1 || r.top < canvas.top - 1 || r.bottom > canvas.bottom + 1).length, underPalette: shapes.filter((r) => r.left < palette.right && r.top < palette.bottom && r.bottom > palette.top).length };
    });
    assert.ok(fit && fit.shapes > 5, JSON.stringify(fit));
    assert.deepStrictEqual({ outside: fit.outside, underPalette: fit.underPalette }, { outside: 0, underPalette: 0 }, 'the whole diagram in view, clear of the palette');
    await d.page.getByTestId('lint').click();
    await d.page.getByTestId('problems').waitFor();
    await d.page.locator('[data-element-id="county_review"]').first().click();
    await d.page.locator('.djs-context-pad .entry').first().waitFor();
    await screenshot(d.page, 'zh-cn-designer');
    const titles = await d.page.locator('.djs-palette .entry[title], .djs-context-pad .entry[title]').evaluateAll((es) => es.map((e) => e.getAttribute('title') ?? ''));
    assert.isAbove(titles.length, 5);
    assert.deepStrictEqual(
      titles.filter((x) => !/[\u4e00-\u9fff]/.test(x)),
      [],
      'every palette and context-pad entry titled in Chinese',
    );
    // the page outside the properties panel (whose field names are checked by translate's own table)
    const text = await d.page.locator('body').evaluate((b) => {
      const panels = [...document.querySelectorAll<HTMLElement>('.panel, .bio-properties-panel')];
      panels.forEach((e) => (e.style.display = 'none'));
      const shown = (b as HTMLElement).innerText;
      panels.forEach((e) => (e.style.display = ''));
      return shown;
    });
    const words = [...text.matchAll(/(?<![0-9*])[A-Za-z][A-Za-z0-9_.:-]*/g)].map((m) => m[0].replace(/[.:-]+$/, '')).filter((w) => !ALLOWED.test(w) && !DESIGN.test(w));
    assert.deepStrictEqual([...new Set(words)], [], 'English on the designer page');
  });

  it('a supervisor’s board (监察范围 by name), a head’s copies', async () => {
    const s = await signIn(browser, t.url, 'jn-01.sup.supervisor');
    pages.push(s);
    await visit(s, '/board', 'board-scope', 'board');
    assert.strictEqual(await s.page.getByTestId('board-scope').innerText(), '示范市');
    const h = await signIn(browser, t.url, 'jn-01-01.wr.head');
    pages.push(h);
    await visit(h, '/copies', `copy-${caseNo}`, 'copies');
  });

  it('an administrator’s calendar, users and catalogue; the audit administrator’s log', async () => {
    const a = await signIn(browser, t.url, 'jn.asc.admin');
    pages.push(a);
    await visit(a, '/calendar', 'calendar-page', 'calendar');
    assert.strictEqual(await a.page.locator('[data-testid="calendar-page"] .el-input-number').count() > 0, true, 'the year field is rendered (ElInputNumber registered)');
    await visit(a, '/admin/users', 'users-page', 'users', [DATA]);
    await visit(a, '/admin/catalogue', 'catalogue-page', 'catalogue', [DATA]);
    const au = await signIn(browser, t.url, 'jn.asc.audit');
    pages.push(au);
    await au.page.goto('/audit');
    await au.page.getByTestId('audit-search').click();
    await au.page.locator('[data-testid="audit-rows"] tbody tr').first().waitFor();
    await visit(au, '/audit', 'audit-rows', 'audit', [DATA]);
  });
});
