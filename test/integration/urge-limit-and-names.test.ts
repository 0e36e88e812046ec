/**
 * Issue 13, part 4: an urge (催办) is limited per task and urger — a second one within
 * URGE_WINDOW_SECONDS is a 429 naming when the next is allowed — and the queue, case page and board
 * serve names, not codes: people by display name, units and regions by name, the applicant masked,
 * and the 已办 tab lists the steps I completed.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { ManualClock, startOffice, stopFeed, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, WATER, type CaseJson, type TaskJson } from '../support/licensing.ts';

interface NamedTaskJson extends TaskJson {
  assigneeName: string | null;
  completedByName: string | null;
  applicantName: string | null;
  groups: Array<{ group: string; unitCode: string; unitName: string | null; role: string }>;
}
interface Problem {
  error: { code: string; message: string; params?: { retryAt?: string } };
}

const WINDOW_S = 600;
const T0 = Date.parse('2026-11-10T10:00:00+08:00');

describe('an urge per task and urger, and names instead of codes', () => {
  let t: TestOffice;
  const clock = new ManualClock(T0);
  let window: Client;
  let reviewer: Client;
  let citySup: Client;
  let countySup: Client;
  let c: CaseJson;
  let review: TaskJson;

  before(async () => {
    t = await startOffice({ clock, env: { URGE_WINDOW_SECONDS: String(WINDOW_S), DEADLINE_POLL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    window = await login(t.url, 'jn-01-01.asc.window');
    reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    citySup = await login(t.url, 'jn-01.sup.supervisor');
    countySup = await login(t.url, 'jn-01-01.sup.supervisor');
    c = await submit(window, WATER.item, COUNTY);
    await decide(window, c.id, WATER.window, 'accept', '材料齐全，予以受理');
    review = await taskAt(reviewer, c.id, WATER.county);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('a second urge by the same urger within the window is a 429 with the next allowed time; another urger and a later urge pass', async () => {
    const first = await citySup.post<{ urgingId: number; nextUrgeAt: string }>(`/api/tasks/${review.userTaskKey}/urge`, { message: '请加快办理' });
    assert.strictEqual(first.status, 201, JSON.stringify(first.body));
    assert.strictEqual(first.body.nextUrgeAt, new Date(T0 + WINDOW_S * 1000).toISOString(), 'the answer says when the next urge is allowed');

    clock.set(new Date(T0 + 60_000).toISOString());
    const again = await citySup.post<Problem>(`/api/tasks/${review.userTaskKey}/urge`, { message: '再次催办' });
    assert.strictEqual(again.status, 429, JSON.stringify(again.body));
    assert.strictEqual(again.body.error.code, 'RATE_LIMITED');
    assert.strictEqual(again.body.error.params?.retryAt, new Date(T0 + WINDOW_S * 1000).toISOString());
    assert.ok(Number(again.headers.get('retry-after')) > 0, 'Retry-After is set');

    // the limit is per urger: the county's supervisor may urge the same step
    assert.strictEqual((await countySup.post(`/api/tasks/${review.userTaskKey}/urge`, { message: '请今日办结' })).status, 201);

    const refused = await t.office.ctx.db('urgings').where({ user_task_key: review.userTaskKey, urged_by: 'jn-01.sup.supervisor' }).count({ n: '*' });
    assert.strictEqual(Number(refused[0]?.n), 1, 'the refused urge wrote nothing');

    clock.set(new Date(T0 + WINDOW_S * 1000).toISOString());
    assert.strictEqual((await citySup.post(`/api/tasks/${review.userTaskKey}/urge`, { message: '到期再催' })).status, 201, 'allowed again once the window has passed');
  });

  it('two urges sent at the same moment by one urger: one is sent, the other refused', async () => {
    clock.set(new Date(T0 + 3 * WINDOW_S * 1000).toISOString());
    const both = await Promise.all([1, 2].map((n) => citySup.post(`/api/tasks/${review.userTaskKey}/urge`, { message: `同时催办 ${n}` })));
    assert.deepStrictEqual(both.map((r) => r.status).sort(), [201, 429], JSON.stringify(both.map((r) => r.body)));
    const rows = await t.office.ctx.db('urgings').where({ user_task_key: review.userTaskKey, urged_by: 'jn-01.sup.supervisor' }).andWhere('at', '>=', T0 + 3 * WINDOW_S * 1000);
    assert.strictEqual(rows.length, 1, 'one urging written');
  });

  it('the queue names the unit and role group of an unclaimed step and the applicant, masked', async () => {
    const page = await reviewer.get<{ items: NamedTaskJson[] }>(`/api/tasks?scope=available&caseId=${c.id}`);
    const row = page.body.items.find((x) => x.userTaskKey === review.userTaskKey);
    assert.ok(row, JSON.stringify(page.body));
    assert.deepStrictEqual(row.groups, [{ group: 'JN-01-01.WR:reviewer', unitCode: 'JN-01-01.WR', unitName: '示范市一区水利局', role: 'reviewer' }]);
    assert.strictEqual(row.applicantName, '张*');
    assert.isNull(row.assigneeName);
    // working days left as the case page counts them on the step clock
    const clocks = (await reviewer.get<{ clocks: Array<{ kind: string; userTaskKey: string | null; workingDaysLeft: number | null }> }>(`/api/cases/${c.id}/clock`)).body.clocks;
    const stepClock = clocks.find((k) => k.kind === 'step' && k.userTaskKey === review.userTaskKey);
    assert.isNumber(stepClock?.workingDaysLeft, 'the county review has a step limit');
    assert.strictEqual((row as NamedTaskJson & { workingDaysLeft: number | null }).workingDaysLeft, stepClock?.workingDaysLeft);
  });

  it('a claimed step carries its assignee’s name on the queue and the case page; the case page names the region', async () => {
    assert.strictEqual((await reviewer.post(`/api/tasks/${review.userTaskKey}/claim`)).status, 200);
    const mine = (await reviewer.get<{ items: NamedTaskJson[] }>('/api/tasks?scope=mine')).body.items.find((x) => x.userTaskKey === review.userTaskKey);
    const { body: me } = await reviewer.get<{ displayName?: string }>('/api/auth/me');
    const name = (await t.office.ctx.db('users').where({ id: 'jn-01-01.wr.reviewer' }).first('display_name')).display_name as string;
    assert.strictEqual(mine?.assigneeName, name, JSON.stringify(me));
    const page = (await reviewer.get<{ regionName: string; currentSteps: Array<{ userTaskKey: string; assigneeName: string | null; groups: Array<{ unitName: string }> }> }>(`/api/cases/${c.id}`)).body;
    assert.strictEqual(page.regionName, '示范市一区');
    const step = page.currentSteps.find((s) => s.userTaskKey === review.userTaskKey);
    assert.strictEqual(step?.assigneeName, name);
    assert.strictEqual(step?.groups[0]?.unitName, '示范市一区水利局');
    const task = (await reviewer.get<NamedTaskJson>(`/api/tasks/${review.userTaskKey}`)).body;
    assert.strictEqual(task.assigneeName, name, 'the single task too');
  });

  it('已办: the steps I completed, with my name as completer — and not a colleague’s', async () => {
    const done = await window.get<{ items: NamedTaskJson[] }>('/api/tasks?scope=done&sort=-created');
    assert.strictEqual(done.status, 200, JSON.stringify(done.body));
    const acceptance = done.body.items.find((x) => x.caseId === c.id);
    assert.ok(acceptance, 'the window clerk’s acceptance is in 已办');
    assert.strictEqual(acceptance.state, 'completed');
    assert.isString(acceptance.completedByName);
    assert.notStrictEqual(acceptance.completedByName, 'jn-01-01.asc.window');
    // positive control above; the reviewer completed nothing yet
    assert.deepStrictEqual((await reviewer.get<{ items: NamedTaskJson[] }>('/api/tasks?scope=done')).body.items, []);
  });

  it('the board names its scope (监察范围 示范市, not JN-01)', async () => {
    const stats = await citySup.get<{ scope: string; scopeName: string }>('/api/supervision/stats');
    assert.strictEqual(stats.status, 200, JSON.stringify(stats.body));
    assert.strictEqual(stats.body.scope, 'JN-01');
    assert.strictEqual(stats.body.scopeName, '示范市');
  });
});
