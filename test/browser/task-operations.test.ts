/**
 * The task operations from the case page in Chromium (issue 12): a county reviewer transfers (转办)
 * the step to a colleague; the colleague decides it, takes it back (撤回) while the city has not
 * taken it up, and returns (退回) the case to the window; a reviewer adds the section head as a
 * signer before deciding (加签), the head signs from the case page and the step comes back. Each is
 * checked against the API.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { login, type Client } from '../support/api.ts';
import { startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { addUser } from '../support/users.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';
import { launch, screenshot, signIn, uiDir, type UserPage, closeAll } from '../support/browser.ts';

describe('task operations on the case page in Chromium', () => {
  let t: TestOffice;
  let browser: Browser;
  const pages: UserPage[] = [];
  let windowClerk: Client;
  let api: Client;

  before(async () => {
    t = await startOffice({ env: { UI_DIR: uiDir(), ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    await addUser(t.office.ctx.db, 'jn-01-01.wr.reviewer2', 'JN-01-01.WR', ['reviewer']);
    browser = await launch();
    windowClerk = await login(t.url, 'jn-01-01.asc.window');
    api = await login(t.url, 'jn-01-01.wr.reviewer');
  });
  after(async () => {
    await closeAll(browser, t, pages);
  });

  const openCase = async (username: string, caseId: string): Promise<Page> => {
    const p = await signIn(browser, t.url, username);
    pages.push(p);
    await p.page.goto(`/cases/${caseId}`);
    await p.page.getByTestId('case-no').waitFor();
    return p.page;
  };
  const openSteps = async (caseId: string) => (await windowClerk.get<CaseJson>(`/api/cases/${caseId}`)).body.currentSteps;

  it('转办, then 撤回 and 退回, each from the case page', async () => {
    const c = await submit(windowClerk, WATER.item, COUNTY);
    await decide(windowClerk, c.id, WATER.window, 'accept', '受理');
    const county = await taskAt(api, c.id, WATER.county);

    // 转办: the reviewer claims the step and hands it to a colleague of the same unit
    const a = await openCase('jn-01-01.wr.reviewer', c.id);
    await a.getByTestId(`step-${WATER.county}`).getByTestId('claim').click();
    await a.getByTestId('op-transfer').click();
    await a.getByTestId('op-person').click();
    await a.locator('.el-select-dropdown__item', { hasText: 'jn-01-01.wr.reviewer2' }).click();
    await a.getByTestId('op-reason').fill('承办人出差，转同科室办理');
    await a.getByTestId('op-submit').click();
    await waitFor('the step transferred', async () => (await api.get<{ assignee: string }>(`/api/tasks/${county.userTaskKey}`)).body.assignee === 'jn-01-01.wr.reviewer2');
    await a.getByTestId('op-transfer').waitFor({ state: 'detached' });

    // the colleague decides it; the city has not taken it up, so it may be taken back (撤回)
    const b = await openCase('jn-01-01.wr.reviewer2', c.id);
    await b.getByTestId('decision-approve').click();
    await b.getByTestId('opinion').fill('同意');
    await b.getByTestId('submit-decision').click();
    await waitFor('the city step open', async () => (await openSteps(c.id)).some((s) => s.elementId === WATER.city));
    await b.getByTestId('op-withdraw').click();
    await b.locator('.el-message-box input').fill('发现取水量填写有误');
    await b.locator('.el-message-box__btns .el-button--primary').click();
    const reopened = await waitFor('the county step open again', async () => (await openSteps(c.id)).find((s) => s.elementId === WATER.county));
    assert.notStrictEqual(reopened.userTaskKey, county.userTaskKey);
    assert.strictEqual((await api.get<{ assignee: string }>(`/api/tasks/${reopened.userTaskKey}`)).body.assignee, 'jn-01-01.wr.reviewer2', 'back with whoever took it back');
    assert.isFalse((await openSteps(c.id)).some((s) => s.elementId === WATER.city));

    // 退回 to the window, from the reopened step
    await b.getByTestId('op-return').click();
    await b.getByTestId(`target-${WATER.window}`).click();
    await b.getByTestId('op-reason').fill('申请书缺少法定代表人签字');
    await b.getByTestId('op-submit').click();
    const windowAgain = await waitFor('the window step open again', async () => (await openSteps(c.id)).find((s) => s.elementId === WATER.window));
    assert.strictEqual((await windowClerk.get<{ assignee: string }>(`/api/tasks/${windowAgain.userTaskKey}`)).body.assignee, 'jn-01-01.asc.window');
    const timeline = (await windowClerk.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline.map((e) => e.type);
    for (const type of ['task.transferred', 'task.withdrawn', 'task.returned']) assert.strictEqual(timeline.filter((x) => x === type).length, 1, type);
    await b.locator('.el-timeline', { hasText: '退回' }).waitFor();
    await screenshot(b, 'task-operations');
  });

  it('加签 from the case page: the section head signs first and the step comes back to the reviewer', async () => {
    const c = await submit(windowClerk, WATER.item, COUNTY);
    await decide(windowClerk, c.id, WATER.window, 'accept', '受理');
    const county = await taskAt(api, c.id, WATER.county);
    const a = await openCase('jn-01-01.wr.reviewer', c.id);
    await a.getByTestId(`step-${WATER.county}`).getByTestId('claim').click();
    await a.getByTestId('op-add-signer').click();
    await a.getByTestId('position-before').click();
    await a.getByTestId('signer-person').click();
    await a.locator('.el-select-dropdown__item', { hasText: 'jn-01-01.wr.head' }).click();
    await a.getByTestId('signer-reason').fill('涉及水源保护区，请科长先行把关');
    await a.getByTestId('signer-submit').click();
    await waitFor('the head holds the step as signer', async () => {
      const task = (await api.get<{ assignee: string; signPosition: string | null }>(`/api/tasks/${county.userTaskKey}`)).body;
      return task.assignee === 'jn-01-01.wr.head' && task.signPosition === 'before';
    });
    await a.getByTestId('op-add-signer').waitFor({ state: 'detached' });

    const h = await openCase('jn-01-01.wr.head', c.id);
    await h.getByTestId('sign-note').waitFor();
    await h.getByTestId('op-resolve').click();
    await h.getByTestId('op-reason').fill('已核对保护区范围，同意');
    await h.getByTestId('op-submit').click();
    await waitFor('the step back with the reviewer', async () => (await api.get<{ assignee: string; owner: string | null }>(`/api/tasks/${county.userTaskKey}`)).body.owner === null);
    assert.strictEqual((await api.get<{ assignee: string }>(`/api/tasks/${county.userTaskKey}`)).body.assignee, 'jn-01-01.wr.reviewer');
    const timeline = (await windowClerk.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline.map((e) => e.type);
    for (const type of ['task.signer_added', 'task.signed']) assert.strictEqual(timeline.filter((x) => x === type).length, 1, type);
    await a.reload();
    await a.getByTestId('decision-form').waitFor();
    await a.locator('.el-timeline', { hasText: '加签意见' }).waitFor();
  });
});
