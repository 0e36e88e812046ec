/**
 * 加签 / 减签 on the real engine (issue 12): a signer before the holder (the task comes back) and after
 * the holder's decision (the signer decides), on an ordinary step; a signer added to or removed from
 * an open countersign, whose rule (会签 all, 票签 ratio of the signers at the time of counting) still
 * decides. For each: the allowed actor succeeds, others get 403/404 with nothing changed, the task
 * table equals the engine's open tasks, the timeline and the audit show it once, the step clocks
 * behave (an ordinary step's signer inherits its clock; a countersign instance has its own).
 */
import fs from 'node:fs/promises';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { io, type Socket } from 'socket.io-client';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { login, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { CITY, COUNTY, decide, JOINT, people, type People, submit, taskAt, WATER, type TaskJson } from '../support/licensing.ts';
import { deployXml } from '../../backend/engine/deploy.ts';

interface Task extends TaskJson {
  owner: string | null;
  signer: string | null;
  signPosition: string | null;
  signBy: string | null;
  completedBy: string | null;
}
interface Problem {
  error: { message: string };
}

describe('加签 / 减签: signers added before or after, and on a countersign', () => {
  let t: TestOffice;
  let p: People;
  let sup: Client;
  let reviewer2: Client;
  let head: Client;
  let tr: Client;
  const sockets: Socket[] = [];
  before(async () => {
    t = await startOffice();
    p = await people(t.url);
    const db = t.office.ctx.db;
    await addUser(db, 'jn-01-01.wr.reviewer2', 'JN-01-01.WR', ['reviewer']);
    // a fourth department of the city, to be added to the countersign
    const city = await db('org_units').where({ code: CITY }).first();
    await db('org_units').insert({ code: `${CITY}.TR`, name: '示范市交通运输局', kind: 'department', level: city.level, region_code: CITY, department: 'TR', parent_code: CITY, path: `${city.path}${CITY}.TR/` });
    await addUser(db, 'jn-01.tr.reviewer', `${CITY}.TR`, ['reviewer']);
    sup = await login(t.url, 'jn-01.sup.supervisor');
    reviewer2 = await login(t.url, 'jn-01-01.wr.reviewer2');
    head = await login(t.url, 'jn-01-01.wr.head');
    tr = await login(t.url, 'jn-01.tr.reviewer');
  });
  after(async () => {
    for (const s of sockets) s.close();
    await t?.close();
    await stopFeed();
  });

  const db = () => t.office.ctx.db;
  const instanceOf = async (caseId: string) => String((await db()('cases').where({ id: caseId }).first('process_instance_key')).process_instance_key);
  async function tablesAgree(caseId: string): Promise<Array<{ key: string; elementId: string; assignee: string | null }>> {
    const instanceId = await instanceOf(caseId);
    return waitFor(`task table of ${caseId} equals the engine's open tasks`, async () => {
      const engine = (await t.office.ctx.engine.openTasks({ instanceId })).map((x) => `${x.taskId}@${x.elementId}`).sort();
      const rows = await db()('tasks').where({ case_id: caseId, state: 'open' }).select('user_task_key', 'element_id', 'assignee');
      const ours = rows.map((r) => `${r.user_task_key}@${r.element_id}`).sort();
      return engine.length > 0 && JSON.stringify(engine) === JSON.stringify(ours) ? rows.map((r) => ({ key: String(r.user_task_key), elementId: r.element_id, assignee: r.assignee })) : null;
    });
  }
  const timelineCount = async (caseId: string, type: string) => Number((await db()('case_events').where({ case_id: caseId, type }).count({ n: '*' }).first())?.n);
  const auditCount = async (caseId: string, action: string) => Number((await db()('audit_log').where({ case_id: caseId, action }).count({ n: '*' }).first())?.n);
  const taskRow = async (key: string) => db()('tasks').where({ user_task_key: key }).first();
  const clockOf = async (key: string) => db()('clocks').where({ id: `task:${key}` }).first();
  async function claimed(who: Client, caseId: string, elementId: string): Promise<Task> {
    const task = await taskAt(who, caseId, elementId);
    const r = await who.post<Task>(`/api/tasks/${task.userTaskKey}/claim`);
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    return r.body;
  }
  function listen(token: string) {
    const socket: Socket = io(t.url, { auth: { token }, transports: ['websocket'] });
    sockets.push(socket);
    const got: Array<{ op: string; key: string }> = [];
    socket.on('task.operated', (e: { op: string; task: { userTaskKey: string } }) => got.push({ op: e.op, key: e.task.userTaskKey }));
    return { socket, got };
  }
  const atCounty = async () => {
    const c = await submit(p.window, WATER.item, COUNTY);
    await decide(p.window, c.id, WATER.window, 'accept');
    return { c, task: await claimed(p.countyReviewer, c.id, WATER.county) };
  };

  it('加签 before: the signer of the unit acts first, the task comes back to the holder; same task, same step clock', async () => {
    const { c, task } = await atCounty();
    const key = task.userTaskKey;
    const heard = listen(head.token);
    await new Promise<void>((resolve) => heard.socket.on('connect', () => resolve()));
    const list = await p.countyReviewer.get<{ countersign: boolean; candidates: Array<{ userId: string }> }>(`/api/tasks/${key}/signers`);
    assert.strictEqual(list.body.countersign, false);
    assert.deepStrictEqual(list.body.candidates.map((x) => x.userId), ['jn-01-01.wr.head', 'jn-01-01.wr.leader', 'jn-01-01.wr.reviewer2']);
    const body = { to: 'jn-01-01.wr.head', position: 'before', reason: '涉及水源保护区，请科长先行把关' };
    // others: not visible → 404; visible but not the holder → 403; nothing changes
    assert.strictEqual((await p.otherCountyReviewer.post(`/api/tasks/${key}/add-signer`, body)).status, 404);
    assert.strictEqual((await reviewer2.post(`/api/tasks/${key}/add-signer`, body)).status, 403);
    assert.strictEqual((await sup.post(`/api/tasks/${key}/add-signer`, body)).status, 403);
    // bad input: a person outside the unit, one without a role for the step, no position, no reason
    const outside = await p.countyReviewer.post<Problem>(`/api/tasks/${key}/add-signer`, { ...body, to: 'jn-01.wr.reviewer' });
    assert.strictEqual(outside.status, 400);
    assert.match(outside.body.error.message, /jn-01\.wr\.reviewer cannot sign .*an active person of your unit JN-01-01\.WR/);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${key}/add-signer`, { ...body, to: 'jn-01-01.asc.window' })).status, 400);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${key}/add-signer`, { to: body.to, reason: body.reason })).status, 400);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${key}/add-signer`, { ...body, reason: ' ' })).status, 400);
    assert.strictEqual((await taskRow(key)).assignee, 'jn-01-01.wr.reviewer');
    assert.strictEqual(await timelineCount(c.id, 'task.signer_added'), 0);

    const clock = await clockOf(key);
    const res = await p.countyReviewer.post<Task>(`/api/tasks/${key}/add-signer`, body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    assert.deepStrictEqual([res.body.assignee, res.body.owner, res.body.signer, res.body.signPosition, res.body.signBy], ['jn-01-01.wr.head', 'jn-01-01.wr.reviewer', 'jn-01-01.wr.head', 'before', 'jn-01-01.wr.reviewer']);
    await waitFor('the signer hears of it live', async () => heard.got.find((e) => e.op === 'addSigner' && e.key === key));
    // a retry changes nothing
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${key}/add-signer`, body)).status, 200);
    assert.strictEqual(await timelineCount(c.id, 'task.signer_added'), 1);
    assert.strictEqual(await auditCount(c.id, 'task.add_signer'), 1);
    // while the signer holds it, the holder decides nothing
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${key}/complete`, { decision: 'approve', opinion: '同意' })).status, 403);
    const open = await tablesAgree(c.id);
    assert.deepStrictEqual(open.map((o) => o.key), [key], 'no second task: the signer holds the same one');
    const engineTask = await waitFor('the engine delegated the task', async () => (await t.office.ctx.engine.openTasks({ instanceId: await instanceOf(c.id) })).find((x) => x.taskId === key && x.assignee === 'jn-01-01.wr.head'));
    assert.ok(engineTask);

    // the signer signs; the task comes back to the holder, who decides
    const signed = await head.post<Task>(`/api/tasks/${key}/resolve`, { opinion: '已核对水源保护区范围，同意' });
    assert.strictEqual(signed.status, 200, JSON.stringify(signed.body));
    assert.deepStrictEqual([signed.body.assignee, signed.body.owner, signed.body.signer], ['jn-01-01.wr.reviewer', null, null]);
    assert.strictEqual(await timelineCount(c.id, 'task.signed'), 1);
    assert.strictEqual(await timelineCount(c.id, 'task.resolved'), 0);
    const entry = await db()('case_events').where({ case_id: c.id, type: 'task.signer_added' }).first();
    assert.include(entry.data, '涉及水源保护区');
    const same = await clockOf(key);
    assert.deepStrictEqual([same.state, Number(same.due_at)], ['running', Number(clock.due_at)], 'the signer inherits the step clock');
    const done = await p.countyReviewer.post<Task>(`/api/tasks/${key}/complete`, { decision: 'approve', opinion: '初审同意' });
    assert.strictEqual(done.status, 200, JSON.stringify(done.body));
    assert.deepStrictEqual((await tablesAgree(c.id)).map((o) => o.elementId), [WATER.city]);
    // a closed task takes no signer
    const closed = await p.countyReviewer.post<Problem>(`/api/tasks/${key}/add-signer`, body);
    assert.strictEqual(closed.status, 409);
    assert.match(closed.body.error.message, /is completed, no longer open/);
  });

  it('加签 after: the holder decides, the signer acts next and decides the step', async () => {
    const { c, task } = await atCounty();
    const key = task.userTaskKey;
    const body = { to: 'jn-01-01.wr.leader', position: 'after', decision: 'approve', reason: '初审同意，请分管领导复核' };
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${key}/add-signer`, { ...body, decision: undefined })).status, 400);
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${key}/add-signer`, { ...body, decision: 'grant' })).status, 400);
    const res = await p.countyReviewer.post<Task>(`/api/tasks/${key}/add-signer`, body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    assert.deepStrictEqual([res.body.assignee, res.body.owner, res.body.signPosition], ['jn-01-01.wr.leader', null, 'after']);
    const leader = await login(t.url, 'jn-01-01.wr.leader');
    // the holder no longer decides; the signer does, although the step's group is not theirs
    assert.strictEqual((await p.countyReviewer.post(`/api/tasks/${key}/complete`, { decision: 'approve', opinion: '' })).status, 403);
    const done = await leader.post<Task>(`/api/tasks/${key}/complete`, { decision: 'approve', opinion: '复核同意' });
    assert.strictEqual(done.status, 200, JSON.stringify(done.body));
    assert.strictEqual(done.body.completedBy, 'jn-01-01.wr.leader');
    assert.deepStrictEqual((await tablesAgree(c.id)).map((o) => o.elementId), [WATER.city]);
    const entries = await db()('case_events').where({ case_id: c.id, type: 'task.signer_added' });
    assert.strictEqual(entries.length, 1);
    assert.include(entries[0].data, '"decision":"approve"');
    assert.strictEqual(await auditCount(c.id, 'task.add_signer'), 1);
  });

  /** A joint case at its countersign, every department's task open. */
  async function atCountersign() {
    const c = await submit(p.cityWindow, JOINT.item, CITY);
    await decide(p.cityWindow, c.id, JOINT.window, 'accept');
    const nr = await claimed(p.nr, c.id, JOINT.countersign);
    const [ee, wr] = await Promise.all([taskAt(p.ee, c.id, JOINT.countersign), taskAt(p.wr, c.id, JOINT.countersign)]);
    return { c, nr, ee, wr };
  }

  it('加签 on a countersign adds a department’s signer with its own step clock; 会签 then waits for it too', async () => {
    const { c, nr } = await atCountersign();
    const body = { to: 'jn-01.tr.reviewer', reason: '项目跨越国道，需交通运输部门会签' };
    const list = await p.nr.get<{ countersign: boolean; candidates: Array<{ userId: string }>; open: unknown[] }>(`/api/tasks/${nr.userTaskKey}/signers`);
    assert.strictEqual(list.body.countersign, true);
    assert.include(list.body.candidates.map((x) => x.userId), 'jn-01.tr.reviewer');
    assert.notInclude(list.body.candidates.map((x) => x.userId), 'jn-01.ee.reviewer', 'a department already signing is not offered');
    assert.strictEqual(list.body.open.length, 2);
    assert.strictEqual((await p.ee.post(`/api/tasks/${nr.userTaskKey}/add-signer`, body)).status, 404);
    assert.strictEqual((await sup.post(`/api/tasks/${nr.userTaskKey}/add-signer`, body)).status, 403);
    assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/add-signer`, { ...body, position: 'before' })).status, 400);
    const foreign = await p.nr.post<Problem>(`/api/tasks/${nr.userTaskKey}/add-signer`, { ...body, to: 'jn-01-01.wr.reviewer' });
    assert.strictEqual(foreign.status, 400, 'a county department is not of the countersign’s region');
    assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/add-signer`, { ...body, to: 'jn-01.ee.reviewer' })).status, 400);
    assert.strictEqual((await tablesAgree(c.id)).length, 3);

    const res = await p.nr.post<Task>(`/api/tasks/${nr.userTaskKey}/add-signer`, body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    const open = await waitFor('four signers', async () => {
      const o = await tablesAgree(c.id);
      return o.length === 4 ? o : null;
    });
    const added = open.find((o) => o.assignee === 'jn-01.tr.reviewer');
    assert.ok(added, 'the new instance goes to the named signer');
    assert.deepStrictEqual((await tr.get<Task>(`/api/tasks/${added.key}`)).body.candidateGroups, [`${CITY}.TR:reviewer`]);
    assert.strictEqual((await clockOf(added.key)).state, 'running', 'a countersign signer has its own step clock');
    assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/add-signer`, body)).status, 200, 'a retry changes nothing');
    assert.strictEqual(await timelineCount(c.id, 'task.signer_added'), 1);
    assert.strictEqual(await auditCount(c.id, 'task.add_signer'), 1);
    assert.strictEqual((await tablesAgree(c.id)).length, 4);

    // 会签: the three first departments' approvals are not enough any more
    await p.nr.post(`/api/tasks/${nr.userTaskKey}/complete`, { decision: 'approve', opinion: '用地符合规划' });
    await decide(p.ee, c.id, JOINT.countersign, 'approve');
    await decide(p.wr, c.id, JOINT.countersign, 'approve');
    const waiting = await waitFor('only the added signer open', async () => {
      const o = await tablesAgree(c.id);
      return o.length === 1 ? o : null;
    });
    assert.deepStrictEqual(waiting.map((o) => [o.elementId, o.assignee]), [[JOINT.countersign, 'jn-01.tr.reviewer']]);
    const trDone = await tr.post<Task>(`/api/tasks/${added.key}/complete`, { decision: 'approve', opinion: '不影响国道' });
    assert.strictEqual(trDone.status, 200, JSON.stringify(trDone.body));
    assert.deepStrictEqual((await tablesAgree(c.id)).map((o) => o.elementId), [JOINT.lead]);
  });

  it('减签 removes an open signer, never a decided one nor the last open one; 会签 decides on the rest', async () => {
    const { c, nr, ee, wr } = await atCountersign();
    const body = { signer: wr.userTaskKey, reason: '水利部门已出具前置意见，无需重复会签' };
    assert.strictEqual((await p.ee.post(`/api/tasks/${nr.userTaskKey}/remove-signer`, body)).status, 404);
    assert.strictEqual((await sup.post(`/api/tasks/${nr.userTaskKey}/remove-signer`, body)).status, 403);
    assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/remove-signer`, { ...body, reason: '' })).status, 400);
    assert.strictEqual((await taskRow(wr.userTaskKey)).state, 'open');
    const res = await p.nr.post<Task>(`/api/tasks/${nr.userTaskKey}/remove-signer`, body);
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    const open = await waitFor('two signers left', async () => {
      const o = await tablesAgree(c.id);
      return o.length === 2 ? o : null;
    });
    assert.notInclude(open.map((o) => o.key), wr.userTaskKey);
    assert.strictEqual((await taskRow(wr.userTaskKey)).state, 'canceled');
    assert.strictEqual((await clockOf(wr.userTaskKey)).state, 'stopped');
    assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/remove-signer`, body)).status, 200, 'a retry changes nothing');
    assert.strictEqual(await timelineCount(c.id, 'task.signer_removed'), 1);
    assert.strictEqual(await auditCount(c.id, 'task.remove_signer'), 1);

    await decide(p.ee, c.id, JOINT.countersign, 'approve', '环评符合要求');
    const decided = await p.nr.post<Problem>(`/api/tasks/${nr.userTaskKey}/remove-signer`, { ...body, signer: ee.userTaskKey });
    assert.strictEqual(decided.status, 409);
    assert.match(decided.body.error.message, /already decided/);
    const last = await p.nr.post<Problem>(`/api/tasks/${nr.userTaskKey}/remove-signer`, { ...body, signer: nr.userTaskKey });
    assert.strictEqual(last.status, 409);
    assert.match(last.body.error.message, /last open signer/);
    await p.nr.post(`/api/tasks/${nr.userTaskKey}/complete`, { decision: 'approve', opinion: '用地符合规划' });
    assert.deepStrictEqual((await tablesAgree(c.id)).map((o) => o.elementId), [JOINT.lead], 'two approvals of two signers: 会签 approves');
  });

  it('退回 to a countersign starts every signer again; 退回 from one cancels every signer’s task', async () => {
    const { c, nr } = await atCountersign();
    await p.nr.post(`/api/tasks/${nr.userTaskKey}/complete`, { decision: 'approve', opinion: '同意' });
    await decide(p.ee, c.id, JOINT.countersign, 'approve');
    await decide(p.wr, c.id, JOINT.countersign, 'approve');
    const lead = await claimed(p.nrLeader, c.id, JOINT.lead);
    const straight = await p.nrLeader.post<Problem>(`/api/tasks/${lead.userTaskKey}/return`, { target: JOINT.countersign, mode: 'back_to_me', reason: '请各部门重新会签' });
    assert.strictEqual(straight.status, 400);
    assert.match(straight.body.error.message, /countersign .* takes no "straight back to me"/);
    const res = await p.nrLeader.post(`/api/tasks/${lead.userTaskKey}/return`, { target: JOINT.countersign, mode: 'again', reason: '方案有重大变更，请各部门重新会签' });
    assert.strictEqual(res.status, 200, JSON.stringify(res.body));
    const again = await waitFor('three signers again', async () => {
      const o = await tablesAgree(c.id);
      return o.length === 3 ? o : null;
    });
    assert.deepStrictEqual(again.map((o) => [o.elementId, o.assignee]), [1, 2, 3].map(() => [JOINT.countersign, null]), 'each department’s group, nobody in particular');
    const groups = (await db()('tasks').whereIn('user_task_key', again.map((o) => o.key)).pluck('candidate_groups')).map(String).sort();
    assert.deepStrictEqual(groups, [`["${CITY}.EE:reviewer"]`, `["${CITY}.NR:reviewer"]`, `["${CITY}.WR:reviewer"]`]);
    // one department of a fresh case returns it to the window: the other signers' tasks end with it
    const other = await atCountersign();
    const ee = await claimed(p.ee, other.c.id, JOINT.countersign);
    const back = await p.ee.post(`/api/tasks/${ee.userTaskKey}/return`, { target: JOINT.window, mode: 'again', reason: '环评材料需补充' });
    assert.strictEqual(back.status, 200, JSON.stringify(back.body));
    assert.deepStrictEqual((await tablesAgree(other.c.id)).map((o) => o.elementId), [JOINT.window]);
    assert.strictEqual((await taskRow(ee.userTaskKey)).state, 'completed');
    assert.deepStrictEqual([(await taskRow(other.nr.userTaskKey)).state, (await taskRow(other.wr.userTaskKey)).state], ['canceled', 'canceled']);
  });

  /** The joint process with another sign rule: the same diagram under another id, the item bound to it. */
  async function bindJoint(processId: string, rule: string): Promise<void> {
    const xml = (await fs.readFile('processes/joint-construction-approval.bpmn', 'utf8'))
      .replaceAll('joint_construction_approval', processId)
      .replace('<camunda:property name="signRule" value="all" />', `<camunda:property name="signRule" value="${rule}" />`);
    await deployXml(t.office.ctx, `${processId}.bpmn`, xml);
    await db()('service_items').where({ code: JOINT.item }).update({ process_id: processId, process_version: null });
    for (const v of await db()('service_item_versions').where({ item_code: JOINT.item })) {
      await db()('service_item_versions').where({ item_code: JOINT.item, version: v.version }).update({ content: JSON.stringify({ ...JSON.parse(String(v.content)), processId, processVersion: null }) });
    }
  }

  describe('票签 ratio:0.5 — the ratio is of the signers at the time of counting', () => {
    before(() => bindJoint('joint_vote_approval', 'ratio:0.5'));

    it('after 加签, two refusals of four do not refuse; two approvals of four approve', async () => {
      const { c, nr } = await atCountersign();
      assert.strictEqual((await db()('cases').where({ id: c.id }).first('bpmn_process_id')).bpmn_process_id, 'joint_vote_approval');
      assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/add-signer`, { to: 'jn-01.tr.reviewer', reason: '需交通运输部门表决' })).status, 200);
      await waitFor('four signers', async () => ((await tablesAgree(c.id)).length === 4 ? true : null));
      await p.nr.post(`/api/tasks/${nr.userTaskKey}/complete`, { decision: 'reject', opinion: '不同意' });
      await decide(p.ee, c.id, JOINT.countersign, 'reject', '不同意');
      // of three signers two refusals would have refused (1 < 1.5 approvals possible); of four they do not
      const left = await waitFor('two signers still open', async () => {
        const o = await tablesAgree(c.id);
        return o.length === 2 && o.every((x) => x.elementId === JOINT.countersign) ? o : null;
      });
      assert.strictEqual(left.length, 2);
      await decide(p.wr, c.id, JOINT.countersign, 'approve');
      await decide(tr, c.id, JOINT.countersign, 'approve');
      assert.deepStrictEqual((await tablesAgree(c.id)).map((o) => o.elementId), [JOINT.lead], '2 of 4 approve: 0.5 reached');
    });

    it('after 减签, one approval of two approves at once and ends the other signer’s task', async () => {
      const { c, nr, ee, wr } = await atCountersign();
      assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/remove-signer`, { signer: wr.userTaskKey, reason: '不参与表决' })).status, 200);
      await waitFor('two signers', async () => ((await tablesAgree(c.id)).length === 2 ? true : null));
      // of three, one approval (1 < 1.5) would decide nothing; of the two signers left it is the half
      await p.nr.post(`/api/tasks/${nr.userTaskKey}/complete`, { decision: 'approve', opinion: '同意' });
      assert.deepStrictEqual((await tablesAgree(c.id)).map((o) => o.elementId), [JOINT.lead]);
      assert.strictEqual((await taskRow(ee.userTaskKey)).state, 'canceled', 'the completion condition ended the other signer');
    });
  });

  describe('或签 any — one approval decides, a refusal needs every signer at the time of counting', () => {
    before(() => bindJoint('joint_any_approval', 'any'));

    it('after 加签, three refusals of four do not refuse; the added signer’s approval decides', async () => {
      const { c, nr } = await atCountersign();
      assert.strictEqual((await db()('cases').where({ id: c.id }).first('bpmn_process_id')).bpmn_process_id, 'joint_any_approval');
      assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/add-signer`, { to: 'jn-01.tr.reviewer', reason: '交通运输部门可单独认可' })).status, 200);
      await waitFor('four signers', async () => ((await tablesAgree(c.id)).length === 4 ? true : null));
      await p.nr.post(`/api/tasks/${nr.userTaskKey}/complete`, { decision: 'reject', opinion: '不同意' });
      await decide(p.ee, c.id, JOINT.countersign, 'reject', '不同意');
      await decide(p.wr, c.id, JOINT.countersign, 'reject', '不同意');
      const left = await waitFor('the added signer still open', async () => {
        const o = await tablesAgree(c.id);
        return o.length === 1 && o[0]!.elementId === JOINT.countersign ? o : null;
      });
      assert.strictEqual(left[0]!.assignee, 'jn-01.tr.reviewer');
      await decide(tr, c.id, JOINT.countersign, 'approve', '同意');
      assert.deepStrictEqual((await tablesAgree(c.id)).map((o) => o.elementId), [JOINT.lead]);
    });

    it('after 减签, two refusals of the two signers left refuse the case', async () => {
      const { c, nr, wr } = await atCountersign();
      assert.strictEqual((await p.nr.post(`/api/tasks/${nr.userTaskKey}/remove-signer`, { signer: wr.userTaskKey, reason: '不参与' })).status, 200);
      await waitFor('two signers', async () => ((await tablesAgree(c.id)).length === 2 ? true : null));
      await p.nr.post(`/api/tasks/${nr.userTaskKey}/complete`, { decision: 'reject', opinion: '不同意' });
      await decide(p.ee, c.id, JOINT.countersign, 'reject', '不同意');
      const done = await waitFor('the case concluded', async () => {
        const r = await p.cityWindow.get<{ status: string; result: string | null }>(`/api/cases/${c.id}`);
        return r.body.status === 'concluded' ? r.body : null;
      });
      assert.strictEqual(done.result, 'refused');
    });
  });
});
