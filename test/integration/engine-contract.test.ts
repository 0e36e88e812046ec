/**
 * The engine port's contract, run against the real engine: every command (委派 delegate / resolve
 * included), and the feed's events for completion, cancellation by a boundary event, a modification,
 * a completion condition, a delete and the instance's end — each delivered at least once and applied exactly once. Another engine
 * implementation behind backend/engine/port.ts must pass this file unchanged (with its own
 * `createEngine`).
 */
import { assert } from 'chai';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { repoRoot } from '../../config/index.ts';
import { createOperatonEngine } from '../../backend/engine/operaton/index.ts';
import { EngineError, type EngineEvent, type EnginePort } from '../../backend/engine/port.ts';
import { env, hearFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';

const read = (f: string) => fs.readFileSync(path.join(repoRoot, f), 'utf8');
const WATER = read('processes/water-abstraction-permit.bpmn');
const JOINT = read('processes/joint-construction-approval.bpmn');
const TIMED = read('test/fixtures/timed-review.bpmn');
const REGION = { countyCode: 'JN-01-01', cityCode: 'JN-01', provinceCode: 'JN', correctionWindow: 'P30D' };

async function rejects(kind: EngineError['kind'], work: Promise<unknown>): Promise<EngineError> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof EngineError, `an EngineError, not ${String(err)}`);
    assert.strictEqual(err.kind, kind, err.message);
    return err;
  }
  assert.fail(`expected a ${kind} EngineError`);
}

describe('engine port contract (Operaton)', () => {
  let engine: EnginePort;
  let office: TestOffice;
  /** every event this file has read off the feed, in order */
  const events: EngineEvent[] = [];
  const mine = new Set<string>();

  /** Reads (and acknowledges) the feed until `done` holds for the events of `businessKey`. */
  async function until(businessKey: string, what: string, done: (of: EngineEvent[]) => boolean): Promise<EngineEvent[]> {
    const of = () => events.filter((e) => e.businessKey === businessKey);
    return waitFor(what, async () => {
      if (done(of())) return of();
      const batch = await engine.feed.read({ max: 500, waitMs: 300 });
      events.push(...batch.events);
      if (batch.cursor) await engine.feed.ack(batch.cursor);
      return done(of()) ? of() : null;
    }, 30_000);
  }
  const start = async (processId: string, variables: Record<string, string>) => {
    const businessKey = `contract-${randomUUID()}`;
    mine.add(businessKey);
    const started = await engine.start({ processId, businessKey, variables: { caseId: businessKey, ...variables } });
    return { businessKey, ...started };
  };
  const taskOf = (of: EngineEvent[], elementId: string, nth = 0) => {
    const t = of.filter((e): e is Extract<EngineEvent, { type: 'task.created' }> => e.type === 'task.created' && e.elementId === elementId)[nth];
    assert.ok(t, `a task at ${elementId}`);
    return t;
  };
  const has = (type: EngineEvent['type'], extra: (e: EngineEvent) => boolean = () => true) => (of: EngineEvent[]) => of.some((e) => e.type === type && extra(e));

  before(async () => {
    // this file reads the feed itself: no office of this process may take its events
    await hearFeed(null);
    office = await startOffice({ feed: 'off', env: { DEPLOY_ON_START: 'false' } });
    engine = createOperatonEngine({ url: env.engineUrl, token: env.engineToken, timeoutMs: 5000 });
  });
  after(async () => {
    await office?.close();
    await engine?.close();
  });

  it('deploys idempotently, answers the XML, and rejects broken BPMN with per-element reasons', async () => {
    const [first] = await engine.deploy('water-abstraction-permit.bpmn', WATER);
    assert.strictEqual(first?.processId, 'water_abstraction_permit');
    const [again] = await engine.deploy('water-abstraction-permit.bpmn', WATER);
    assert.deepStrictEqual(again, first, 'an unchanged file deploys nothing new');
    assert.match(await engine.definitionXml(first!.definitionId), /id="water_abstraction_permit"/);
    await engine.deploy('joint-construction-approval.bpmn', JOINT);
    await engine.deploy('timed-review.bpmn', TIMED);
    const broken = await rejects('rejected', engine.deploy('broken.bpmn', WATER.replace('targetRef="county_review"', 'targetRef="nowhere"')));
    assert.ok(broken.details.some((d) => d.elementId && /nowhere/.test(d.message)), JSON.stringify(broken.details));
    await rejects('not_found', engine.definitionXml('no-such-definition'));
  });

  it('starts with a business key, assigns, sets a due date, completes — and feeds each step', async () => {
    const s = await start('water_abstraction_permit', REGION);
    assert.ok(s.version >= 1);
    assert.deepStrictEqual(await engine.instancesOf(s.businessKey), [{ instanceId: s.instanceId, definitionId: s.definitionId }]);
    let of = await until(s.businessKey, 'the window task', has('task.created'));
    assert.strictEqual(of[0]?.type, 'instance.started', 'the instance starts before its first task');
    const window = taskOf(of, 'window_acceptance');
    assert.deepStrictEqual(window.candidateGroups, ['JN-01-01.ASC:window']);
    assert.strictEqual(window.instanceId, s.instanceId);
    assert.strictEqual(window.definitionId, s.definitionId);

    await engine.assign(window.taskId, 'jn-01-01.asc.window');
    assert.deepStrictEqual((await engine.openTasks({ instanceId: s.instanceId })).map((t) => [t.taskId, t.assignee]), [[window.taskId, 'jn-01-01.asc.window']]);
    const due = Date.parse('2027-01-15T09:30:00.000Z');
    await engine.setDueDate(window.taskId, due);
    await until(s.businessKey, 'assignment and due date fed', (x) => has('task.assigned')(x) && has('task.updated', (e) => (e as { dueAt: number | null }).dueAt === due)(x));
    await engine.complete(window.taskId, { decision: 'accept', opinion: '受理' });
    of = await until(s.businessKey, 'completion and the next task', has('task.created', (e) => (e as { elementId: string }).elementId === 'county_review'));
    const completed = of.find((e) => e.type === 'task.completed');
    assert.deepStrictEqual(completed && { taskId: (completed as { taskId: string }).taskId, decision: (completed as { decision: string }).decision }, { taskId: window.taskId, decision: 'accept' });
    assert.strictEqual(of.some((e) => e.type === 'task.canceled'), false, 'a completion is not a cancellation');
    await rejects('not_found', engine.complete(window.taskId, { decision: 'accept' }));
  });

  it('delegates a task (委派) and gets it back by resolve: the same task, with its owner again, then decided', async () => {
    const s = await start('water_abstraction_permit', REGION);
    let of = await until(s.businessKey, 'the window task', has('task.created'));
    await engine.complete(taskOf(of, 'window_acceptance').taskId, { decision: 'accept' });
    of = await until(s.businessKey, 'the county task', has('task.created', (e) => (e as { elementId: string }).elementId === 'county_review'));
    const county = taskOf(of, 'county_review');
    const assignees = async () => (await engine.openTasks({ instanceId: s.instanceId })).map((t) => [t.taskId, t.assignee]);
    await engine.assign(county.taskId, 'jn-01-01.wr.reviewer');
    await engine.delegate(county.taskId, 'jn-01-01.wr.reviewer2');
    assert.deepStrictEqual(await assignees(), [[county.taskId, 'jn-01-01.wr.reviewer2']], 'the delegate holds the same task');
    await until(s.businessKey, 'the delegation fed as an assignment', has('task.assigned', (e) => (e as { assignee: string | null }).assignee === 'jn-01-01.wr.reviewer2'));
    // the contract does not ask the engine to refuse a completion meanwhile (Operaton 1.0 accepts it):
    // the back office refuses it itself (tasks/service.ts, while the task has an owner)
    await engine.resolve(county.taskId, { opinion: '已核实取水口位置' });
    assert.deepStrictEqual(await assignees(), [[county.taskId, 'jn-01-01.wr.reviewer']], 'back with its owner, still open');
    of = await until(s.businessKey, 'the hand-back fed as an assignment', has('task.assigned', (e) => (e as { taskId: string; assignee: string | null }).taskId === county.taskId && (e as { assignee: string | null }).assignee === 'jn-01-01.wr.reviewer'));
    assert.strictEqual(of.some((e) => e.type === 'task.completed' && e.taskId === county.taskId), false, 'a resolve is not a completion');
    await engine.complete(county.taskId, { decision: 'approve', opinion: '同意' });
    of = await until(s.businessKey, 'the owner’s decision', has('task.completed', (e) => (e as { taskId: string }).taskId === county.taskId));
    assert.strictEqual((of.find((e) => e.type === 'task.completed' && e.taskId === county.taskId) as { decision: string }).decision, 'approve');
    await rejects('not_found', engine.delegate(county.taskId, 'jn-01-01.wr.reviewer2'));
    await rejects('not_found', engine.resolve(county.taskId));
  });

  it('moves the token back (退回) as a modification, suspends and resumes, waits for a message', async () => {
    const s = await start('water_abstraction_permit', REGION);
    let of = await until(s.businessKey, 'the window task', has('task.created'));
    await engine.complete(taskOf(of, 'window_acceptance').taskId, { decision: 'accept' });
    of = await until(s.businessKey, 'the county task', has('task.created', (e) => (e as { elementId: string }).elementId === 'county_review'));
    const county = taskOf(of, 'county_review');
    await engine.moveToken(s.instanceId, { from: 'county_review', to: 'window_acceptance' });
    of = await until(s.businessKey, 'the county task cancelled by the move', (x) => has('task.canceled')(x) && x.filter((e) => e.type === 'task.created').length === 3);
    const canceled = of.find((e) => e.type === 'task.canceled') as Extract<EngineEvent, { type: 'task.canceled' }>;
    // cancelled, not completed: the engine gives every such end the reason "deleted"
    assert.deepStrictEqual([canceled.taskId, canceled.reason], [county.taskId, 'deleted']);
    const back = taskOf(of, 'window_acceptance', 1);

    await engine.suspend(s.instanceId);
    const refused = await engine.complete(back.taskId, { decision: 'correct' }).then(() => null, (err: unknown) => err);
    assert.ok(refused instanceof EngineError && refused.kind !== 'unavailable', `a suspended instance refuses decisions: ${String(refused)}`);
    await engine.resume(s.instanceId);
    await engine.complete(back.taskId, { decision: 'correct', opinion: '缺材料' });
    await until(s.businessKey, 'waiting for supplements', has('wait.started', (e) => (e as { elementId: string }).elementId === 'await_supplements'));
    await engine.correlate({ message: 'case.supplemented', businessKey: s.businessKey, variables: { supplementedMaterials: ['取水许可申请书'] } });
    await until(s.businessKey, 'back at the window', (x) => has('wait.ended')(x) && x.filter((e) => e.type === 'task.created' && e.elementId === 'window_acceptance').length === 3);
    await rejects('rejected', engine.correlate({ message: 'case.supplemented', businessKey: s.businessKey }));
  });

  it('feeds a delete: the open task cancelled, the instance ended as cancelled', async () => {
    const s = await start('water_abstraction_permit', REGION);
    const of0 = await until(s.businessKey, 'the window task', has('task.created'));
    await engine.terminate(s.instanceId, 'applicant withdrew');
    const of = await until(s.businessKey, 'the end', has('instance.ended'));
    const canceled = of.find((e) => e.type === 'task.canceled') as Extract<EngineEvent, { type: 'task.canceled' }>;
    assert.strictEqual(canceled.taskId, taskOf(of0, 'window_acceptance').taskId);
    assert.strictEqual((of.find((e) => e.type === 'instance.ended') as { outcome: string }).outcome, 'canceled');
    assert.deepStrictEqual(await engine.instancesOf(s.businessKey), []);
    await rejects('not_found', engine.terminate(s.instanceId, 'again'));
  });

  it('feeds a cancel by a timer boundary event and the instance completing by another end', async () => {
    const s = await start('test_timed_review', { ...REGION, timeoutAfter: 'PT1S' });
    const of = await until(s.businessKey, 'the timer to fire', has('instance.ended'));
    const created = taskOf(of, 'Task_TimedReview');
    assert.deepStrictEqual(of.filter((e) => e.type === 'task.canceled').map((e) => (e as { taskId: string }).taskId), [created.taskId]);
    assert.ok(of.some((e) => e.type === 'end.reached' && e.elementId === 'end_withdrawn' && e.topLevel));
    assert.strictEqual((of.find((e) => e.type === 'instance.ended') as { outcome: string }).outcome, 'completed');
  });

  it('feeds the tasks a completion condition ends (会签: one refusal decides)', async () => {
    const s = await start('joint_construction_approval', { ...REGION, departments: 'JN-01.NR,JN-01.EE,JN-01.WR', leadDepartment: 'JN-01.NR' });
    let of = await until(s.businessKey, 'the window task', has('task.created'));
    await engine.complete(taskOf(of, 'window_acceptance').taskId, { decision: 'accept' });
    of = await until(s.businessKey, 'three countersign tasks', (x) => x.filter((e) => e.type === 'task.created' && e.elementId === 'department_countersign').length === 3);
    const signers = [0, 1, 2].map((i) => taskOf(of, 'department_countersign', i));
    assert.deepStrictEqual(signers.map((t) => t.candidateGroups[0]).sort(), ['JN-01.EE:reviewer', 'JN-01.NR:reviewer', 'JN-01.WR:reviewer']);
    await engine.complete(signers[0]!.taskId, { decision: 'reject', opinion: '不符合' });
    of = await until(s.businessKey, 'the end', has('instance.ended'));
    assert.deepStrictEqual(of.filter((e) => e.type === 'task.canceled').map((e) => (e as { taskId: string }).taskId).sort(), [signers[1]!.taskId, signers[2]!.taskId].sort());
    assert.ok(of.some((e) => e.type === 'end.reached' && e.elementId === 'end_refused'));
  });

  it('adds a signer instance to a countersign (加签) and cancels one (减签); the count follows both', async () => {
    const s = await start('joint_construction_approval', { ...REGION, departments: 'JN-01.NR,JN-01.EE,JN-01.WR', leadDepartment: 'JN-01.NR' });
    let of = await until(s.businessKey, 'the window task', has('task.created'));
    await engine.complete(taskOf(of, 'window_acceptance').taskId, { decision: 'accept' });
    of = await until(s.businessKey, 'three countersign tasks', (x) => x.filter((e) => e.type === 'task.created' && e.elementId === 'department_countersign').length === 3);
    const [nr, ee, wr] = [0, 1, 2].map((i) => taskOf(of, 'department_countersign', i));
    await engine.addInstance(nr!.taskId, { department: 'JN-01.TR' });
    of = await until(s.businessKey, 'a fourth countersign task', (x) => x.filter((e) => e.type === 'task.created' && e.elementId === 'department_countersign').length === 4);
    const tr = taskOf(of, 'department_countersign', 3);
    assert.deepStrictEqual(tr.candidateGroups, ['JN-01.TR:reviewer'], 'the instance’s own variable names its group');
    await engine.cancelInstance(wr!.taskId);
    of = await until(s.businessKey, 'one signer cancelled', has('task.canceled'));
    assert.deepStrictEqual(of.filter((e) => e.type === 'task.canceled').map((e) => (e as { taskId: string }).taskId), [wr!.taskId]);
    await rejects('not_found', engine.cancelInstance(wr!.taskId));
    // 会签 of the three signers now: all approve, the lead decides
    for (const t of [nr!, ee!, tr]) await engine.complete(t.taskId, { decision: 'approve' });
    of = await until(s.businessKey, 'the lead decision', has('task.created', (e) => (e as { elementId: string }).elementId === 'lead_decision'));
    assert.strictEqual((await engine.openTasks({ instanceId: s.instanceId })).map((t) => t.elementId).join(), 'lead_decision');
  });

  it('applies every event exactly once, however often it is delivered', async () => {
    const ours = events.filter((e) => e.businessKey && mine.has(e.businessKey));
    assert.ok(ours.length > 30, `the feed delivered this file's events (${ours.length})`);
    assert.strictEqual(new Set(ours.map((e) => e.eventId)).size, ours.length, 'event ids are unique');
    const first = await office.office.ingest.apply(ours);
    assert.deepStrictEqual(first, { applied: ours.length, skipped: 0 });
    assert.deepStrictEqual(await office.office.ingest.apply([...ours].reverse()), { applied: 0, skipped: ours.length });
  });

  it('classifies failures: unknown ids, refused starts, an engine that is not there, a wrong token', async () => {
    await rejects('not_found', engine.start({ processId: 'no_such_process', businessKey: 'x', variables: {} }));
    await rejects('not_found', engine.assign('no-such-task', 'someone'));
    const gone = createOperatonEngine({ url: 'http://127.0.0.1:65533/engine-rest', token: env.engineToken, timeoutMs: 1000 });
    await rejects('unavailable', gone.ping());
    const stranger = createOperatonEngine({ url: env.engineUrl, token: 'not-the-token-at-all', timeoutMs: 2000 });
    const refused = await rejects('unavailable', stranger.ping());
    assert.match(refused.message, /credentials/);
    // a node that cannot be reached is skipped for the next one of the same cluster
    const pair = createOperatonEngine({ url: `http://127.0.0.1:65533/engine-rest,${env.engineUrl}`, token: env.engineToken, timeoutMs: 2000 });
    await pair.ping();
    assert.match(await pair.describe(), /^Operaton \d/);
  });
});
