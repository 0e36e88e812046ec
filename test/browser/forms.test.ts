/**
 * Forms in Chromium (issue 15): a province administrator designs a field of the water permit's
 * application form with the form-js editor beside the catalogue entry; the county window files a
 * case with it on the 收件登记 page (the viewer refuses an empty required field before anything is
 * sent) and sees the filed value on the case page.
 */
import { assert } from 'chai';
import { after, afterEach, before, describe, it } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { WATER } from '../support/licensing.ts';
import { closeAll, launch, screenshot, signIn, uiDir, type UserPage } from '../support/browser.ts';

const field = (page: Page, id: string) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

describe('forms in Chromium: design a field, file a case with it', () => {
  let t: TestOffice;
  let browser: Browser;
  const pages: UserPage[] = [];

  before(async () => {
    t = await startOffice({ env: { UI_DIR: uiDir() } });
    browser = await launch();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const [i, p] of pages.entries()) await screenshot(p.page, `forms-failed-${i}`);
  });
  after(async () => {
    await closeAll(browser, t, pages);
  });

  it('designs a required field in the form-js editor and saves it as a new item version', async () => {
    const admin = await signIn(browser, t.url, 'jn.asc.admin');
    pages.push(admin);
    const { page } = admin;
    await page.goto('/admin/catalogue');
    await page.getByTestId('items-table').locator('tr', { hasText: WATER.item }).click();
    await page.getByTestId('item-heading').filter({ hasText: WATER.item }).waitFor();
    const before = Number((await t.office.ctx.db('service_items').where({ code: WATER.item }).first('version')).version);
    await page.getByTestId('item-form-design').click();
    const editor = page.getByTestId('form-editor');
    const palette = editor.locator('.fjs-palette-field[data-field-type="textfield"]');
    await palette.waitFor();
    // the palette adds a field on Enter as well as by dragging (form-js PaletteEntry)
    await palette.focus();
    await page.keyboard.press('Enter');
    await editor.locator('.fjs-form-field-textfield').last().click();
    // the properties panel's groups may start collapsed: open one only if its entry is hidden
    const open = async (group: string, entry: string) => {
      const input = editor.locator(entry);
      await input.waitFor({ state: 'attached' });
      if (!(await input.isVisible())) await editor.locator(`[data-group-id="group-${group}"] .bio-properties-panel-group-header`).click();
      await input.waitFor();
      return input;
    };
    const key = await open('general', '#bio-properties-panel-key');
    await key.fill('place');
    const label = editor.locator('[data-entry-id="label"] [contenteditable="true"]');
    await label.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('取水地点');
    await (await open('validation', '#bio-properties-panel-required')).check();
    await page.getByTestId('item-form-summary').filter({ hasText: '共 1 个字段' }).waitFor();
    await screenshot(page, 'forms-editor');
    await page.getByTestId('item-save').click();
    const saved = await waitFor('the form saved with the item', async () => {
      const r = await t.office.ctx.db('service_items').where({ code: WATER.item }).first('version', 'application_form');
      return r?.application_form && Number(r.version) > before ? r : null;
    });
    const components = (JSON.parse(String(saved.application_form)) as { components: Array<{ type: string; key?: string; label?: string; validate?: { required?: boolean } }> }).components;
    assert.deepStrictEqual(
      components.map((c) => [c.type, c.key, c.label, c.validate?.required]),
      [['textfield', 'place', '取水地点', true]],
    );
    assert.deepStrictEqual(await t.office.ctx.db('audit_log').where({ action: 'item.updated', subject_id: WATER.item }).pluck('actor'), ['jn.asc.admin']);
  });

  it('files a case with the form at the window and shows the filed value on the case page', async () => {
    const window = await signIn(browser, t.url, 'jn-01-01.asc.window');
    pages.push(window);
    const { page } = window;
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-page').waitFor();
    await page.getByTestId('intake-item').click();
    await page.locator('.el-select-dropdown__item', { hasText: WATER.item }).click();
    await field(page, 'intake-name').fill('张三');
    await field(page, 'intake-id').fill('11010519491231002X');
    await field(page, 'intake-phone').fill('13800138000');
    const place = page.locator('[data-testid="intake-form"] input.fjs-input').first();
    await place.waitFor();
    const count = async () => Number((await t.office.ctx.db('cases').count({ n: '*' }))[0]?.n);
    const filedBefore = await count();
    await page.getByTestId('intake-submit').click();
    await page.locator('[data-testid="intake-form"] .fjs-form-field-error').first().waitFor();
    assert.strictEqual(await count(), filedBefore, 'the viewer kept the empty required field from being sent');
    await place.fill('东河村二号取水口');
    await page.getByTestId('intake-submit').click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() as string;
    const row = await t.office.ctx.db('cases').where({ id }).first('form_data');
    assert.deepStrictEqual(JSON.parse(String(row.form_data)), { place: '东河村二号取水口' });
    const shown = page.locator('[data-testid="application-form"] input.fjs-input').first();
    await shown.waitFor();
    assert.strictEqual(await shown.inputValue(), '东河村二号取水口');
    assert.include(await page.getByTestId('application-form').innerText(), '取水地点');
    await screenshot(page, 'forms-case-page');
  });
});
