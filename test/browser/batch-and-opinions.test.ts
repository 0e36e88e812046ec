/**
 * The queue's 批量审批 and the decision form's 常用意见 in Chromium (issue 12): a county reviewer
 * selects three tasks of one step, picks a common opinion, approves them in one go and sees each
 * task's outcome — the one a colleague claimed meanwhile listed as failed; on the case page the form
 * refuses a submission without a chosen decision, and keeps the opinion written as a common one; in
 * the designer a step's 超时自动处理 is a choice of its own in the properties panel.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { login, type Client } from '../support/api.ts';
import { startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { addUser } from '../support/users.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson, type TaskJson } from '../support/licensing.ts';
import { closeAll, launch, signIn, uiDir, type UserPage } from '../support/browser.ts';

describe('batch approval and common opinions in Chromium', () => {
  let t: TestOffice;
  let browser: Browser;
  const pages: UserPage[] = [];
  let windowClerk: Client;
  let reviewer: Client;
  let reviewer2: Client;

  before(async () => {
    t = await startOffice({ env: { UI_DIR: uiDir(), ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    await addUser(t.office.ctx.db, 'jn-01-01.wr.reviewer2', 'JN-01-01.WR', ['reviewer']);
    browser = await launch();
    windowClerk = await login(t.url, 'jn-01-01.asc.window');
    reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    reviewer2 = await login(t.url, 'jn-01-01.wr.reviewer2');
  });
  after(async () => {
    await closeAll(browser, t, pages);
  });

  async function atCountyReview(): Promise<{ c: CaseJson; task: TaskJson }> {
    const c = await submit(windowClerk, WATER.item, COUNTY);
    await decide(windowClerk, c.id, WATER.window, 'accept', '受理');
    return { c, task: await taskAt(reviewer, c.id, WATER.county) };
  }
  const taskOf = async (key: string) => (await reviewer.get<TaskJson & { decision: string | null; opinion: string | null; completedBy: string | null }>(`/api/tasks/${key}`)).body;

  it('批量审批: one decision and opinion for three tasks of one step, each outcome listed', async () => {
    const three = [await atCountyReview(), await atCountyReview(), await atCountyReview()];
    assert.strictEqual((await reviewer.post('/api/opinions', { text: '经审查，材料齐全，同意上报' })).status, 201);
    const p = await signIn(browser, t.url, 'jn-01-01.wr.reviewer');
    pages.push(p);
    const page = p.page;
    await page.goto('/tasks');
    await page.getByRole('tab', { name: /可认领任务/ }).click();
    for (const { c } of three) {
      const row = page.getByTestId('queue-table').locator('tr', { hasText: c.caseNo });
      await row.locator('.el-checkbox').click();
    }
    await page.getByTestId('batch-bar').getByText('已选 3 件').waitFor();
    // a colleague takes one of them up before the batch is sent: that one fails, the others go on
    assert.strictEqual((await reviewer2.post(`/api/tasks/${three[2]!.task.userTaskKey}/claim`)).status, 200);
    await page.getByTestId('batch-open').click();
    await page.getByTestId('batch-submit').click();
    await page.getByTestId('batch-dialog').getByText('请选择办理结论').waitFor();
    await page.getByTestId('batch-decision-approve').click();
    await page.getByTestId('batch-dialog').getByTestId('common-opinions').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '经审查，材料齐全，同意上报' }).click();
    assert.strictEqual(await page.getByTestId('batch-opinion').inputValue(), '经审查，材料齐全，同意上报');
    await page.getByTestId('batch-submit').click();
    await page.getByTestId('batch-results').getByText('成功 2 件，失败 1 件').waitFor();
    for (const { task } of three.slice(0, 2)) await page.getByTestId(`batch-ok-${task.userTaskKey}`).waitFor();
    const failed = page.getByTestId(`batch-failed-${three[2]!.task.userTaskKey}`);
    await failed.waitFor();
    assert.include(await failed.innerText(), '已由他人认领', 'claimed by the colleague: not the reviewer’s to decide (403)');

    for (const { task } of three.slice(0, 2)) {
      const done = await taskOf(task.userTaskKey);
      assert.deepInclude(done, { state: 'completed', decision: 'approve', opinion: '经审查，材料齐全，同意上报', completedBy: 'jn-01-01.wr.reviewer' });
    }
    const untouched = await taskOf(three[2]!.task.userTaskKey);
    assert.deepInclude(untouched, { state: 'open', assignee: 'jn-01-01.wr.reviewer2' });
  });

  it('the decision form has no decision chosen beforehand, refuses to submit without one, and saves a common opinion', async () => {
    const { c, task } = await atCountyReview();
    assert.strictEqual((await reviewer.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200);
    const p = await signIn(browser, t.url, 'jn-01-01.wr.reviewer');
    pages.push(p);
    const page = p.page;
    await page.goto(`/cases/${c.id}`);
    const form = page.getByTestId('decision-form');
    await form.waitFor();
    assert.strictEqual(await form.locator('.el-radio.is-checked').count(), 0, 'no decision preselected');
    await page.getByTestId('opinion').fill('取水用途与规划相符，同意');
    await page.getByTestId('submit-decision').click();
    await form.getByRole('alert').getByText('请选择办理结论').waitFor();
    assert.strictEqual((await taskOf(task.userTaskKey)).state, 'open', 'nothing sent');

    await page.getByTestId('save-common-opinion').click();
    await waitFor('the common opinion saved', async () => (await reviewer.get<{ items: Array<{ text: string }> }>('/api/opinions')).body.items.some((o) => o.text === '取水用途与规划相符，同意'));
    // picked from the list, it fills the opinion again
    await page.getByTestId('opinion').fill('');
    await form.getByTestId('common-opinions').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '取水用途与规划相符，同意' }).click();
    assert.strictEqual(await page.getByTestId('opinion').inputValue(), '取水用途与规划相符，同意');
    await page.getByTestId('decision-approve').click();
    await page.getByTestId('submit-decision').click();
    const done = await waitFor('decided', async () => {
      const r = await taskOf(task.userTaskKey);
      return r.state === 'completed' ? r : null;
    });
    assert.deepInclude(done, { decision: 'approve', opinion: '取水用途与规划相符，同意' });
  });

  it('the designer sets a step’s 超时自动处理 in the properties panel, written as its step setting', async () => {
    const p = await signIn(browser, t.url, 'jn.wr.designer');
    pages.push(p);
    const page = p.page;
    await page.goto('/designer');
    await page.getByTestId('file-water-abstraction-permit.bpmn').click();
    await page.locator('[data-element-id="county_review"]').first().click();
    const group = page.locator('[data-group-id="group-licence-desk-timeout"]');
    await group.locator('.bio-properties-panel-group-header', { hasText: '超时自动处理' }).click();
    const select = page.locator('#bio-properties-panel-timeoutAction');
    await select.waitFor();
    assert.strictEqual(await select.inputValue(), 'remind', 'today’s behaviour by default');
    assert.includeMembers(await select.locator('option').allTextContents(), ['仅提醒（默认）', '自动通过', '自动通过，结论：approve', '自动退回上一环节']);
    await select.selectOption('return');
    await page.getByRole('button', { name: '保存草稿' }).click();
    const designer = await login(t.url, 'jn.wr.designer');
    const draft = await waitFor('the draft saved', async () => {
      const r = await designer.get<{ xml: string }>('/api/processes/drafts/water_abstraction_permit');
      return r.status === 200 ? r.body : null;
    });
    const review = /<bpmn:userTask id="county_review"[\s\S]*?<\/bpmn:userTask>/.exec(draft.xml)?.[0] ?? '';
    assert.match(review, /<camunda:property name="timeoutAction" value="return" \/>/, 'among the step settings the back office reads');
    // back to the default: the property goes away
    await select.selectOption('remind');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await waitFor('the default saved', async () => !(await designer.get<{ xml: string }>('/api/processes/drafts/water_abstraction_permit')).body.xml.includes('timeoutAction'));
  });
});
