/**
 * Drill: generated bad input across every operation of the OpenAPI document — wrong types, huge and
 * malformed bodies, unknown and malformed ids, injection strings, forged tokens — answers no 5xx and
 * corrupts no row. bench/drills/bad-input.ts runs the same generator with ≥10,000 requests.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login } from '../support/api.ts';
import { stopFeed, startOffice, TEST_KEYS, TEST_AUDIT_KEYS, type TestOffice } from '../support/harness.ts';
import { COUNTY, people, submit, taskAt, WATER } from '../support/licensing.ts';
import { badInputRun, badInputVerdict, integrity, type Integrity } from '../support/drills.ts';

const REQUESTS = 1500;

describe('drill: generated bad input', () => {
  let t: TestOffice;
  let afterRun: Integrity | null = null;
  before(async () => {
    t = await startOffice();
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it(`answers ${REQUESTS} hostile requests without a 5xx and corrupts nothing`, async () => {
    const p = await people(t.url);
    const c = await submit(p.window, WATER.item, COUNTY);
    const task = await taskAt(p.window, c.id, WATER.window);
    const extra = await Promise.all(['jn.sup.supervisor', 'jn.wr.designer', 'jn.asc.admin'].map((u) => login(t.url, u)));
    const tokens = [p.window.token, p.countyReviewer.token, p.cityReviewer.token, p.provinceLeader.token, ...extra.map((x) => x.token)];
    const before = await integrity(t.office.ctx.db, TEST_KEYS, TEST_AUDIT_KEYS);
    const r = await badInputRun({ url: t.url, requests: REQUESTS, tokens, caseIds: [c.id], taskKeys: [task.userTaskKey], authSecret: t.office.ctx.config.AUTH_TOKEN_SECRET, concurrency: 6 });
    afterRun = await integrity(t.office.ctx.db, TEST_KEYS, TEST_AUDIT_KEYS);
    const v = badInputVerdict(r, before, afterRun);
    console.log(`# ${v.line}`);
    assert.ok(v.pass, `${v.line}\n${r.failures.join('\n')}`);
    assert.strictEqual((await fetch(`${t.url}/health/live`)).status, 200, 'still alive');
  });

  // Concurrent appends (failed logins) once forked the hash chain on MySQL (found by this drill);
  // appends now serialise on the audit_head row.
  it('keeps the audit hash chain intact under concurrent appends', () => {
    assert.ok(afterRun, 'the bad-input run ran');
    assert.strictEqual(afterRun.brokenAuditRow, null, `audit chain broken at row ${afterRun.brokenAuditRow}`);
  });
});
