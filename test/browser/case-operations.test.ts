/**
 * Case-level operations on the case page in Chromium: a leader of the handling unit suspends a case
 * with a reason and resumes it; the reviewer who holds its step has the same page open and sees the
 * suspension arrive live, is refused when trying to decide, and sees it lifted. A special procedure
 * started from the page pauses the decision clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { Browser } from 'playwright-core';
import { login, type Client } from '../support/api.ts';
import { startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';
import { launch, screenshot, signIn, uiDir, type UserPage, closeAll } from '../support/browser.ts';

describe('case operations on the case page', () => {
  let t: TestOffice;
  let browser: Browser;
  const pages: UserPage[] = [];
  let windowClerk: Client;
  let reviewer: Client;
  let c: CaseJson;
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-browser-files-'));

  before(async () => {
    t = await startOffice({ env: { UI_DIR: uiDir(), DEADLINE_POLL_MS: '3600000', ATTACHMENTS_DIR: files } });
    browser = await launch();
    windowClerk = await login(t.url, 'jn-01-01.asc.window');
    reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    c = await submit(windowClerk, WATER.item, COUNTY);
    await decide(windowClerk, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    const task = await taskAt(reviewer, c.id, WATER.county);
    assert.strictEqual((await reviewer.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200);
  });
  after(async () => {
    try {
      await closeAll(browser, t, pages);
    } finally {
      fs.rmSync(files, { recursive: true, force: true });
    }
  });
  const open = async (username: string) => {
    const p = await signIn(browser, t.url, username);
    pages.push(p);
    await p.page.goto(`/cases/${c.id}`);
    await p.page.getByTestId('case-no').waitFor();
    return p;
  };

  it('a leader suspends and resumes; the holder sees it live and cannot decide meanwhile', async () => {
    const leader = await open('jn-01-01.wr.leader');
    const holder = await open('jn-01-01.wr.reviewer');
    await holder.page.getByTestId('decision-form').waitFor();
    assert.strictEqual(await holder.page.getByTestId('case-op-suspend').count(), 0, 'a reviewer is offered no suspension');

    await leader.page.getByTestId('case-op-suspend').click();
    await leader.page.getByTestId('case-op-reason').fill('申请人涉嫌提供虚假材料，待核查');
    await leader.page.getByTestId('case-op-confirm').click();
    await leader.page.getByTestId('suspended-banner').waitFor();
    await holder.page.locator('[data-testid="suspended-banner"]', { hasText: '申请人涉嫌提供虚假材料，待核查' }).waitFor({ timeout: 20_000 });
    const row = await t.office.ctx.db('cases').where({ id: c.id }).first('suspended_by', 'suspend_reason');
    assert.deepStrictEqual({ by: row.suspended_by, reason: row.suspend_reason }, { by: 'jn-01-01.wr.leader', reason: '申请人涉嫌提供虚假材料，待核查' });
    await screenshot(holder.page, 'case-suspended');

    // the holder tries to decide: refused with the reason
    await holder.page.getByTestId('decision-approve').click();
    await holder.page.getByTestId('opinion').fill('同意');
    await holder.page.getByTestId('submit-decision').click();
    await holder.page.locator('[data-testid="decision-form"]', { hasText: '挂起' }).waitFor();
    assert.strictEqual((await reviewer.get<{ state: string }>(`/api/tasks/${(await taskAt(reviewer, c.id, WATER.county)).userTaskKey}`)).body.state, 'open');

    await leader.page.getByTestId('case-op-resume').click();
    await leader.page.getByTestId('case-op-reason').fill('核查完毕，材料属实');
    await leader.page.getByTestId('case-op-confirm').click();
    await leader.page.getByTestId('suspended-banner').waitFor({ state: 'detached' });
    await holder.page.getByTestId('suspended-banner').waitFor({ state: 'detached', timeout: 20_000 });
    await holder.page.locator('[data-testid="timeline"]', { hasText: '核查完毕，材料属实' }).waitFor();
    assert.strictEqual((await t.office.ctx.db('case_events').where({ case_id: c.id, type: 'case.resumed' }).count({ n: '*' }))[0]?.n, 1);
  });

  it('a head starts a special procedure from the page: the decision clock pauses', async () => {
    const head = await open('jn-01-01.wr.head');
    await head.page.getByTestId('case-op-pause').click();
    await head.page.getByTestId('case-op-reason').fill('组织专家评审水资源论证报告');
    await head.page.getByTestId('case-op-confirm').click();
    await head.page.getByTestId('case-op-resumeClock').waitFor();
    const k = await waitFor('paused', async () => (await t.office.ctx.db('clocks').where({ id: `case:${c.id}` }).first('state'))?.state === 'paused');
    assert.ok(k);
    await head.page.locator('[data-testid="deadline-card"]', { hasText: '中止' }).waitFor();
    await head.page.getByTestId('case-op-resumeClock').click();
    await head.page.getByTestId('case-op-confirm').click();
    await head.page.getByTestId('case-op-pause').waitFor();
    assert.strictEqual((await t.office.ctx.db('clocks').where({ id: `case:${c.id}` }).first('state'))?.state, 'running');
  });

  it('the holder uploads an attachment to the step; a forbidden file is refused with the reason', async () => {
    const holder = await open('jn-01-01.wr.reviewer');
    await holder.page.getByTestId('attachments-card').waitFor();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    await holder.page.getByTestId('attachment-input').setInputFiles({ name: '现场核查记录.pdf', mimeType: 'application/pdf', buffer: pdf });
    await holder.page.locator('[data-testid="attachments-card"]', { hasText: '现场核查记录.pdf' }).waitFor();
    const row = await t.office.ctx.db('attachments').where({ case_id: c.id }).first('name', 'uploaded_by', 'user_task_key', 'media_type');
    assert.deepInclude(row, { name: '现场核查记录.pdf', uploaded_by: 'jn-01-01.wr.reviewer', media_type: 'application/pdf' });
    assert.ok(row.user_task_key, 'attached to the step the reviewer holds');
    await holder.page.getByTestId('attachment-input').setInputFiles({ name: '伪装.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(32)]) });
    await holder.page.locator('.el-message--error', { hasText: '文件类型不在允许范围内' }).first().waitFor();
    assert.strictEqual(Number((await t.office.ctx.db('attachments').where({ case_id: c.id }).count({ n: '*' }))[0]?.n), 1, 'the refused file was not stored');
  });
});
