/** Bad input gets a 4xx with a reason, and nothing is half-written. */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { stopFeed, startOffice, type TestOffice } from '../support/harness.ts';
import { applicant, COUNTY, decide, people, type People, submit, taskAt, WATER } from '../support/licensing.ts';

interface Problem {
  error: { code: string; message: string; details?: Array<{ path?: string; message: string }> };
}

describe('bad input', () => {
  let t: TestOffice;
  let p: People;
  let cases = 0;
  const countCases = async () => Number((await t.office.ctx.db('cases').count({ n: '*' }))[0]?.n);
  before(async () => {
    t = await startOffice();
    p = await people(t.url);
    cases = await countCases();
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('rejects malformed JSON', async () => {
    const r = await p.window.post<Problem>('/api/cases', '{"itemCode": "000117002000",');
    assert.strictEqual(r.status, 400);
    assert.strictEqual(r.body.error.code, 'BAD_REQUEST');
    assert.match(r.body.error.message, /not valid JSON/);
  });

  it('rejects wrong types and missing fields, naming each', async () => {
    const r = await p.window.post<Problem>('/api/cases', { itemCode: 7, applicant: { kind: 'person', name: '李四' } });
    assert.strictEqual(r.status, 400);
    assert.strictEqual(r.body.error.code, 'VALIDATION_FAILED');
    const paths = r.body.error.details?.map((d) => d.path);
    assert.ok(paths?.includes('body.itemCode'));
    assert.ok(paths?.includes('body.regionCode'));
    assert.ok(paths?.includes('body.applicant.idNumber'));
  });

  it('rejects an unknown item and a region of the wrong level', async () => {
    const unknown = await p.window.post<Problem>('/api/cases', { itemCode: 'NO-SUCH-ITEM', regionCode: COUNTY, applicant });
    assert.strictEqual(unknown.status, 400);
    assert.match(unknown.body.error.message, /no active service item "NO-SUCH-ITEM"/);
    const level = await p.window.post<Problem>('/api/cases', { itemCode: WATER.item, regionCode: 'JN-01', applicant });
    assert.strictEqual(level.status, 400);
    assert.match(level.body.error.message, /county level/);
    assert.strictEqual(await countCases(), cases, 'no case was written');
  });

  it('rejects unknown ids with 404 and malformed ids with 400', async () => {
    assert.strictEqual((await p.window.get('/api/cases/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.strictEqual((await p.window.get('/api/cases/not-a-uuid')).status, 400);
    assert.strictEqual((await p.window.post('/api/tasks/99999999999/claim')).status, 404);
    assert.strictEqual((await p.window.post('/api/tasks/7c1d2e4a-0000-11f1-8000-000000000001/claim')).status, 404);
    assert.strictEqual((await p.window.post(`/api/tasks/${encodeURIComponent('abc;drop table')}/claim`)).status, 400);
    assert.strictEqual((await p.window.post(`/api/tasks/${'a'.repeat(65)}/claim`)).status, 400);
    assert.strictEqual((await p.window.get('/api/no-such-route')).status, 404);
  });

  it('requires a valid access token', async () => {
    assert.strictEqual((await fetch(`${t.url}/api/tasks`)).status, 401);
    const forged = await fetch(`${t.url}/api/tasks`, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJqbi5hZG1pbiJ9.' } });
    assert.strictEqual(forged.status, 401);
    const headerIdentity = await fetch(`${t.url}/api/tasks`, { headers: { 'x-user-id': 'jn.admin', 'x-user-groups': 'JN.ASC:window' } });
    assert.strictEqual(headerIdentity.status, 401, 'identity headers from the skeleton no longer authenticate');
  });

  it('guards task completion: not claimed, not yours, not allowed, no reasons, no longer open', async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    const task = await taskAt(p.window, c.id, WATER.window);
    const unclaimed = await p.window.post<Problem>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'accept', opinion: '' });
    assert.strictEqual(unclaimed.status, 403);
    assert.match(unclaimed.body.error.message, /claim task/);
    await addUser(t.office.ctx.db, 'jn-01-01.asc.window2', 'JN-01-01.ASC', ['window_clerk']);
    const colleague = await login(t.url, 'jn-01-01.asc.window2');
    assert.strictEqual((await colleague.post(`/api/tasks/${task.userTaskKey}/claim`)).status, 200);
    const notMine = await p.window.post<Problem>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'accept' });
    assert.strictEqual(notMine.status, 403);
    assert.match(notMine.body.error.message, /claimed by jn-01-01.asc.window2/);
    const stolen = await p.window.post<Problem>(`/api/tasks/${task.userTaskKey}/claim`);
    assert.strictEqual(stolen.status, 409);
    const outsider = await p.countyReviewer.post<Problem>(`/api/tasks/${task.userTaskKey}/claim`);
    assert.strictEqual(outsider.status, 404, 'a task outside my groups does not exist for me');
    const wrong = await colleague.post<Problem>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'grant' });
    assert.strictEqual(wrong.status, 400);
    assert.match(wrong.body.error.message, /allowed: accept, reject, correct/);
    const noReason = await colleague.post<Problem>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'reject', opinion: '  ' });
    assert.strictEqual(noReason.status, 400);
    assert.match(noReason.body.error.message, /must give its reasons/);
    const extra = await colleague.post<Problem>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'accept', approveAll: true });
    assert.strictEqual(extra.status, 400);
    const ok = await colleague.post(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'accept', opinion: '受理' });
    assert.strictEqual(ok.status, 200);
    const again = await colleague.post(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'accept', opinion: '受理' });
    assert.strictEqual(again.status, 200, 'a retried completion is answered, not refused');
    const twice = await colleague.post<Problem>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'reject', opinion: '改主意' });
    assert.strictEqual(twice.status, 409);
    assert.match(twice.body.error.message, /no longer open/);
    await decide(p.countyReviewer, c.id, WATER.county, 'approve');
  });

  it('refuses broken BPMN with the reason, deploying nothing', async () => {
    const before = Number((await t.office.ctx.db('process_definitions').count({ n: '*' }))[0]?.n);
    const designer = await login(t.url, 'jn.wr.designer');
    const unreadable = await designer.post<Problem>('/api/processes', { name: 'broken.bpmn', xml: '<bpmn:definitions><oops' });
    assert.strictEqual(unreadable.status, 400);
    assert.strictEqual(unreadable.body.error.code, 'INVALID_BPMN');
    // readable XML the engine cannot execute: a service task without an implementation
    const xml = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t"><bpmn:process id="broken_process" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="x"/><bpmn:serviceTask id="x"/></bpmn:process></bpmn:definitions>`;
    const invalid = await designer.post<Problem>('/api/processes', { name: 'broken.bpmn', xml });
    assert.strictEqual(invalid.status, 400, JSON.stringify(invalid.body));
    assert.strictEqual(invalid.body.error.code, 'INVALID_BPMN');
    assert.match(JSON.stringify(invalid.body.error.details), /mandatory on serviceTask/);
    assert.strictEqual(invalid.body.error.details?.[0]?.path, 'x', 'the reason names the element, for the designer to mark');
    const wrongName = await designer.post<Problem>('/api/processes', { name: '../etc/passwd', xml });
    assert.strictEqual(wrongName.status, 400);
    assert.strictEqual(Number((await t.office.ctx.db('process_definitions').count({ n: '*' }))[0]?.n), before);
  });

  it('rejects an oversized body with 413', async () => {
    const r = await p.window.post<Problem>('/api/cases', { itemCode: 'x'.repeat(3 * 1024 * 1024) });
    assert.strictEqual(r.status, 413);
  });
});
