/**
 * Clear-text personal data only while one's step is open (issue 16, Low): a group's members read the
 * applicant in clear while their group holds an open step of the case, and lose it when the step
 * closes (they still see the case, masked); the window that files and delivers keeps it (the role
 * needs it); every refusal is audited.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { startOffice, stopFeed, type TestOffice } from '../support/harness.ts';
import { applicant, COUNTY, decide, submit, taskAt, WATER, type CaseJson } from '../support/licensing.ts';

describe('security: personal data in clear only while the step is open', () => {
  let t: TestOffice;
  let window: Client;
  let countyReviewer: Client;
  let cityReviewer: Client;
  let c: CaseJson;
  const read = (who: Client) => who.get<{ applicant: typeof applicant }>(`/api/cases/${c.id}/applicant?reason=${encodeURIComponent('审查申请人资格')}`);

  before(async () => {
    t = await startOffice();
    window = await login(t.url, 'jn-01-01.asc.window');
    countyReviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    cityReviewer = await login(t.url, 'jn-01.wr.reviewer');
    c = await submit(window, WATER.item, COUNTY);
    await decide(window, c.id, WATER.window, 'accept', '受理');
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('lets the county reviewer read while the county review is open, and not after', async () => {
    await taskAt(countyReviewer, c.id, WATER.county);
    const during = await read(countyReviewer);
    assert.strictEqual(during.status, 200);
    assert.strictEqual(during.body.applicant.idNumber, applicant.idNumber);
    // the city's reviewers have no open step yet: the case is not theirs to read at all
    assert.strictEqual((await read(cityReviewer)).status, 404);

    await decide(countyReviewer, c.id, WATER.county, 'approve', '同意上报');
    await taskAt(cityReviewer, c.id, WATER.city);
    const afterStep = await read(countyReviewer);
    assert.strictEqual(afterStep.status, 403, 'the step is closed: no clear text any more');
    const page = await countyReviewer.get<{ applicant: { idNumber: string; masked: boolean } }>(`/api/cases/${c.id}`);
    assert.strictEqual(page.status, 200, 'the case itself stays readable to whoever worked on it');
    assert.strictEqual(page.body.applicant.idNumber, '1101**********002X');

    const city = await read(cityReviewer);
    assert.strictEqual(city.status, 200, 'now the city review is open: the city reviewer reads');
    assert.strictEqual((await read(window)).status, 200, 'the window that filed it keeps what its role needs');

    const rows = await t.office.ctx.db('audit_log').where({ case_id: c.id }).whereIn('action', ['personal-data.read', 'personal-data.refused']).orderBy('id');
    assert.deepStrictEqual(
      rows.map((r) => [r.action, r.actor]),
      [
        ['personal-data.read', 'jn-01-01.wr.reviewer'],
        ['personal-data.refused', 'jn-01.wr.reviewer'],
        ['personal-data.refused', 'jn-01-01.wr.reviewer'],
        ['personal-data.read', 'jn-01.wr.reviewer'],
        ['personal-data.read', 'jn-01-01.asc.window'],
      ],
    );
  });
});
