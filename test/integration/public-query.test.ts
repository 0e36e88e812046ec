/**
 * The applicant's status query without an account: the code printed at the window's decision
 * opens the case's public page, which shows the progress in plain words and nothing personal; a
 * wrong code and an unknown number are indistinguishable; queries are rate-limited and counted.
 * The back office's clock stands on 30 September 2026, so the due dates run across National Day.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, request, type Client } from '../support/api.ts';
import { ManualClock, startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { applicant, COUNTY, decide, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';
import { queryCounts } from '../../backend/modules/public-query/index.ts';

interface StatusJson {
  caseNo: string;
  item: { code: string; name: string | null };
  acceptingUnit: string | null;
  stage: string;
  statusText: { 'zh-CN': string; en: string };
  steps: Array<{ name: string; doneOn: string | null }>;
  dates: { acceptedOn: string; promisedDueOn: string | null; legalDueOn: string; paused: boolean } | null;
  pauses: Array<{ from: string; to: string | null; reason: string; workingDays: number | null }>;
  supplements: { requestedOn: string; missing: string[] } | null;
  decision: { result: string; on: string; reasons: string[] } | null;
}

const ACCEPTED_AT = '2026-09-30T10:00:00+08:00';
const INTERNAL_OPINION = '材料齐全，内部意见：可以受理';

/** every personal datum of the applicant, every account name, every internal word */
const FORBIDDEN = [applicant.name, applicant.idNumber, applicant.phone, applicant.address, 'jn-01-01', 'jn.', '.asc.', 'window', 'reviewer', 'applicant', 'actor', 'assignee', 'opinion', INTERNAL_OPINION, 'idNumber', 'phone'];

function assertNothingPersonal(body: unknown) {
  const text = JSON.stringify(body);
  for (const f of FORBIDDEN) assert.notInclude(text, f, `the public answer must not contain "${f}"`);
}

describe('status query without an account', () => {
  let t: TestOffice;
  const clock = new ManualClock(Date.parse(ACCEPTED_AT));
  const u = {} as Record<'window' | 'head' | 'reviewer' | 'otherWindow', Client>;
  let c: CaseJson;
  let code: string;
  const status = (caseNo: string, q: string) => request<StatusJson>(t.url, 'GET', `/public/cases/${encodeURIComponent(caseNo)}?code=${encodeURIComponent(q)}`);

  before(async () => {
    t = await startOffice({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000', RATE_LIMIT_PUBLIC_PER_CLIENT: '100000', RATE_LIMIT_PUBLIC_PER_CASE: '100000' } });
    u.window = await login(t.url, 'jn-01-01.asc.window');
    u.head = await login(t.url, 'jn-01-01.wr.head');
    u.reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    u.otherWindow = await login(t.url, 'jn-01-02.asc.window');
    c = await submit(u.window, WATER.item, COUNTY);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('gives nothing before the window has decided, and the code once at acceptance', async () => {
    const before = await status(c.caseNo, 'ABCD-EFGH');
    assert.strictEqual(before.status, 404, 'no code exists yet: nothing opens the case');
    const done = (await decide(u.window, c.id, WATER.window, 'accept', INTERNAL_OPINION)) as unknown as { queryCode?: string };
    assert.match(String(done.queryCode), /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/, 'the acceptance answer carries the code for the receipt');
    code = String(done.queryCode);
    const row = await t.office.ctx.db('query_codes').where({ case_id: c.id }).first();
    assert.ok(row, 'a code row exists');
    assert.notInclude(JSON.stringify(row), code.replace('-', ''), 'only a hash of the code is stored');
    const page = (await u.window.get<CaseJson>(`/api/cases/${c.id}`)).body;
    assert.ok(page.timeline.some((e) => e.type === 'query-code.issued'), 'the issue is on the timeline');
    assert.notInclude(JSON.stringify(page), code.replace('-', ''), 'the code is shown once, not again on later reads');
  });

  it('shows item, unit, plain status, steps and the due dates across National Day', async () => {
    const res = await status(c.caseNo, code.toLowerCase().replace('-', ' '));
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    const s = res.body;
    assert.strictEqual(s.caseNo, c.caseNo);
    assert.deepStrictEqual(s.item, { code: WATER.item, name: '取水许可' });
    assert.strictEqual(s.acceptingUnit, '示范市一区政务服务中心');
    assert.strictEqual(s.stage, 'under_review');
    assert.strictEqual(s.statusText['zh-CN'], '已受理，正在审查');
    assert.deepStrictEqual(s.steps.map((x) => x.name), ['窗口受理']);
    assert.match(String(s.steps[0]?.doneOn), /^\d{4}-\d{2}-\d{2}$/);
    // 10/1–7 off, 10/10 a make-up working day: 15 promised working days end 10/27, 20 legal ones 11/3
    assert.deepStrictEqual({ acceptedOn: s.dates?.acceptedOn, promisedDueOn: s.dates?.promisedDueOn, legalDueOn: s.dates?.legalDueOn }, { acceptedOn: '2026-09-30', promisedDueOn: '2026-10-27', legalDueOn: '2026-11-03' });
    assert.isNull(s.decision);
    assert.isNull(s.supplements);
    assertNothingPersonal(s);
  });

  it('shows a pause with its reason, and the moved due date after it', async () => {
    clock.set('2026-10-12T09:00:00+08:00');
    await taskAt(u.reviewer, c.id, WATER.county); // the head oversees the case once its unit has a step
    assert.strictEqual((await u.head.post(`/api/cases/${c.id}/clock/pause`, { reason: '组织专家评审水资源论证报告', expectedDays: 5 })).status, 200);
    let s = (await status(c.caseNo, code)).body;
    assert.strictEqual(s.stage, 'special_procedure');
    assert.deepStrictEqual(s.pauses.map((p) => [p.from, p.to, p.reason]), [['2026-10-12', null, '组织专家评审水资源论证报告']]);
    clock.set('2026-10-16T17:00:00+08:00');
    assert.strictEqual((await u.head.post(`/api/cases/${c.id}/clock/resume`)).status, 200);
    s = (await status(c.caseNo, code)).body;
    assert.strictEqual(s.stage, 'under_review');
    assert.deepStrictEqual(s.pauses.map((p) => [p.from, p.to, p.workingDays]), [['2026-10-12', '2026-10-16', 4]]);
    assert.strictEqual(s.dates?.legalDueOn, '2026-11-09', 'moved by the 4 working days paused');
    assert.strictEqual(s.dates?.promisedDueOn, '2026-11-02', 'the promise moves by the same days');
    assertNothingPersonal(s);
  });

  it('answers a wrong code and an unknown case number identically', async () => {
    const wrong = await status(c.caseNo, 'ZZZZ-ZZZZ');
    const unknown = await status('LD20260930999999', code);
    const malformedCode = await status(c.caseNo, '!!');
    assert.strictEqual(wrong.status, 404);
    assert.strictEqual(unknown.status, 404);
    assert.deepStrictEqual(wrong.body, unknown.body, 'the same body');
    assert.deepStrictEqual(malformedCode.body, unknown.body, 'a malformed code is just a wrong one');
    assert.strictEqual(wrong.headers.get('content-length'), unknown.headers.get('content-length'));
    // timing: each answer checks one slow hash; medians of a few tries stay close
    const time = async (no: string, q: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        await status(no, q);
        ms.push(performance.now() - t0);
      }
      return ms.sort((a, b) => a - b)[3] as number;
    };
    const [a, b] = [await time(c.caseNo, 'ZZZZ-ZZZZ'), await time('LD20260930999998', 'ZZZZ-ZZZZ')];
    assert.isAbove(Math.min(a, b), 5, 'a check costs a slow hash either way');
    assert.isBelow(Math.max(a, b) / Math.min(a, b), 2.5, `similar timing (wrong code ${a.toFixed(1)} ms, unknown case ${b.toFixed(1)} ms)`);
  });

  it('re-issues a lost code at the filing window only; the old code stops working', async () => {
    assert.strictEqual((await u.reviewer.post(`/api/cases/${c.id}/query-code`)).status, 403, 'a reviewer who sees the case does not issue codes');
    assert.strictEqual((await u.otherWindow.post(`/api/cases/${c.id}/query-code`)).status, 404, 'another county’s window does not see the case');
    const again = await u.window.post<{ queryCode: string; generation: number }>(`/api/cases/${c.id}/query-code`);
    assert.strictEqual(again.status, 201);
    assert.strictEqual(again.body.generation, 2);
    assert.strictEqual((await status(c.caseNo, code)).status, 404, 'the old code no longer opens the case');
    assert.strictEqual((await status(c.caseNo, again.body.queryCode)).status, 200);
    code = again.body.queryCode;
  });

  it('lists everything missing while 补正 is pending', async () => {
    clock.set('2026-10-20T10:00:00+08:00');
    const d = await submit(u.window, WATER.item, COUNTY);
    const done = (await decide(u.window, d.id, WATER.window, 'correct', '缺少建设项目水资源论证报告书；缺少取水工程平面图\n缺少与第三者利害关系的相关说明')) as unknown as { queryCode?: string };
    assert.ok(done.queryCode, '补正 gives the applicant a code too: there is something to follow');
    const s = await waitStage(d.caseNo, String(done.queryCode), 'awaiting_supplements');
    assert.deepStrictEqual(s.supplements?.missing, ['缺少建设项目水资源论证报告书', '缺少取水工程平面图', '缺少与第三者利害关系的相关说明']);
    assert.isNull(s.dates, 'no decision clock before acceptance');
    assertNothingPersonal(s);
  });

  it('shows the reasons of a refusal to accept as the decision', async () => {
    const e = await submit(u.window, WATER.item, COUNTY);
    const done = (await decide(u.window, e.id, WATER.window, 'reject', '申请事项不属于本机关职权范围')) as unknown as { queryCode?: string };
    const s = await waitStage(e.caseNo, String(done.queryCode), 'not_accepted');
    assert.deepStrictEqual(s.decision && { result: s.decision.result, reasons: s.decision.reasons }, { result: 'not_accepted', reasons: ['申请事项不属于本机关职权范围'] });
    assertNothingPersonal(s);
  });

  it('counts every query by day and outcome, not by person', async () => {
    const day = '2026-10-20';
    const before = await queryCounts(t.office.ctx, day);
    await status(c.caseNo, code);
    await status(c.caseNo, 'ZZZZ-ZZZZ');
    await status('LD20261020999999', 'ZZZZ-ZZZZ');
    const now = await queryCounts(t.office.ctx, day);
    assert.deepStrictEqual({ found: now.found - before.found, noMatch: now.noMatch - before.noMatch }, { found: 1, noMatch: 2 });
    const row = await t.office.ctx.db('query_codes').where({ case_id: c.id }).first('queries');
    assert.isAtLeast(Number(row?.queries), 1);
    const audit = await t.office.ctx.db('audit_log').where({ case_id: c.id }).where('action', 'like', 'public%').count({ n: '*' });
    assert.strictEqual(Number(audit[0]?.n), 0, 'no per-person audit of status queries');
  });

  async function waitStage(caseNo: string, q: string, stage: string): Promise<StatusJson> {
    return waitFor(`case ${caseNo} at ${stage}`, async () => {
      const r = await status(caseNo, q);
      return r.status === 200 && r.body.stage === stage ? r.body : null;
    });
  }
});

describe('status query rate limits', () => {
  let t: TestOffice;
  before(async () => {
    t = await startOffice({ feed: 'off', env: { RATE_LIMIT_PUBLIC_PER_CLIENT: '6', RATE_LIMIT_PUBLIC_PER_CASE: '3', RATE_LIMIT_WINDOW_SECONDS: '600' } });
  });
  after(async () => {
    await t?.close();
  });

  it('answers 429 past the limit per case number, known or not, and per client', async () => {
    const q = (no: string) => request(t.url, 'GET', `/public/cases/${no}?code=AAAA-AAAA`);
    const perCase = [];
    for (let i = 0; i < 4; i++) perCase.push((await q('LD20261202000001')).status);
    assert.deepStrictEqual(perCase, [404, 404, 404, 429], 'the fourth query for one case number is refused');
    const other = await q('LD20261202000002');
    assert.strictEqual(other.status, 404, 'another case number still answers (5th from this client)');
    const sixth = await q('LD20261202000003');
    assert.strictEqual(sixth.status, 404);
    const seventh = await q('LD20261202000004');
    assert.strictEqual(seventh.status, 429, 'the seventh query from one client is refused whatever the number');
    assert.ok(Number(seventh.headers.get('retry-after')) > 0, 'with Retry-After');
  });
});
