/**
 * The administration pages as a province administrator works them in Chromium: the 机构与用户 page
 * (add an account, change its roles, disable another) and the 事项库 page (edit an item into a new
 * version, and a new item whose code the server refuses until it fits GB/T 39554.1). Each change is
 * checked where it lands: the API, the database and the audit log.
 */
import { assert } from 'chai';
import { after, afterEach, before, describe, it } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { WATER } from '../support/licensing.ts';
import { launch, screenshot, signIn, uiDir, type UserPage } from '../support/browser.ts';

/** The text box of an Element Plus input: the test id lands on the native input, or on a wrapper around it. */
const field = (page: Page, id: string) => page.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`).first();

describe('administration pages in Chromium', () => {
  let t: TestOffice;
  let browser: Browser;
  let admin: UserPage;
  const audit = async (action: string, subjectId: string) => t.office.ctx.db('audit_log').where({ action, subject_id: subjectId }).pluck('actor');

  before(async () => {
    t = await startOffice({ env: { UI_DIR: uiDir() } });
    browser = await launch();
    admin = await signIn(browser, t.url, 'jn.asc.admin');
  });
  afterEach(async function () {
    // a failure leaves what the page showed beside the screenshots, to read the cause
    if (this.currentTest?.state === 'failed' && admin) await screenshot(admin.page, `admin-failed-${this.currentTest.title.slice(0, 20)}`);
  });
  after(async () => {
    try {
      await browser?.close();
    } finally {
      await t?.close();
      await stopFeed();
    }
    assert.deepStrictEqual(admin?.errors ?? [], [], 'no uncaught errors in the page');
  });

  it('adds an account, changes its roles and disables another on the 机构与用户 page', async () => {
    const { page } = admin;
    await page.locator('header nav a', { hasText: '机构与用户' }).click();
    await page.getByTestId('users-page').waitFor();
    await page.locator('[data-testid="unit-tree"] .el-tree-node__content', { hasText: '(JN.WR)' }).click();
    await page.getByTestId('unit-selected').filter({ hasText: 'JN.WR' }).waitFor();
    await page.getByTestId('users-table').locator('tr', { hasText: 'jn.wr.reviewer' }).waitFor();

    await page.getByTestId('add-user').click();
    await field(page, 'user-username').fill('jn.wr.newcomer');
    await field(page, 'user-display-name').fill('新任承办人');
    await page.getByTestId('user-roles').locator('label', { hasText: '承办人' }).click();
    await page.getByTestId('user-save').click();
    const temporary = (await page.getByTestId('temporary-password').textContent())?.trim() ?? '';
    assert.match(temporary, /^Tmp-/, 'the one-time password is shown once');
    await page.locator('.el-dialog__footer button', { hasText: '关闭' }).last().click();
    const row = page.getByTestId('users-table').locator('tr', { hasText: 'jn.wr.newcomer' });
    await row.waitFor();
    assert.deepStrictEqual(await t.office.ctx.db('user_roles').where({ user_id: 'jn.wr.newcomer' }).pluck('role'), ['reviewer']);

    await row.locator('button', { hasText: '调整角色' }).click();
    await page.getByTestId('edit-roles').locator('label', { hasText: '科室负责人' }).click();
    await page.getByTestId('roles-save').click();
    await row.locator('.el-tag', { hasText: '科室负责人' }).waitFor();
    assert.deepStrictEqual((await t.office.ctx.db('user_roles').where({ user_id: 'jn.wr.newcomer' }).pluck('role')).sort(), ['reviewer', 'section_head']);
    assert.deepStrictEqual(await audit('user.roles-changed', 'jn.wr.newcomer'), ['jn.asc.admin']);

    // move the newcomer to the province's natural-resources department: a reason is asked for
    await row.getByTestId('edit-user').click();
    await field(page, 'edit-display-name').fill('新任承办人（自然资源）');
    await page.getByTestId('edit-unit').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '江南省自然资源厅' }).first().click();
    await field(page, 'edit-reason').fill('调往自然资源厅');
    await page.getByTestId('edit-save').click();
    await page.getByTestId('users-table').locator('tr', { hasText: 'jn.wr.newcomer' }).waitFor({ state: 'detached' });
    const moved = await t.office.ctx.db('users').where({ id: 'jn.wr.newcomer' }).first();
    assert.deepStrictEqual([moved.display_name, moved.unit_code], ['新任承办人（自然资源）', 'JN.NR']);
    assert.deepStrictEqual(await audit('user.moved', 'jn.wr.newcomer'), ['jn.asc.admin']);

    const target = page.getByTestId('users-table').locator('tr', { hasText: 'jn.wr.leader' });
    await target.locator('button', { hasText: '停用' }).click();
    await page.locator('.el-message-box__input input').fill('调离岗位');
    await page.locator('.el-message-box__btns button', { hasText: '停用' }).click();
    await target.locator('.el-tag', { hasText: '已停用' }).waitFor();
    assert.strictEqual(Boolean((await t.office.ctx.db('users').where({ id: 'jn.wr.leader' }).first('active')).active), false);
    assert.deepStrictEqual(await audit('user.disabled', 'jn.wr.leader'), ['jn.asc.admin']);
    await screenshot(page, 'admin-users');
  });

  it('edits an item into a new version and refuses a malformed new code on the 事项库 page', async () => {
    const { page } = admin;
    await page.locator('header nav a', { hasText: '事项库' }).click();
    await page.getByTestId('items-table').locator('tr', { hasText: WATER.item }).click();
    await page.getByTestId('item-heading').filter({ hasText: `${WATER.item} · v1` }).waitFor();
    await field(page, 'item-promised').fill('12');
    await field(page, 'item-promised').press('Tab');
    await page.getByTestId('item-save').click();
    await page.getByTestId('item-heading').filter({ hasText: `${WATER.item} · v2` }).waitFor();
    await page.getByTestId('item-versions').locator('tbody tr').nth(1).waitFor();
    const saved = await t.office.ctx.db('service_items').where({ code: WATER.item }).first('promised_limit_days', 'version');
    assert.deepStrictEqual([Number(saved.promised_limit_days), Number(saved.version)], [12, 2]);
    assert.deepStrictEqual(await audit('item.updated', WATER.item), ['jn.asc.admin']);

    await page.getByTestId('item-new').click();
    await field(page, 'item-code').fill('990117009000');
    await field(page, 'item-name').fill('取水许可（变更）');
    await field(page, 'item-body').fill('县级以上人民政府水行政主管部门');
    await field(page, 'item-basis').fill('《取水许可和水资源费征收管理条例》');
    await field(page, 'item-process').fill(WATER.process);
    await page.getByTestId('item-save').click();
    await page.locator('.el-form-item__error', { hasText: 'name no item type' }).waitFor();
    assert.strictEqual(await t.office.ctx.db('service_items').where({ code: '990117009000' }).first(), undefined, 'nothing written');
    await field(page, 'item-code').fill('000117009000');
    await page.getByTestId('item-save').click();
    await page.getByTestId('item-heading').filter({ hasText: '000117009000 · v1' }).waitFor();
    await waitFor('the new item in the list', async () => (await page.getByTestId('items-table').locator('tr', { hasText: '000117009000' }).count()) === 1);
    assert.deepStrictEqual(await audit('item.created', '000117009000'), ['jn.asc.admin']);
    await screenshot(page, 'admin-catalogue');
  });
});
