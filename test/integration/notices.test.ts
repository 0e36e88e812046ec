/**
 * Written notices at their moments, on a controlled clock across National Day 2026: 补正 and
 * 受理 at the window, 特别程序 and 延期 by the handling unit, 不予受理, 准予 and 不予 decisions. Each is
 * read back from its PDF (pdftotext) for its dates, names and reasons, pictured (test-results/notices/),
 * on the timeline, kept with its hash, and downloadable by the handlers and the applicant only.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, request, type Client } from '../support/api.ts';
import { ManualClock, startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { applicant, COUNTY, decide, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';
import { pdfText, screenshotFirstPage, squash } from '../support/pdf.ts';

interface NoticeJson {
  id: number;
  kind: string;
  title: string;
  sha256: string;
  issuedOn: string;
}

describe('written notices at their moments', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.parse('2026-09-30T10:00:00+08:00'));
  const u = {} as Record<'window' | 'reviewer' | 'head' | 'leader' | 'cityReviewer' | 'provinceLeader' | 'supervisor' | 'admin', Client>;
  let a: CaseJson;
  let codeA = '';
  const notices = async (caseId: string) => (await u.window.get<{ items: NoticeJson[] }>(`/api/cases/${caseId}/notices`)).body.items;
  const noticeOf = (caseId: string, kind: string) => waitFor(`a ${kind} notice for ${caseId}`, async () => (await notices(caseId)).find((n) => n.kind === kind));
  /** downloads the notice as its handler, checks the hash, reads it back and pictures it */
  async function read(caseId: string, kind: string): Promise<{ text: string; notice: NoticeJson; pdf: Buffer }> {
    const notice = await noticeOf(caseId, kind);
    const res = await fetch(`${t.url}/api/cases/${caseId}/notices/${notice.id}/pdf`, { headers: { authorization: `Bearer ${u.window.token}` } });
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.headers.get('content-type'), 'application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.strictEqual(createHash('sha256').update(pdf).digest('hex'), notice.sha256, 'the PDF is the one kept under its hash');
    const png = screenshotFirstPage(pdf, kind);
    assert.isAbove(fs.statSync(png).size, 5000, 'a rendered first page');
    return { text: squash(pdfText(pdf)), notice, pdf };
  }

  before(async () => {
    t = await startOffice({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000', PUBLIC_BASE_URL: 'https://zwfw.example.gov.cn' } });
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    u.head = await login(t.url, 'jn-01-01.wr.head');
    u.leader = await login(t.url, 'jn-01-01.wr.leader');
    u.cityReviewer = await login(t.url, 'jn-01.wr.reviewer');
    u.provinceLeader = await login(t.url, 'jn.wr.leader');
    u.supervisor = await login(t.url, 'jn-01.sup.supervisor');
    u.admin = await login(t.url, 'jn.asc.admin');
    a = await submit(u.window, WATER.item, COUNTY);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('补正: one notice listing everything missing, dated the day it was asked', async () => {
    const done = (await decide(u.window, a.id, WATER.window, 'correct', '建设项目水资源论证报告书\n取水工程平面布置图')) as unknown as { queryCode?: string };
    codeA = String(done.queryCode);
    const { text } = await read(a.id, 'correction');
    for (const s of ['补正材料通知书', a.caseNo, applicant.name, '取水许可', '1.建设项目水资源论证报告书', '2.取水工程平面布置图', '示范市一区政务服务中心', '2026年9月30日']) assert.include(text, s);
    assert.notInclude(text, applicant.idNumber, 'a notice names the applicant, nothing more');
  });

  it('受理: the acceptance notice states the promised and legal due dates across National Day', async () => {
    await waitFor('the case waiting for supplements', async () => (await u.window.get<CaseJson>(`/api/cases/${a.id}`)).body.awaiting === WATER.awaitSupplements);
    assert.strictEqual((await u.window.post(`/api/cases/${a.id}/supplements`, { materials: [{ name: '建设项目水资源论证报告书' }, { name: '取水工程平面布置图' }] })).status, 200);
    await decide(u.window, a.id, WATER.window, 'accept', '材料齐全');
    const { text } = await read(a.id, 'acceptance');
    // 10/1–7 off, 10/10 a make-up working day: 15 promised working days end 10/27, 20 legal ones 11/3
    for (const s of ['受理通知书', a.caseNo, applicant.name, '受理日期为2026年9月30日', '2026年10月27日前作出决定', '法定期限截止日为2026年11月3日', 'https://zwfw.example.gov.cn/q?no=' + a.caseNo]) assert.include(text, s);
  });

  it('特别程序: what, why and how long, on the day it starts', async () => {
    await taskAt(u.reviewer, a.id, WATER.county);
    clock.set('2026-10-12T09:00:00+08:00');
    assert.strictEqual((await u.head.post(`/api/cases/${a.id}/clock/pause`, { reason: '组织专家评审水资源论证报告', expectedDays: 5 })).status, 200);
    const { text } = await read(a.id, 'special_procedure');
    for (const s of ['特别程序告知书', '因组织专家评审水资源论证报告', '预计需要5个工作日', '自2026年10月12日开始', '2026年10月12日']) assert.include(text, s);
    clock.set('2026-10-16T17:00:00+08:00');
    assert.strictEqual((await u.head.post(`/api/cases/${a.id}/clock/resume`)).status, 200);
  });

  it('延期: the extension notice gives the reason and the new due date', async () => {
    clock.set('2026-10-19T09:00:00+08:00');
    assert.strictEqual((await u.leader.post(`/api/cases/${a.id}/clock/extend`, { days: 10, reason: '涉及跨区域取水需补充论证' })).status, 200);
    const { text } = await read(a.id, 'extension');
    // 11/3 + 4 working days paused + 10 extended = 11/23
    for (const s of ['延长审查期限通知书', '因涉及跨区域取水需补充论证', '延长10个工作日', '截止日为2026年11月23日', '2026年10月19日']) assert.include(text, s);
  });

  it('不予许可: the refusal carries its reasons and the rights to 行政复议 (60 days) and 行政诉讼 (6 months)', async () => {
    clock.set('2026-11-02T10:00:00+08:00');
    await decide(u.reviewer, a.id, WATER.county, 'approve');
    await decide(u.cityReviewer, a.id, WATER.city, 'approve');
    await decide(u.provinceLeader, a.id, WATER.province, 'refuse', '取水口位于饮用水水源保护区内；区域取水总量已达控制指标');
    const { text, notice } = await read(a.id, 'refusal');
    for (const s of ['不予行政许可决定书', applicant.name, '1.取水口位于饮用水水源保护区内', '2.区域取水总量已达控制指标', '六十日内依法申请行政复议', '六个月内依法向人民法院提起行政诉讼', '2026年11月2日']) assert.include(text, s);
    const timeline = (await u.window.get<CaseJson>(`/api/cases/${a.id}`)).body.timeline.filter((e) => e.type === 'notice.issued').map((e) => e.data?.kind);
    assert.deepStrictEqual(timeline, ['correction', 'acceptance', 'special_procedure', 'extension', 'refusal'], 'each issue on the timeline, once');
    // the applicant downloads it through the status page; a supervisor (masked data) does not
    const pub = await fetch(`${t.url}/public/cases/${a.caseNo}/notices/${notice.id}?code=${encodeURIComponent(codeA)}`);
    assert.strictEqual(pub.status, 200);
    assert.strictEqual(createHash('sha256').update(Buffer.from(await pub.arrayBuffer())).digest('hex'), notice.sha256);
    assert.strictEqual((await request(t.url, 'GET', `/public/cases/${a.caseNo}/notices/${notice.id}?code=ZZZZ-ZZZZ`)).status, 404);
    assert.strictEqual((await fetch(`${t.url}/api/cases/${a.id}/notices/${notice.id}/pdf`, { headers: { authorization: `Bearer ${u.supervisor.token}` } })).status, 403);
  });

  it('不予受理 from an administrator’s template, which cannot drop the reasons or the remedies', async () => {
    const bad = await u.admin.put(`/api/items/${WATER.item}/notice-templates/non_acceptance`, { title: '不予受理通知书', body: '{{applicant}}：你的申请（{{caseNo}}）不予受理。' });
    assert.strictEqual(bad.status, 400, JSON.stringify(bad.body));
    assert.match(JSON.stringify(bad.body), /\{\{reasons\}\}/);
    assert.strictEqual((await u.window.put(`/api/items/${WATER.item}/notice-templates/non_acceptance`, { title: 'x'.repeat(5), body: '{{caseNo}}{{reasons}}{{remedies}}' })).status, 403, 'only administrators write templates');
    const good = await u.admin.put(`/api/items/${WATER.item}/notice-templates/non_acceptance`, { title: '不予受理决定书', body: '{{applicant}}：\n经审查，你于{{submittedOn}}提交的{{itemName}}申请（编号{{caseNo}}）依法不予受理，理由：\n{{reasons}}\n{{remedies}}\n（本通知书由{{unitName}}出具）' });
    assert.strictEqual(good.status, 200, JSON.stringify(good.body));
    clock.set('2026-11-04T10:00:00+08:00');
    const b = await submit(u.window, WATER.item, COUNTY);
    await decide(u.window, b.id, WATER.window, 'reject', '申请事项依法不需要取得行政许可');
    const { text } = await read(b.id, 'non_acceptance');
    for (const s of ['不予受理决定书', '依法不予受理', '1.申请事项依法不需要取得行政许可', '六十日内依法申请行政复议', '六个月内', '本通知书由示范市一区政务服务中心出具', '2026年11月4日']) assert.include(text, s);
  });

  it('准予许可: the grant decision, dated the day of the decision', async () => {
    clock.set('2026-11-05T10:00:00+08:00');
    const c = await submit(u.window, WATER.item, COUNTY);
    await decide(u.window, c.id, WATER.window, 'accept', '材料齐全');
    await decide(u.reviewer, c.id, WATER.county, 'approve');
    await decide(u.cityReviewer, c.id, WATER.city, 'approve');
    clock.set('2026-11-09T15:00:00+08:00');
    await decide(u.provinceLeader, c.id, WATER.province, 'grant', '符合条件');
    const { text } = await read(c.id, 'grant');
    for (const s of ['准予行政许可决定书', c.caseNo, applicant.name, '本机关于2026年11月5日受理', '决定准予行政许可', '2026年11月9日']) assert.include(text, s);
    assert.notInclude(text, '符合条件', 'the leader’s internal opinion is not printed on a grant');
  });
});
