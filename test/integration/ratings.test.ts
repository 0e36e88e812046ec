/**
 * 好差评 through the status page: one rating per case and service, never changed; a 差评 opens a
 * rectification for the responsible unit, due for 核实 the next working day (across National Day)
 * and for 整改 within 15 working days, which turns yellow and then red when late — pushed live to
 * the supervisors above the case — and the board counts it.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { login, request, type Client } from '../support/api.ts';
import { ManualClock, startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, WATER } from '../support/licensing.ts';

interface Rect {
  id: number;
  state: string;
  level: string;
  verifyBy: string;
  rectifyBy: string;
  onTime: boolean | null;
}

describe('好差评 and the rectification of a 差评', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.parse('2026-09-30T10:00:00+08:00'));
  const u = {} as Record<'window' | 'ascLeader' | 'wrHead' | 'citySup' | 'siblingSup', Client>;
  const cases: Array<{ id: string; caseNo: string; code: string }> = [];
  const heard: string[] = [];
  let socket: Socket;
  let rectId = 0;
  const rateCase = (i: number, body: unknown) => request<Record<string, unknown>>(t.url, 'POST', `/public/cases/${cases[i]?.caseNo}/ratings?code=${encodeURIComponent(cases[i]?.code ?? '')}`, body);
  const rect = async (): Promise<Rect> => (await t.office.ctx.db('rectifications').where({ id: rectId }).first().then((r) => ({ id: Number(r.id), state: r.state, level: r.level, verifyBy: r.verify_by, rectifyBy: r.rectify_by, onTime: null }))) as Rect;

  before(async () => {
    t = await startOffice({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000', DEADLINE_POLL_MS: '3600000' } });
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.ascLeader = await login(t.url, 'jn-01-01.asc.leader');
    u.wrHead = await login(t.url, 'jn-01-01.wr.head');
    u.citySup = await login(t.url, 'jn-01.sup.supervisor');
    u.siblingSup = await login(t.url, 'jn-01-02.sup.supervisor');
    for (let i = 0; i < 2; i++) {
      const c = await submit(u.window, WATER.item, COUNTY);
      const done = (await decide(u.window, c.id, WATER.window, 'accept', '材料齐全')) as unknown as { queryCode: string };
      cases.push({ id: c.id, caseNo: c.caseNo, code: done.queryCode });
    }
    socket = io(t.url, { auth: { token: u.citySup.token }, transports: ['websocket'] });
    socket.on('rectification.level', (e: { level: string; caseNo: string }) => heard.push(`${e.caseNo}:${e.level}`));
    await waitFor('the supervisor connected', async () => socket.connected);
  });
  after(async () => {
    socket?.close();
    await t?.close();
    await stopFeed();
  });

  it('takes one rating per case and service, and a 差评 opens a rectification across the holiday', async () => {
    assert.strictEqual((await rateCase(0, { service: 'decision', level: 'satisfied' })).status, 409, 'no decision yet to rate');
    assert.strictEqual((await rateCase(0, { service: 'window', level: 'terrible' })).status, 400);
    const bad = await rateCase(0, { service: 'window', level: 'very_dissatisfied', aspects: ['attitude', 'efficiency'], comment: '窗口排队时间过长' });
    assert.strictEqual(bad.status, 201, JSON.stringify(bad.body));
    rectId = Number(bad.body.rectificationId);
    assert.isAbove(rectId, 0);
    const again = await rateCase(0, { service: 'window', level: 'very_satisfied' });
    assert.strictEqual(again.status, 409, 'a rating cannot be changed');
    const stored = await t.office.ctx.db('ratings').where({ case_id: cases[0]?.id }).select('score');
    assert.deepStrictEqual(stored.map((r) => Number(r.score)), [1]);
    const good = await rateCase(1, { service: 'window', level: 'satisfied' });
    assert.strictEqual(good.status, 201);
    assert.isNull(good.body.rectificationId, 'a good rating opens nothing');
    const r = await rect();
    // 10/1–7 are off: 核实 is due on 10/8; 整改 within 15 working days ends 10/27 (10/10 works)
    assert.deepStrictEqual({ state: r.state, verifyBy: r.verifyBy, rectifyBy: r.rectifyBy, level: r.level }, { state: 'open', verifyBy: '2026-10-08', rectifyBy: '2026-10-27', level: 'none' });
    const row = await t.office.ctx.db('rectifications').where({ id: rectId }).first('unit_code');
    assert.strictEqual(row?.unit_code, 'JN-01-01.ASC', 'assigned to the window that served');
  });

  it('turns yellow once the 核实 day has passed unverified, live to the supervisor above', async () => {
    clock.set('2026-10-08T20:00:00+08:00');
    await t.office.deadlines.tick();
    assert.strictEqual((await rect()).level, 'none', 'still within the 核实 day');
    clock.set('2026-10-09T09:00:00+08:00');
    await t.office.deadlines.tick();
    assert.strictEqual((await rect()).level, 'yellow');
    await waitFor('yellow pushed live', async () => heard.includes(`${cases[0]?.caseNo}:yellow`));
    await t.office.deadlines.tick();
    assert.deepStrictEqual(heard, [`${cases[0]?.caseNo}:yellow`], 'once');
  });

  it('is handled by the responsible unit only: 核实, 答复, then the applicant says whether they accept', async () => {
    assert.strictEqual((await u.wrHead.post(`/api/rectifications/${rectId}/verify`, { text: '已核实' })).status, 404, 'another unit does not see it');
    assert.strictEqual((await u.citySup.post(`/api/rectifications/${rectId}/verify`, { text: '已核实' })).status, 403, 'a supervisor watches, does not handle');
    assert.strictEqual((await u.ascLeader.post(`/api/rectifications/${rectId}/answer`, { text: '答复' })).status, 409, '核实 comes first');
    assert.strictEqual((await u.ascLeader.post(`/api/rectifications/${rectId}/verify`, { text: '经核实，当日窗口人员不足' })).status, 200);
    const respond = (accepted: boolean) => request(t.url, 'POST', `/public/cases/${cases[0]?.caseNo}/ratings/window/response?code=${encodeURIComponent(cases[0]?.code ?? '')}`, { accepted });
    assert.strictEqual((await respond(true)).status, 409, 'nothing answered yet');
    assert.strictEqual((await u.ascLeader.post(`/api/rectifications/${rectId}/answer`, { text: '已增设窗口，高峰时段弹性排班' })).status, 200);
    const mine = await request<{ items: Array<{ rectification: { answer: string } | null }> }>(t.url, 'GET', `/public/cases/${cases[0]?.caseNo}/ratings?code=${encodeURIComponent(cases[0]?.code ?? '')}`);
    assert.strictEqual(mine.body.items.find((i) => i.rectification)?.rectification?.answer, '已增设窗口，高峰时段弹性排班', 'the applicant reads the answer');
    assert.strictEqual((await respond(false)).status, 200);
    assert.strictEqual((await respond(true)).status, 409, 'said once');
  });

  it('turns red when the 整改 date passes, and the board counts it', async () => {
    clock.set('2026-10-28T09:00:00+08:00');
    await t.office.deadlines.tick();
    assert.strictEqual((await rect()).level, 'red');
    await waitFor('red pushed live', async () => heard.includes(`${cases[0]?.caseNo}:red`));
    const before = (await u.citySup.get<{ late: Array<{ id: number; level: string }> }>('/api/ratings/stats')).body;
    assert.deepStrictEqual(before.late.map((l) => [l.id, l.level]), [[rectId, 'red']], 'late rectifications on the board');
    const done = await u.ascLeader.post<Rect>(`/api/rectifications/${rectId}/rectify`, { text: '增设两个综合窗口并公示' });
    assert.strictEqual(done.status, 200);
    assert.deepStrictEqual({ state: done.body.state, onTime: done.body.onTime }, { state: 'rectified', onTime: false });
    const s = (await u.citySup.get<{ total: number; distribution: Record<string, number>; badRate: number; byUnit: Array<{ code: string; total: number; bad: number; badRate: number }>; byItem: Array<{ code: string; bad: number }>; rectification: { rectified: number; onTime: number; onTimeRate: number; pending: number; yellow: number; red: number }; late: unknown[] }>('/api/ratings/stats')).body;
    assert.strictEqual(s.total, 2);
    assert.deepStrictEqual(s.distribution, { very_satisfied: 0, satisfied: 1, basic: 0, dissatisfied: 0, very_dissatisfied: 1 });
    assert.strictEqual(s.badRate, 0.5);
    assert.deepStrictEqual(s.byUnit.map(({ code, total, bad, badRate }) => ({ code, total, bad, badRate })), [{ code: 'JN-01-01.ASC', total: 2, bad: 1, badRate: 0.5 }]);
    assert.deepStrictEqual(s.byItem.map((i) => [i.code, i.bad]), [[WATER.item, 1]]);
    assert.deepStrictEqual(s.rectification, { rectified: 1, onTime: 0, onTimeRate: 0, pending: 0, yellow: 0, red: 0 });
    assert.deepStrictEqual(s.late, [], 'rectified: off the late list');
    const drill = (await u.citySup.get<{ items: Array<{ caseNo: string; level: string }> }>('/api/ratings?bad=true&unit=JN-01-01.ASC')).body.items;
    assert.deepStrictEqual(drill.map((d) => [d.caseNo, d.level]), [[cases[0]?.caseNo, 'very_dissatisfied']], 'drill-down to the case');
    const sibling = (await u.siblingSup.get<{ total: number }>('/api/ratings/stats')).body;
    assert.strictEqual(sibling.total, 0, 'another county’s supervisor counts none of it');
    assert.strictEqual((await u.window.get('/api/ratings/stats')).status, 403);
  });
});
