/**
 * Nothing is lost or doubled when the broker stops answering, when a client retries, or when the
 * back office restarts mid-case.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { stopFeed, env, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { applicant, concluded, COUNTY, decide, people, type People, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';

function pauseEngine(): () => void {
  assert.ok(env.enginePid > 0, 'TEST_ENGINE_PID is set by the test runner');
  process.kill(-env.enginePid, 'SIGSTOP');
  let resumed = false;
  const resume = () => {
    if (!resumed) process.kill(-env.enginePid, 'SIGCONT');
    resumed = true;
  };
  process.once('exit', resume); // never leave the shared engine frozen
  return resume;
}

describe('resilience', () => {
  let t: TestOffice;
  let p: People;
  before(async () => {
    t = await startOffice();
    p = await people(t.url);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('accepts a case while the engine is down (202) and starts it exactly once when the engine is back', async () => {
    const resume = pauseEngine();
    let accepted: CaseJson;
    try {
      const res = await p.window.post<CaseJson>('/api/cases', { itemCode: WATER.item, regionCode: COUNTY, applicant });
      assert.strictEqual(res.status, 202, JSON.stringify(res.body));
      accepted = res.body;
      assert.strictEqual(accepted.status, 'submitted');
      assert.strictEqual(accepted.processInstanceKey, null);
      const stored = await p.window.get<CaseJson>(`/api/cases/${accepted.id}`);
      assert.strictEqual(stored.body.caseNo, accepted.caseNo, 'the case is recorded, not lost');
    } finally {
      resume();
    }
    const started = await waitFor('the pending case to start', async () => {
      const r = await p.window.get<CaseJson>(`/api/cases/${accepted.id}`);
      return r.body.status === 'in_progress' ? r.body : null;
    }, 60_000);
    assert.ok(started.processInstanceKey);
    await taskAt(p.window, accepted.id, WATER.window);
    // A timed-out create may still have run on the engine: at most one instance stays linked and
    // only its task is in the queue, even after every retry has settled. Settled: the engine runs
    // one instance of the case (a duplicate is terminated); then a marker case started after all
    // that: once its task has arrived, the feed has delivered everything the engine did before.
    await waitFor('one engine instance of the case', async () => (await t.office.ctx.engine.instancesOf(accepted.id)).length === 1);
    const marker = await submit(p.window, WATER.item, COUNTY);
    await taskAt(p.window, marker.id, WATER.window);
    const open = await t.office.ctx.db('tasks').where({ case_id: accepted.id, state: 'open' });
    assert.strictEqual(open.length, 1);
    const startedEvents = await t.office.ctx.db('case_events').where({ case_id: accepted.id, type: 'case.started' });
    assert.strictEqual(startedEvents.length, 1);
    await decide(p.window, accepted.id, WATER.window, 'reject', '测试结束');
    assert.strictEqual((await concluded(p.window, accepted.id)).result, 'not_accepted');
    await decide(p.window, marker.id, WATER.window, 'reject', '测试结束');
  });

  it('returns the same case for a retried submission with the same Idempotency-Key', async () => {
    const key = `retry-${Date.now()}`;
    const body = { itemCode: WATER.item, regionCode: COUNTY, applicant };
    const first = await p.window.post<CaseJson>('/api/cases', body, { 'idempotency-key': key });
    const second = await p.window.post<CaseJson>('/api/cases', body, { 'idempotency-key': key });
    assert.strictEqual(first.status, 201);
    assert.strictEqual(second.status, 200);
    assert.strictEqual(second.body.id, first.body.id);
    const count = await t.office.ctx.db('cases').where({ idempotency_key: key }).count({ n: '*' });
    assert.strictEqual(Number(count[0]?.n), 1);
    const misuse = await p.countyReviewer.post('/api/cases', body, { 'idempotency-key': key });
    assert.strictEqual(misuse.status, 409);
  });

  it('carries a case through a back-office restart', async () => {
    const res = await p.window.post<CaseJson>('/api/cases', { itemCode: WATER.item, regionCode: COUNTY, applicant });
    const id = res.body.id;
    await decide(p.window, id, WATER.window, 'accept');
    const database = t.database;
    await t.stop();
    // the engine moves on while we are down; its records wait in the exporter
    t = await startOffice({ database });
    p = await people(t.url);
    await decide(p.countyReviewer, id, WATER.county, 'approve');
    const city = await taskAt(p.cityReviewer, id, WATER.city);
    const tasks = await t.office.ctx.db('tasks').where({ case_id: id });
    assert.strictEqual(tasks.length, 3);
    assert.strictEqual(city.state, 'open');
  });
});
