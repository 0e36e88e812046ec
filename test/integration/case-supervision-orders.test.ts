/**
 * 督办 from the case page's side: the orders of a case are listed to everyone who reads it, with who
 * may reply (the responsible unit's heads and leaders) and close (the region's supervisors); a reply
 * reaches the supervisor live and a closing reaches the unit's leaders; the instruction is on the
 * timeline once. Everyone else gets 403/404 and changes nothing.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { login, type Client } from '../support/api.ts';
import { drained } from '../support/sockets.ts';
import { startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { beijingDate } from '../../backend/modules/calendar/index.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';

interface OrderJson { id: number; state: string; instructions: string; reply: string | null; mayReply: boolean; mayClose: boolean }

describe('supervision orders on a case', () => {
  let t: TestOffice;
  const u = {} as Record<'window' | 'reviewer' | 'head' | 'leader' | 'countySup' | 'siblingSup', Client>;
  let c: CaseJson;
  let orderId = 0;
  const list = (who: Client) => who.get<{ items: OrderJson[] }>(`/api/cases/${c.id}/supervision-orders`);
  const order = async () => (await list(u.countySup)).body.items.find((o) => o.id === orderId) as OrderJson;

  before(async () => {
    t = await startOffice();
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    u.head = await login(t.url, 'jn-01-01.wr.head');
    u.leader = await login(t.url, 'jn-01-01.wr.leader');
    u.countySup = await login(t.url, 'jn-01-01.sup.supervisor');
    u.siblingSup = await login(t.url, 'jn-01-02.sup.supervisor');
    c = await submit(u.window, WATER.item, COUNTY);
    await decide(u.window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    await taskAt(u.reviewer, c.id, WATER.county);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('opens an order from the case; it is listed to its readers with what each may do', async () => {
    const body = { unitCode: 'JN-01-01.WR', instructions: '请于三日内说明审查进度并加快办理', replyBy: beijingDate(Date.now() + 3 * 86400_000) };
    assert.strictEqual((await u.reviewer.post(`/api/cases/${c.id}/supervision-orders`, body)).status, 403);
    assert.strictEqual((await u.siblingSup.post(`/api/cases/${c.id}/supervision-orders`, body)).status, 404);
    assert.strictEqual((await list(u.countySup)).body.items.length, 0, 'the refusals opened nothing');
    const opened = await u.countySup.post<{ id: number }>(`/api/cases/${c.id}/supervision-orders`, body);
    assert.strictEqual(opened.status, 201, JSON.stringify(opened.body));
    orderId = opened.body.id;
    const seen = Object.fromEntries(await Promise.all((['reviewer', 'head', 'leader', 'countySup'] as const).map(async (k) => [k, (await list(u[k])).body.items.map((o) => `${o.id}:${o.mayReply}:${o.mayClose}`)])));
    assert.deepStrictEqual(seen, { reviewer: [`${orderId}:false:false`], head: [`${orderId}:true:false`], leader: [`${orderId}:true:false`], countySup: [`${orderId}:false:true`] });
    assert.strictEqual((await list(u.siblingSup)).status, 404);
    const timeline = (await u.window.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline.filter((e) => e.type === 'supervision.opened');
    assert.deepStrictEqual(timeline.map((e) => e.data?.instructions), ['请于三日内说明审查进度并加快办理'], 'the instruction is on the timeline, once');
  });

  it('the unit replies, the supervisor hears it live; the supervisor closes, the leaders hear it', async () => {
    const heard: Record<string, string[]> = { countySup: [], leader: [], siblingSup: [] };
    const sockets: Socket[] = [];
    for (const name of Object.keys(heard)) {
      const s: Socket = io(t.url, { auth: { token: u[name as 'leader'].token }, transports: ['websocket'] });
      s.on('notification.new', (e: { kind: string; caseId: string }) => heard[name]?.push(`${e.kind}:${e.caseId}`));
      sockets.push(s);
    }
    await waitFor('sockets connected', async () => sockets.every((s) => s.connected));
    assert.strictEqual((await u.reviewer.post(`/api/supervision-orders/${orderId}/reply`, { reply: '正在审查' })).status, 403, 'a reviewer does not answer for the unit');
    assert.strictEqual((await u.siblingSup.post(`/api/supervision-orders/${orderId}/reply`, { reply: '正在审查' })).status, 404);
    assert.strictEqual((await order()).state, 'open');
    const replied = await u.head.post(`/api/supervision-orders/${orderId}/reply`, { reply: '已完成现场核查，预计两日内办结' });
    assert.strictEqual(replied.status, 200, JSON.stringify(replied.body));
    await waitFor('the supervisor hears the reply', async () => heard.countySup?.includes(`supervision.replied:${c.id}`));
    assert.deepInclude(await order(), { state: 'replied', reply: '已完成现场核查，预计两日内办结', mayClose: true });
    assert.strictEqual((await u.head.post(`/api/supervision-orders/${orderId}/close`)).status, 403, 'the unit does not close its own order');
    assert.strictEqual((await u.countySup.post(`/api/supervision-orders/${orderId}/close`)).status, 200);
    await waitFor('the leaders hear the closing', async () => heard.leader?.includes(`supervision.closed:${c.id}`));
    await drained(...sockets);
    assert.deepStrictEqual(heard.siblingSup, [], 'a sibling county’s supervisor hears nothing');
    for (const s of sockets) s.close();
    assert.strictEqual((await order()).state, 'closed');
    assert.strictEqual((await u.countySup.post(`/api/supervision-orders/${orderId}/close`)).status, 409);
    const types = (await u.window.get<CaseJson>(`/api/cases/${c.id}`)).body.timeline.map((e) => e.type).filter((x) => x.startsWith('supervision.'));
    assert.deepStrictEqual(types, ['supervision.opened', 'supervision.replied', 'supervision.closed']);
  });
});
