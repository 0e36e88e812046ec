/**
 * The staff side of 好差评 (issue 14): the rectification list and page reads within the caller's
 * remit, each handling step on the audit trail, the board's figures by name with the late ones to
 * drill into, and the notice templates an administrator previews (sample data, nothing stored) and
 * resets to the default wording — allowed, refused, audited.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { login, request, type Client } from '../support/api.ts';
import { ManualClock, startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, WATER } from '../support/licensing.ts';
import { pdfText, squash } from '../support/pdf.ts';

interface RectJson {
  id: number;
  caseNo: string;
  state: string;
  level: string;
  unitCode: string;
  mayHandle: boolean;
  applicantAccepted: boolean | null;
  rating: { service: string; level: string; comment: string | null };
}

describe('service quality, the staff side: rectifications, board figures, notice templates', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.parse('2026-11-02T10:00:00+08:00'));
  const u = {} as Record<'window' | 'ascLeader' | 'wrHead' | 'citySup' | 'siblingSup' | 'admin' | 'reviewer', Client>;
  let caseNo = '';
  let code = '';
  let rectId = 0;
  const heard: Record<'citySup' | 'siblingSup' | 'ascLeader', string[]> = { citySup: [], siblingSup: [], ascLeader: [] };
  const sockets: Socket[] = [];
  const audits = (action: string, subjectId: string) => t.office.ctx.db('audit_log').where({ action, subject_id: subjectId }).select('actor', 'reason', 'case_id');

  before(async () => {
    t = await startOffice({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000', DEADLINE_POLL_MS: '3600000' } });
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.ascLeader = await login(t.url, 'jn-01-01.asc.leader');
    u.wrHead = await login(t.url, 'jn-01-01.wr.head');
    u.citySup = await login(t.url, 'jn-01.sup.supervisor');
    u.siblingSup = await login(t.url, 'jn-01-02.sup.supervisor');
    u.admin = await login(t.url, 'jn.asc.admin');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    const c = await submit(u.window, WATER.item, COUNTY);
    const done = (await decide(u.window, c.id, WATER.window, 'accept', '材料齐全')) as unknown as { queryCode: string };
    caseNo = c.caseNo;
    code = done.queryCode;
    const rated = await request<{ rectificationId: number }>(t.url, 'POST', `/public/cases/${caseNo}/ratings?code=${encodeURIComponent(code)}`, { service: 'window', level: 'dissatisfied', comment: '等候时间长' });
    assert.strictEqual(rated.status, 201, JSON.stringify(rated.body));
    rectId = rated.body.rectificationId;
    for (const who of ['citySup', 'siblingSup', 'ascLeader'] as const) {
      const socket = io(t.url, { auth: { token: u[who].token }, transports: ['websocket'] });
      socket.on('rectification.changed', (e: { rectificationId: number; state: string }) => heard[who].push(`${e.rectificationId}:${e.state}`));
      sockets.push(socket);
      await waitFor(`${who} connected`, async () => socket.connected);
    }
  });
  after(async () => {
    for (const s of sockets) s.close();
    await t?.close();
    await stopFeed();
  });

  it('lists a rectification to its unit (to handle) and the supervisors above (to watch), nobody else', async () => {
    const mine = await u.ascLeader.get<{ items: RectJson[] }>('/api/rectifications?state=pending');
    assert.strictEqual(mine.status, 200);
    assert.deepStrictEqual(mine.body.items.map((r) => [r.id, r.caseNo, r.state, r.mayHandle, r.rating.level, r.rating.comment]), [[rectId, caseNo, 'open', true, 'dissatisfied', '等候时间长']]);
    assert.match(String((mine.body.items[0] as RectJson & { unitName: string }).unitName), /政务服务中心/, 'the unit by name');
    const watched = await u.citySup.get<{ items: RectJson[] }>('/api/rectifications');
    assert.deepStrictEqual(watched.body.items.map((r) => [r.id, r.mayHandle]), [[rectId, false]], 'the supervisor sees it and may not handle it');
    assert.deepStrictEqual((await u.siblingSup.get<{ items: RectJson[] }>('/api/rectifications')).body.items, [], 'another county’s supervisor sees none');
    assert.deepStrictEqual((await u.wrHead.get<{ items: RectJson[] }>('/api/rectifications')).body.items, [], 'another unit’s head sees none');
    assert.strictEqual((await u.window.get('/api/rectifications')).status, 403, 'a clerk has no rectification screen');
    assert.strictEqual((await u.ascLeader.get('/api/rectifications?colour=red')).status, 400, 'an unknown filter is refused');
    assert.strictEqual((await u.ascLeader.get<{ items: RectJson[] }>('/api/rectifications?state=rectified')).body.items.length, 0);
    assert.strictEqual((await u.citySup.get<RectJson>(`/api/rectifications/${rectId}`)).body.caseNo, caseNo);
    assert.strictEqual((await u.wrHead.get(`/api/rectifications/${rectId}`)).status, 404, 'outside the remit it does not exist');
  });

  it('puts every handling step on the audit trail, and a refused one nowhere', async () => {
    assert.strictEqual((await u.citySup.post(`/api/rectifications/${rectId}/verify`, { text: '监察员不能核实' })).status, 403);
    assert.strictEqual((await audits('rectification.verified', String(rectId))).length, 0, 'the refusal wrote nothing');
    assert.strictEqual((await u.ascLeader.post(`/api/rectifications/${rectId}/verify`, { text: '经核实，当日窗口人员不足' })).status, 200);
    assert.strictEqual((await u.ascLeader.post(`/api/rectifications/${rectId}/answer`, { text: '已增设窗口，高峰时段弹性排班' })).status, 200);
    // live to the unit and the supervisors above; the sibling county's supervisor hears nothing (the others heard both steps first)
    await waitFor('both steps heard live', async () => heard.citySup.length === 2 && heard.ascLeader.length === 2);
    assert.deepStrictEqual(heard.citySup, [`${rectId}:verified`, `${rectId}:answered`]);
    assert.deepStrictEqual(heard.siblingSup, []);
    const verified = await audits('rectification.verified', String(rectId));
    const answered = await audits('rectification.answered', String(rectId));
    assert.deepStrictEqual([verified.map((a) => a.reason), answered.map((a) => a.reason)], [['经核实，当日窗口人员不足'], ['已增设窗口，高峰时段弹性排班']]);
    assert.isNotNull(verified[0]?.case_id, 'the trail names the case');
    const said = await request(t.url, 'POST', `/public/cases/${caseNo}/ratings/window/response?code=${encodeURIComponent(code)}`, { accepted: true });
    assert.strictEqual(said.status, 200);
    const r = (await u.ascLeader.get<RectJson>(`/api/rectifications/${rectId}`)).body;
    assert.deepStrictEqual([r.state, r.applicantAccepted, r.mayHandle], ['answered', true, true], 'the applicant’s acceptance is shown to the unit');
  });

  it('names units and items on the board and drills into the late rectifications', async () => {
    clock.set('2026-11-25T09:00:00+08:00');
    await t.office.deadlines.tick();
    const s = (await u.citySup.get<{ byUnit: Array<{ code: string; name: string; rectification: { pending: number; late: number } }>; byItem: Array<{ code: string; name: string }>; rectification: { pending: number; red: number } }>('/api/ratings/stats')).body;
    const asc = s.byUnit.find((x) => x.code === 'JN-01-01.ASC');
    assert.ok(asc && asc.name !== asc.code && /政务服务中心/.test(asc.name), `a unit name, not its code: ${asc?.name}`);
    assert.deepStrictEqual(asc?.rectification, { rectified: 0, onTime: 0, onTimeRate: null, pending: 1, late: 1 } as unknown as typeof asc.rectification);
    assert.notStrictEqual(s.byItem[0]?.name, WATER.item, 'an item name');
    assert.deepStrictEqual([s.rectification.pending, s.rectification.red], [1, 1]);
    const drill = await u.citySup.get<{ items: Array<{ caseNo: string; rectification: { level: string } }> }>('/api/ratings?rectification=red');
    assert.deepStrictEqual(drill.body.items.map((d) => [d.caseNo, d.rectification.level]), [[caseNo, 'red']]);
    assert.deepStrictEqual((await u.citySup.get<{ items: unknown[] }>('/api/ratings?rectification=yellow')).body.items, [], 'positive control: a filter that matches nothing');
    assert.strictEqual((await u.citySup.get('/api/ratings?colour=red')).status, 400);
  });

  it('lets an administrator preview a template with sample data, storing nothing', async () => {
    const body = '{{applicant}}：\n你（单位）申请的{{itemName}}（办件编号：{{caseNo}}）已受理，法定期限截止日为{{legalDueOn}}。';
    const text = await u.admin.post<{ title: string; text: string }>(`/api/items/${WATER.item}/notice-templates/acceptance/preview?format=text`, { title: '受理通知书（试行）', body });
    assert.strictEqual(text.status, 200, JSON.stringify(text.body));
    assert.include(text.body.text, '张三（示例）');
    // 11/25 + 20 working days, counted on the calendar: 12/23
    assert.include(text.body.text, '2026年12月23日');
    assert.notInclude(text.body.text, '{{');
    const res = await fetch(`${t.url}/api/items/${WATER.item}/notice-templates/acceptance/preview`, { method: 'POST', headers: { authorization: `Bearer ${u.admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: '受理通知书（试行）', body }) });
    assert.strictEqual(res.headers.get('content-type'), 'application/pdf');
    const pdf = squash(pdfText(Buffer.from(await res.arrayBuffer())));
    for (const s of ['受理通知书（试行）', '张三（示例）', '2026年12月23日']) assert.include(pdf, s);
    assert.strictEqual((await t.office.ctx.db('notice_templates').where({ item_code: WATER.item })).length, 0, 'a preview stores nothing');
    const refusal = await u.admin.post<{ error: { code: string } }>(`/api/items/${WATER.item}/notice-templates/refusal/preview?format=text`, { title: '不予许可', body: '{{caseNo}} 不予许可，理由如下：{{reasons}}' });
    assert.deepStrictEqual([refusal.status, refusal.body.error.code], [400, 'VALIDATION_FAILED'], 'a refusal without its remedies is refused in the preview too');
    assert.strictEqual((await u.reviewer.post(`/api/items/${WATER.item}/notice-templates/acceptance/preview?format=text`, { title: '受理通知书', body })).status, 403, 'staff read templates, do not write them');
  });

  it('resets a template to the default wording, audited; a refused reset changes nothing', async () => {
    const body = '{{applicant}}：\n本机关已受理你（单位）的申请（{{caseNo}}），法定期限截止日为{{legalDueOn}}。';
    assert.strictEqual((await u.admin.put(`/api/items/${WATER.item}/notice-templates/acceptance`, { title: '受理通知书', body })).status, 200);
    assert.strictEqual((await u.reviewer.del(`/api/items/${WATER.item}/notice-templates/acceptance`)).status, 403);
    assert.strictEqual((await t.office.ctx.db('notice_templates').where({ item_code: WATER.item, kind: 'acceptance' })).length, 1, 'still the custom one');
    const reset = await u.admin.del<{ custom: boolean; body: string }>(`/api/items/${WATER.item}/notice-templates/acceptance`);
    assert.strictEqual(reset.status, 200);
    assert.strictEqual(reset.body.custom, false);
    assert.include(reset.body.body, '第三十二条', 'the default wording');
    const subject = `${WATER.item}:acceptance`;
    assert.deepStrictEqual([(await audits('notice-template.saved', subject)).length, (await audits('notice-template.reset', subject)).length], [1, 1]);
  });
});
