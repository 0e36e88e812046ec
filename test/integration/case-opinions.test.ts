/** 常用意见: each user keeps their own opinion texts; another user's are out of reach (404), bad input is 400. */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { startOffice, stopFeed, type TestOffice } from '../support/harness.ts';

describe('common opinions per user', () => {
  let t: TestOffice;
  let mine: Client;
  let other: Client;
  before(async () => {
    t = await startOffice({ feed: 'off' });
    mine = await login(t.url, 'jn-01-01.wr.reviewer');
    other = await login(t.url, 'jn-01-02.wr.reviewer');
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('creates, lists, changes and deletes only one’s own', async () => {
    const a = await mine.post<{ id: number }>('/api/opinions', { text: '经审查，申请材料齐全，符合法定形式，同意。' });
    assert.strictEqual(a.status, 201, JSON.stringify(a.body));
    assert.strictEqual((await mine.post('/api/opinions', { text: '   ' })).status, 400);
    assert.strictEqual((await mine.post('/api/opinions', { text: 'x'.repeat(501) })).status, 400);
    assert.strictEqual((await mine.post<{ id: number }>('/api/opinions', { text: '材料不全，请补正。' })).status, 201);
    assert.deepStrictEqual((await mine.get<{ items: Array<{ text: string }> }>('/api/opinions')).body.items.map((i) => i.text), ['经审查，申请材料齐全，符合法定形式，同意。', '材料不全，请补正。']);
    assert.deepStrictEqual((await other.get<{ items: unknown[] }>('/api/opinions')).body.items, [], 'nobody else sees them');
    assert.strictEqual((await other.put(`/api/opinions/${a.body.id}`, { text: '改掉' })).status, 404);
    assert.strictEqual((await other.del(`/api/opinions/${a.body.id}`)).status, 404);
    assert.strictEqual((await mine.put(`/api/opinions/${a.body.id}`, { text: '同意。' })).status, 200);
    assert.strictEqual((await mine.del(`/api/opinions/${a.body.id}`)).status, 204);
    assert.strictEqual((await mine.del(`/api/opinions/${a.body.id}`)).status, 404, 'gone');
    assert.deepStrictEqual((await mine.get<{ items: Array<{ text: string }> }>('/api/opinions')).body.items.map((i) => i.text), ['材料不全，请补正。']);
  });
});
