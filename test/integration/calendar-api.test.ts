/** The working-day calendar over HTTP: everyone reads, administrators edit and publish, input is checked. */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, request, type Client } from '../support/api.ts';
import { stopFeed, startOffice, type TestOffice } from '../support/harness.ts';

interface Day {
  regionCode: string;
  day: string;
  kind: string;
  name: string;
  updatedBy: string | null;
}
interface Year {
  year: number;
  regionCode: string;
  provinceCode: string;
  published: boolean;
  national: { source: string } | null;
  province: { source: string } | null;
  days: Day[];
}
interface ErrorJson {
  error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
}

describe('calendar API', () => {
  let t: TestOffice;
  let admin: Client;
  let clerk: Client;
  const put = (c: Client, path: string, body: unknown) => request<Day & ErrorJson>(t.url, 'PUT', path, body, { authorization: `Bearer ${c.token}` });
  const del = (c: Client, path: string) => request<ErrorJson>(t.url, 'DELETE', path, undefined, { authorization: `Bearer ${c.token}` });

  before(async () => {
    t = await startOffice();
    admin = await login(t.url, 'jn.asc.admin');
    clerk = await login(t.url, 'jn-01-01.wr.reviewer');
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('shows any user the seeded 2026 calendar, published, with its make-up working days', async () => {
    const r = await clerk.get<Year>('/api/calendar/2026?region=JN-01-01');
    assert.strictEqual(r.status, 200);
    assert.strictEqual(r.body.published, true);
    assert.strictEqual(r.body.provinceCode, 'JN');
    assert.match(r.body.national?.source ?? '', /2026年部分节假日安排/);
    assert.deepStrictEqual(
      r.body.days.filter((d) => d.kind === 'workday').map((d) => d.day),
      ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    );
    assert.ok(r.body.days.some((d) => d.day === '2026-02-15' && d.kind === 'holiday' && d.name === '春节'));
    const unpublished = await clerk.get<Year>('/api/calendar/2027');
    assert.strictEqual(unpublished.status, 200);
    assert.strictEqual(unpublished.body.published, false);
    assert.deepStrictEqual(unpublished.body.days, []);
  });

  it('asks for a login and checks the year and region', async () => {
    assert.strictEqual((await request(t.url, 'GET', '/api/calendar/2026')).status, 401);
    const badYear = await clerk.get<ErrorJson>('/api/calendar/twenty');
    assert.strictEqual(badYear.status, 400);
    assert.strictEqual(badYear.body.error.details?.[0]?.path, 'params.year');
    assert.strictEqual((await clerk.get('/api/calendar/1999')).status, 400);
    assert.strictEqual((await clerk.get('/api/calendar/2026?region=jn-01')).status, 400);
  });

  it('lets only administrators edit, and checks what they enter', async () => {
    const byClerk = await put(clerk, '/api/calendar/days/2026-10-09', { kind: 'holiday', name: '本地节日' });
    assert.strictEqual(byClerk.status, 403);
    assert.match(byClerk.body.error.message, /manage on Calendar/);

    const notADate = await put(admin, '/api/calendar/days/2026-02-30', { kind: 'holiday', name: 'x' });
    assert.strictEqual(notADate.status, 400);
    assert.strictEqual(notADate.body.error.details?.[0]?.path, 'params.day');
    const badKind = await put(admin, '/api/calendar/days/2026-10-09', { kind: 'festival', name: 'x' });
    assert.strictEqual(badKind.status, 400);
    assert.strictEqual(badKind.body.error.details?.[0]?.path, 'body.kind');
    assert.strictEqual((await put(admin, '/api/calendar/days/2026-10-09', { kind: 'holiday', name: '' })).status, 400);
    assert.strictEqual((await put(admin, '/api/calendar/days/2026-10-09', { kind: 'holiday', name: 'x', extra: 1 })).status, 400);
    const weekdayWorkday = await put(admin, '/api/calendar/days/2026-10-09', { kind: 'workday', name: '调休' });
    assert.strictEqual(weekdayWorkday.status, 400);
    assert.match(weekdayWorkday.body.error.message, /Saturday or Sunday/);
    const cityOverlay = await put(admin, '/api/calendar/days/2026-10-09', { kind: 'holiday', name: 'x', regionCode: 'JN-01' });
    assert.strictEqual(cityOverlay.status, 400, 'overlays are per province');
    const otherProvince = await put(admin, '/api/calendar/days/2026-10-09', { kind: 'holiday', name: 'x', regionCode: 'XY' });
    assert.strictEqual(otherProvince.status, 403);
    assert.match(otherProvince.body.error.message, /own province/);
  });

  it('adds a provincial holiday that the province’s regions see and the nation does not, and removes it', async () => {
    const r = await put(admin, '/api/calendar/days/2026-10-09', { kind: 'holiday', name: '江南省民族节（示例）', regionCode: 'JN' });
    assert.strictEqual(r.status, 200);
    assert.strictEqual(r.body.regionCode, 'JN');
    assert.ok(r.body.updatedBy, 'who changed it is recorded');

    const county = await clerk.get<Year>('/api/calendar/2026?region=JN-01-01');
    const local = county.body.days.find((d) => d.day === '2026-10-09');
    assert.deepStrictEqual(local && { regionCode: local.regionCode, kind: local.kind, name: local.name }, { regionCode: 'JN', kind: 'holiday', name: '江南省民族节（示例）' });
    const nation = await clerk.get<Year>('/api/calendar/2026');
    assert.strictEqual(nation.body.days.find((d) => d.day === '2026-10-09'), undefined);

    assert.strictEqual((await del(clerk, '/api/calendar/days/2026-10-09?region=JN')).status, 403);
    assert.strictEqual((await del(admin, '/api/calendar/days/2026-10-09?region=JN')).status, 204);
    assert.strictEqual((await del(admin, '/api/calendar/days/2026-10-09?region=JN')).status, 404);
    const after = await clerk.get<Year>('/api/calendar/2026?region=JN-01-01');
    assert.strictEqual(after.body.days.find((d) => d.day === '2026-10-09'), undefined);
  });

  it('publishes a year only once its days off are entered', async () => {
    assert.strictEqual((await clerk.post('/api/calendar/years/2027/publish', { source: 'x' })).status, 403);
    const empty = await admin.post<ErrorJson>('/api/calendar/years/2027/publish', { source: '国务院办公厅关于2027年部分节假日安排的通知' });
    assert.strictEqual(empty.status, 409);
    assert.match(empty.body.error.message, /no days off/);
    assert.strictEqual((await admin.post('/api/calendar/years/2027/publish', {})).status, 400, 'a source is required');

    assert.strictEqual((await put(admin, '/api/calendar/days/2027-01-01', { kind: 'holiday', name: '元旦' })).status, 200);
    const ok = await admin.post<{ year: number; regionCode: string }>('/api/calendar/years/2027/publish', { source: '国务院办公厅关于2027年部分节假日安排的通知（测试）' });
    assert.strictEqual(ok.status, 200);
    assert.deepStrictEqual({ year: ok.body.year, regionCode: ok.body.regionCode }, { year: 2027, regionCode: '' });
    const y = await clerk.get<Year>('/api/calendar/2027?region=JN-01-01');
    assert.strictEqual(y.body.published, true);
    assert.strictEqual(y.body.province, null);
    const overlay = await admin.post('/api/calendar/years/2027/publish', { source: '江南省无地方节日', regionCode: 'JN' });
    assert.strictEqual(overlay.status, 200);
    assert.strictEqual((await clerk.get<Year>('/api/calendar/2027?region=JN-01-01')).body.province?.source, '江南省无地方节日');
  });

  it('describes its routes in the OpenAPI document', async () => {
    const doc = await request<{ paths: Record<string, Record<string, unknown>> }>(t.url, 'GET', '/api/openapi.json');
    assert.ok(doc.body.paths['/api/calendar/{year}']?.get);
    assert.ok(doc.body.paths['/api/calendar/days/{day}']?.put);
    assert.ok(doc.body.paths['/api/calendar/days/{day}']?.delete);
    assert.ok(doc.body.paths['/api/calendar/years/{year}/publish']?.post);
  });
});
