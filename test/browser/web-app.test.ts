/**
 * The web app as its users work it, in Debian's Chromium against a real back office (SQLite) and the
 * test broker: a designer edits a process, meets a lint error, fixes it and deploys; a clerk sees a
 * task arrive live, claims it and decides with an opinion; a supervisor watches a case turn red and
 * urges, and the clerk's open case page shows the urging as it happens.
 *
 * The back office runs on a controlled clock that starts on a fixed 2026 working day, so the legal
 * clocks can be walked past their due dates without waiting (and within published calendar years).
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { login, type Client } from '../support/api.ts';
import { ManualClock, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, WATER } from '../support/licensing.ts';
import { endOfBeijingDay } from '../../backend/modules/calendar/index.ts';
import { launch, screenshot, signIn, uiDir, type UserPage, closeAll } from '../support/browser.ts';

const START = '2026-11-02T10:00:00+08:00'; // a Monday

describe('the web app in Chromium', () => {
  let t: TestOffice;
  let browser: Browser;
  const clock = new ManualClock(Date.parse(START));
  const pages: UserPage[] = [];
  let windowClerk: Client;
  let reviewer: Client;

  before(async () => {
    t = await startOffice({ clock, env: { UI_DIR: uiDir(), DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    browser = await launch();
    windowClerk = await login(t.url, 'jn-01-01.asc.window');
    reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
  });
  after(async () => {
    await closeAll(browser, t, pages);
  });
  const open = async (username: string) => {
    const p = await signIn(browser, t.url, username);
    pages.push(p);
    return p;
  };

  it('a designer edits a process, sees the lint error first, fixes it and deploys', async () => {
    const { page } = await open('jn.wr.designer');
    await page.goto('/designer');
    await page.getByTestId('file-water-abstraction-permit.bpmn').click();
    await page.locator('[data-element-id="county_review"]').first().waitFor();

    // a pilot copy under its own id, so the running 取水许可 stays as it is
    await page.locator('.djs-container svg').first().click({ position: { x: 700, y: 40 } });
    const id = page.locator('#bio-properties-panel-id');
    if (!(await id.isVisible())) await page.locator('[data-group-id="group-general"] .bio-properties-panel-group-header').click();
    await id.fill('water_permit_pilot');
    await id.press('Tab');
    await page.locator('.bar code', { hasText: 'water_permit_pilot' }).waitFor();

    // make the county review a service task: the engine needs an implementation for it
    await page.locator('[data-element-id="county_review"]').first().click();
    await page.locator('.djs-context-pad [data-action="replace"]').click();
    await page.locator('.djs-popup [data-id="replace-with-service-task"]').click();
    await page.getByTestId('lint').click();
    const errors = page.locator('[data-testid="problems"] li.error');
    await errors.first().waitFor();
    assert.ok((await errors.count()) >= 1);
    assert.match((await errors.allTextContents()).join('\n'), /县级初审|county_review/);
    assert.match((await errors.allTextContents()).join('\n'), /服务任务必须填写「实现方式」/, 'the lint message in Chinese');

    // deploying now is refused before anything reaches the engine
    await page.getByTestId('deploy').click();
    await page.locator('.el-message--error').first().waitFor();
    const before = (await reviewer.get<{ items: Array<{ bpmnProcessId: string }> }>('/api/processes')).body.items;
    assert.ok(!before.some((d) => d.bpmnProcessId === 'water_permit_pilot'));

    // the problem leads to its field in the properties panel: fix it, check again (warnings may stay), deploy
    await errors.first().locator('button').click();
    const implementation = page.locator('#bio-properties-panel-implementationType');
    await implementation.waitFor();
    await implementation.selectOption('external');
    const topic = page.locator('#bio-properties-panel-externalTopic');
    await topic.waitFor();
    await topic.fill('pilot-review');
    await topic.press('Tab');
    await page.getByTestId('lint').click();
    await waitFor('no lint errors', async () => (await errors.count()) === 0, 10_000);
    await page.getByTestId('deploy').click();
    await page.locator('.ld-deployed', { hasText: 'water_permit_pilot' }).waitFor();
    const deployed = await waitFor('the deployment listed', async () => (await reviewer.get<{ items: Array<{ bpmnProcessId: string; version: number }> }>('/api/processes')).body.items.find((d) => d.bpmnProcessId === 'water_permit_pilot'));
    assert.strictEqual(deployed.version, 1);
    await page.getByTestId('deployed-water_permit_pilot-1').waitFor();
    await screenshot(page, 'designer');
  });

  it('a clerk sees a new task appear live, claims it and decides with an opinion', async () => {
    const { page } = await open('jn-01-01.wr.reviewer');
    await page.waitForURL(/\/tasks$/);
    await page.evaluate(() => Object.assign(window, { __sameLoad: true }));
    const c = await submit(windowClerk, WATER.item, COUNTY);
    await decide(windowClerk, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    const task = await taskAt(reviewer, c.id, WATER.county);

    await page.getByTestId('new-tasks').waitFor({ timeout: 20_000 });
    await page.getByTestId('new-tasks').getByRole('button').click();
    await page.getByTestId(`claim-${task.userTaskKey}`).waitFor();
    assert.strictEqual(await page.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad), true, 'no reload: the task came over the socket');
    await screenshot(page, 'queue');
    await page.getByTestId(`claim-${task.userTaskKey}`).click();
    await waitFor('claimed', async () => (await reviewer.get<{ assignee: string | null }>(`/api/tasks/${task.userTaskKey}`)).body.assignee === 'jn-01-01.wr.reviewer');

    await page.getByRole('link', { name: c.caseNo }).first().click();
    await page.getByTestId('decision-form').waitFor();
    await page.getByTestId('decision-approve').click();
    await page.getByTestId('opinion').fill('经审查，申请材料真实完整，同意上报市级审查。');
    await page.getByTestId('submit-decision').click();
    const done = await waitFor('completed', async () => {
      const r = await reviewer.get<{ state: string; decision: string | null; opinion: string | null }>(`/api/tasks/${task.userTaskKey}`);
      return r.body.state === 'completed' ? r.body : null;
    });
    assert.strictEqual(done.decision, 'approve');
    assert.strictEqual(done.opinion, '经审查，申请材料真实完整，同意上报市级审查。');
    await page.locator('[data-testid="timeline"]', { hasText: '经审查，申请材料真实完整' }).waitFor();
  });

  it('a supervisor sees a case turn red and urges; the clerk’s case page shows the urging live', async () => {
    const c = await submit(windowClerk, WATER.item, COUNTY);
    await decide(windowClerk, c.id, WATER.window, 'accept', '予以受理');
    const task = await taskAt(reviewer, c.id, WATER.county);
    assert.strictEqual((await reviewer.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200);

    const clerk = await open('jn-01-01.wr.reviewer');
    await clerk.page.goto(`/cases/${c.id}`);
    await clerk.page.getByTestId('decision-form').waitFor();
    const sup = await open('jn-01.sup.supervisor');
    await sup.page.waitForURL(/\/board$/);
    const supervisor = await login(t.url, 'jn-01.sup.supervisor');

    // past the statutory due date: yellow; a 督办 order left unanswered past its reply-by day: red
    const due = (await windowClerk.get<{ clocks: Array<{ kind: string; dueOn: string }> }>(`/api/cases/${c.id}/clock`)).body.clocks.find((k) => k.kind === 'decision');
    assert.ok(due);
    clock.set(new Date(endOfBeijingDay(due.dueOn) + 3600_000).toISOString());
    await t.office.deadlines.tick();
    const replyBy = new Date(endOfBeijingDay(due.dueOn) + 86400_000).toISOString().slice(0, 10);
    const order = await supervisor.post(`/api/cases/${c.id}/supervision-orders`, { unitCode: 'JN-01-01.WR', instructions: '请说明超期原因，限期办结', replyBy });
    assert.strictEqual(order.status, 201, JSON.stringify(order.body));
    clock.set(new Date(endOfBeijingDay(replyBy) + 3600_000).toISOString());
    await t.office.deadlines.tick();

    const row = sup.page.getByTestId('board-table').locator('tr', { hasText: c.caseNo }).filter({ has: sup.page.locator('[data-level="red"]') });
    await row.first().waitFor({ timeout: 20_000 });
    assert.ok(Number((await sup.page.getByTestId('count-red').innerText()).replace(/\D+/g, '')) >= 1);
    await screenshot(sup.page, 'board');

    const message = '督办件已超期，请今日内办结并报告。';
    await row.first().getByTestId(`urge-${c.caseNo}`).click();
    await sup.page.getByTestId('urge-message').fill(message);
    await sup.page.getByTestId('urge-send').click();
    await clerk.page.getByTestId('urging-banner').filter({ hasText: message }).waitFor({ timeout: 20_000 });
    await screenshot(clerk.page, 'case');
  });
});
