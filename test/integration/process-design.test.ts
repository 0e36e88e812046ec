/**
 * What the designer works with: the BPMN files of the repository, server-side drafts (saved only by
 * the owning department's designers), the deployed definitions with their owner, and binding a
 * catalogue item to one deployed version — proven on the real broker by the definition new cases
 * start. Also the case page's extra fields (item name, definition, materials, visited steps, clock).
 *   404 = may not even know it exists · 403 = may see it, may not do it · 400 = bad input, with reasons
 */
import { assert } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { repoRoot } from '../../config/index.ts';
import { login, request, type Client } from '../support/api.ts';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, JOINT, submit, taskAt, WATER } from '../support/licensing.ts';

const ACTORS = ['jn.wr.designer', 'jn.asc.designer', 'jn.asc.admin', 'jn-01-01.wr.reviewer', 'jn-01-01.asc.window', 'jn-01.sup.supervisor', 'jn.wr.leader'] as const;
type Actor = (typeof ACTORS)[number];
const WATER_FILE = 'water-abstraction-permit.bpmn';
const waterXml = () => fs.readFileSync(path.join(repoRoot, 'processes', WATER_FILE), 'utf8');
const jointXml = () => fs.readFileSync(path.join(repoRoot, 'processes', 'joint-construction-approval.bpmn'), 'utf8');

interface Definition {
  definitionKey: string;
  bpmnProcessId: string;
  version: number;
  ownerDepartment: string | null;
  mayDeploy: boolean;
}
interface Draft {
  bpmnProcessId: string;
  name: string;
  department: string;
  updatedBy: string;
  updatedAt: string;
  xml?: string;
}
interface CasePage {
  id: string;
  itemName: string | null;
  processDefinitionKey: string | null;
  materials: Array<{ name: string; source: string; at: string }>;
  visitedElements: string[];
  clock: { dueOn: string; level: string; state: string; workingDaysLeft: number | null } | null;
  awaiting: string | null;
}

describe('process design: files, drafts, definitions, binding a version', () => {
  let t: TestOffice;
  const as = {} as Record<Actor, Client>;
  before(async () => {
    t = await startOffice();
    for (const a of ACTORS) as[a] = await login(t.url, a);
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('lists the repository’s BPMN files with their process id and name, and serves each one', async () => {
    const list = await as['jn-01-01.wr.reviewer'].get<{ items: Array<{ name: string; bpmnProcessId: string; processName: string }> }>('/api/processes/files');
    assert.strictEqual(list.status, 200);
    const onDisk = fs.readdirSync(path.join(repoRoot, 'processes')).filter((f) => f.endsWith('.bpmn')).sort();
    assert.deepStrictEqual(list.body.items.map((f) => f.name), onDisk);
    assert.deepStrictEqual(list.body.items.find((f) => f.name === WATER_FILE), { name: WATER_FILE, bpmnProcessId: WATER.process, processName: '取水许可' });
    assert.strictEqual(list.body.items.find((f) => f.name === 'joint-construction-approval.bpmn')?.bpmnProcessId, JOINT.process);

    const file = await as['jn-01.sup.supervisor'].get<string>(`/api/processes/files/${WATER_FILE}`);
    assert.strictEqual(file.status, 200);
    assert.match(file.headers.get('content-type') ?? '', /^application\/xml/);
    assert.strictEqual(file.body, waterXml());

    assert.strictEqual((await as['jn.wr.designer'].get('/api/processes/files/nope.bpmn')).status, 404);
    for (const bad of ['..%2Fpackage.json', '..%2F..%2Fprocesses%2Fwater-abstraction-permit.bpmn', '%2Fetc%2Fpasswd.bpmn', 'notes.txt', '..%5Cx.bpmn']) {
      const r = await as['jn.wr.designer'].get<{ error: { code: string } }>(`/api/processes/files/${bad}`);
      assert.strictEqual(r.status, 400, `${bad} → ${r.status}`);
      assert.strictEqual(r.body.error.code, 'VALIDATION_FAILED');
    }
    assert.strictEqual((await request(t.url, 'GET', '/api/processes/files')).status, 401);
  });

  it('tells for each deployed definition who owns it and whether the caller may deploy it', async () => {
    const mine = (await as['jn.wr.designer'].get<{ items: Definition[] }>('/api/processes')).body.items;
    const water = mine.filter((d) => d.bpmnProcessId === WATER.process);
    assert.ok(water.length > 0);
    assert.ok(water.every((d) => d.ownerDepartment === 'WR' && d.mayDeploy));
    assert.ok(mine.filter((d) => d.bpmnProcessId === JOINT.process).every((d) => d.ownerDepartment === 'ASC' && !d.mayDeploy));
    const asc = (await as['jn.asc.designer'].get<{ items: Definition[] }>('/api/processes')).body.items;
    assert.ok(asc.filter((d) => d.bpmnProcessId === JOINT.process).every((d) => d.mayDeploy));
    for (const a of ['jn-01-01.wr.reviewer', 'jn.asc.admin', 'jn-01.sup.supervisor'] as const) {
      assert.ok((await as[a].get<{ items: Definition[] }>('/api/processes')).body.items.every((d) => !d.mayDeploy), `${a} deploys nothing`);
    }
  });

  it('keeps drafts: saved by the owning department’s designers only, readable by all, deleted by the owners', async () => {
    const url = `/api/processes/drafts/${WATER.process}`;
    const saved = await as['jn.wr.designer'].put<Draft>(url, { name: WATER_FILE, xml: waterXml() });
    assert.strictEqual(saved.status, 200, JSON.stringify(saved.body));
    assert.strictEqual(saved.body.bpmnProcessId, WATER.process);
    assert.strictEqual(saved.body.name, WATER_FILE);
    assert.strictEqual(saved.body.department, 'WR');
    assert.strictEqual(saved.body.updatedBy, 'jn.wr.designer');
    assert.strictEqual(saved.body.xml, waterXml());
    assert.ok(!Number.isNaN(Date.parse(saved.body.updatedAt)));

    for (const a of ['jn.asc.designer', 'jn.asc.admin', 'jn-01-01.wr.reviewer', 'jn-01.sup.supervisor'] as const) {
      const r = await as[a].put<{ error: { message: string } }>(url, { name: WATER_FILE, xml: waterXml() });
      assert.strictEqual(r.status, 403, `${a} saving a water draft`);
      assert.ok(r.body.error.message.length > 0);
    }
    // bad input, each with a reason
    const wrongProcess = await as['jn.wr.designer'].put<{ error: { code: string; message: string } }>(url, { name: WATER_FILE, xml: jointXml() });
    assert.strictEqual(wrongProcess.status, 400);
    assert.strictEqual(wrongProcess.body.error.code, 'INVALID_BPMN');
    assert.match(wrongProcess.body.error.message, /water_abstraction_permit/);
    const garbage = await as['jn.wr.designer'].put<{ error: { code: string } }>(url, { name: WATER_FILE, xml: '<bpmn:definitions' });
    assert.strictEqual(garbage.status, 400);
    assert.strictEqual(garbage.body.error.code, 'INVALID_BPMN');
    assert.strictEqual((await as['jn.wr.designer'].put(url, { name: WATER_FILE, xml: '<html><body/></html>' })).status, 400, 'XML but not BPMN');
    assert.strictEqual((await as['jn.wr.designer'].put(url, { name: 'water.xml', xml: waterXml() })).status, 400, 'a .bpmn file name');
    assert.strictEqual((await as['jn.wr.designer'].put(url, { xml: waterXml() })).status, 400, 'name missing');
    assert.strictEqual((await as['jn.wr.designer'].put(url, { name: WATER_FILE, xml: waterXml(), extra: 1 })).status, 400, 'unknown field');
    assert.strictEqual((await as['jn.wr.designer'].put('/api/processes/drafts/9bad', { name: WATER_FILE, xml: waterXml() })).status, 400, 'not a BPMN id');

    // an unfinished new process: not executable, a flow to nowhere — still a draft worth keeping
    const unfinished = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs_new" targetNamespace="http://licence-desk.local/bpmn">
  <bpmn:process id="wr_well_permit" name="取水井审批（草稿）">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="flow_1" sourceRef="start" targetRef="not_drawn_yet" />
  </bpmn:process>
</bpmn:definitions>`;
    const fresh = await as['jn.wr.designer'].put<Draft>('/api/processes/drafts/wr_well_permit', { name: 'wr-well-permit.bpmn', xml: unfinished });
    assert.strictEqual(fresh.status, 200, JSON.stringify(fresh.body));
    assert.strictEqual(fresh.body.department, 'WR', 'a new process belongs to the department that drafts it');
    assert.strictEqual((await as['jn.asc.designer'].put('/api/processes/drafts/wr_well_permit', { name: 'mine.bpmn', xml: unfinished })).status, 403, 'another department cannot take the draft over');
    const taken = unfinished.replace('<bpmn:process id="wr_well_permit"', '<bpmn:process id="wr_well_permit" isExecutable="true"').replace('<bpmn:sequenceFlow id="flow_1" sourceRef="start" targetRef="not_drawn_yet" />', '<bpmn:endEvent id="end" />');
    assert.strictEqual((await as['jn.asc.designer'].post('/api/processes', { name: 'x.bpmn', xml: taken })).status, 403, 'nor deploy a process another department is drafting');

    const list = await as['jn-01-01.wr.reviewer'].get<{ items: Draft[] }>('/api/processes/drafts');
    assert.strictEqual(list.status, 200);
    assert.deepStrictEqual(list.body.items.map((d) => [d.bpmnProcessId, d.name, d.updatedBy]), [
      [WATER.process, WATER_FILE, 'jn.wr.designer'],
      ['wr_well_permit', 'wr-well-permit.bpmn', 'jn.wr.designer'],
    ]);
    assert.ok(list.body.items.every((d) => d.xml === undefined), 'the list carries no XML');
    const one = await as['jn-01.sup.supervisor'].get<Draft>('/api/processes/drafts/wr_well_permit');
    assert.strictEqual(one.status, 200);
    assert.strictEqual(one.body.xml, unfinished);
    assert.strictEqual((await as['jn.wr.designer'].get('/api/processes/drafts/no_such_process')).status, 404);

    assert.strictEqual((await as['jn.asc.designer'].del('/api/processes/drafts/wr_well_permit')).status, 403);
    assert.strictEqual((await as['jn-01-01.wr.reviewer'].del('/api/processes/drafts/wr_well_permit')).status, 403);
    const gone = await as['jn.wr.designer'].del('/api/processes/drafts/wr_well_permit');
    assert.strictEqual(gone.status, 204);
    assert.strictEqual((await as['jn.wr.designer'].del('/api/processes/drafts/wr_well_permit')).status, 404);
    assert.strictEqual((await as['jn.wr.designer'].get('/api/processes/drafts/wr_well_permit')).status, 404);
    // with the draft gone the id is free again: now the ASC designer's, as a new process
    assert.strictEqual((await as['jn.asc.designer'].put<Draft>('/api/processes/drafts/wr_well_permit', { name: 'mine.bpmn', xml: unfinished })).body.department, 'ASC');
  });

  /** 四眼原则: a change to the live water item waits for a second person of WR; the filer may not approve it. */
  const approved = async <T,>(reply: { status: number; body: unknown }, filer: Actor): Promise<{ status: number; body: T }> => {
    assert.strictEqual(reply.status, 202, JSON.stringify(reply.body));
    const id = (reply.body as { changeRequest: { id: string } }).changeRequest.id;
    if (filer !== 'jn.asc.admin') assert.strictEqual((await as[filer].post(`/api/change-requests/${id}/approve`)).status, 403, 'not one’s own request');
    const r = await as['jn.wr.leader'].post<{ result: T }>(`/api/change-requests/${id}/approve`);
    assert.strictEqual(r.status, 200, JSON.stringify(r.body));
    return { status: r.status, body: r.body.result };
  };

  it('binds an item to a deployed version: new cases start that version, later ones the latest again', async () => {
    const water = async () => (await as['jn.wr.designer'].get<{ items: Definition[] }>('/api/processes')).body.items.filter((d) => d.bpmnProcessId === WATER.process);
    const first = (await water())[0] as Definition; // the version deployed at start (newest known)
    // a second version: the same process under a new name (unique, so the broker makes a new version)
    const revised = waterXml().replace('name="取水许可" isExecutable="true"', `name="取水许可（修订 ${Date.now()}）" isExecutable="true"`);
    const deployed = await approved<{ items: Array<{ version: number; processDefinitionKey: string }> }>(await as['jn.wr.designer'].post('/api/processes', { name: WATER_FILE, xml: revised }), 'jn.wr.designer');
    assert.strictEqual(deployed.status, 200, JSON.stringify(deployed.body));
    const second = deployed.body.items[0] as { version: number; processDefinitionKey: string };
    assert.ok(second.version > first.version);
    assert.strictEqual((await water())[0]?.definitionKey, second.processDefinitionKey, 'the new version is listed first');

    const bind = (a: Actor, body: unknown, code = WATER.item) => as[a].put<{ code: string; processId: string; processVersion: number | null; error?: { code: string; message: string } }>(`/api/items/${code}/process`, body);
    assert.strictEqual((await bind('jn.asc.designer', { version: first.version })).status, 403, 'water belongs to WR');
    assert.strictEqual((await bind('jn-01-01.wr.reviewer', { version: first.version })).status, 403);
    assert.strictEqual((await bind('jn-01.sup.supervisor', { version: first.version })).status, 403);
    assert.strictEqual((await bind('jn.wr.designer', { version: first.version }, 'NO-SUCH-ITEM')).status, 404);
    const missing = await bind('jn.wr.designer', { version: 9999 });
    assert.strictEqual(missing.status, 400);
    assert.match(missing.body.error?.message ?? '', /version 9999 of process water_abstraction_permit is not deployed/);
    for (const body of [{}, { version: 'latest' }, { version: 0 }, { version: 1.5 }, { version: 1, extra: true }]) assert.strictEqual((await bind('jn.wr.designer', body)).status, 400, JSON.stringify(body));
    assert.strictEqual((await bind('jn.wr.designer', { version: 1 }, JOINT.item)).status, 403, 'the joint approval’s process belongs to ASC');

    const bound = await approved<{ processVersion: number | null }>(await bind('jn.wr.designer', { version: first.version }), 'jn.wr.designer');
    assert.strictEqual(bound.status, 200, JSON.stringify(bound.body));
    assert.strictEqual(bound.body.processVersion, first.version);
    const item = await as['jn-01-01.asc.window'].get<{ processId: string; processVersion: number | null }>(`/api/items/${WATER.item}`);
    assert.deepStrictEqual([item.body.processId, item.body.processVersion], [WATER.process, first.version]);

    const window = as['jn-01-01.asc.window'];
    const onFirst = await submit(window, WATER.item, COUNTY);
    await waitFor('the first case started', async () => (await window.get<CasePage>(`/api/cases/${onFirst.id}`)).body.processDefinitionKey);
    const pinned = (await window.get<CasePage>(`/api/cases/${onFirst.id}`)).body;
    assert.strictEqual(pinned.processDefinitionKey, first.definitionKey, 'the engine started the bound version');
    assert.strictEqual((await taskAt(window, onFirst.id, WATER.window)).state, 'open', 'and it runs');
    const xml = await window.get<string>(`/api/processes/${pinned.processDefinitionKey}/xml`);
    assert.isString(xml.body, 'the XML of the bound version'); // node's doesNotMatch refused a non-string; chai's notMatch would pass it
    assert.notMatch(xml.body, /修订/, 'the diagram the case page draws is the bound one');

    const admin = await approved<{ processVersion: number | null }>(await bind('jn.asc.admin', { version: null }), 'jn.asc.admin');
    assert.strictEqual(admin.status, 200, 'administrators keep the catalogue too');
    assert.strictEqual(admin.body.processVersion, null);
    const onLatest = await submit(window, WATER.item, COUNTY);
    // the key is recorded when the starter hears back from the engine, which may be just after the 201
    const latestKey = await waitFor('the second case started', async () => (await window.get<CasePage>(`/api/cases/${onLatest.id}`)).body.processDefinitionKey);
    assert.strictEqual(latestKey, second.processDefinitionKey);
    assert.strictEqual((await window.get<CasePage>(`/api/cases/${onFirst.id}`)).body.processDefinitionKey, first.definitionKey, 'a running case keeps its version');

    const audit = await t.office.ctx.db('audit_log').where({ action: 'item.process-bound' }).orderBy('id');
    assert.deepStrictEqual(
      audit.map((a) => [a.actor, a.subject, a.subject_id, a.reason]),
      [
        ['jn.wr.designer', 'Item', WATER.item, `${WATER.process}: latest → v${first.version}`],
        ['jn.asc.admin', 'Item', WATER.item, `${WATER.process}: v${first.version} → latest`],
      ],
    );

    // a restart re-seeds the catalogue but keeps the operator's binding
    assert.strictEqual((await approved(await bind('jn.wr.designer', { version: first.version }), 'jn.wr.designer')).status, 200);
    const database = t.database;
    await t.stop();
    t = await startOffice({ database });
    const designer = await login(t.url, 'jn.wr.designer');
    assert.strictEqual((await designer.get<{ processVersion: number | null }>(`/api/items/${WATER.item}`)).body.processVersion, first.version);
    for (const a of ACTORS) as[a] = await login(t.url, a);
  });

  it('shows on the case page the item, the materials as handed in, the steps done and the decision clock', async () => {
    const window = as['jn-01-01.asc.window'];
    const c = await submit(window, WATER.item, COUNTY);
    const fresh = (await window.get<CasePage>(`/api/cases/${c.id}`)).body;
    assert.strictEqual(fresh.itemName, '取水许可');
    assert.ok(fresh.processDefinitionKey);
    assert.deepStrictEqual(fresh.materials.map((m) => [m.name, m.source]), [['取水许可申请书', 'submitted']]);
    assert.deepStrictEqual(fresh.visitedElements, []);
    assert.strictEqual(fresh.clock, null, 'no decision clock before acceptance');

    await decide(window, c.id, WATER.window, 'correct', '请补正水资源论证报告');
    await waitFor('the case to await supplements', async () => (await window.get<CasePage>(`/api/cases/${c.id}`)).body.awaiting === WATER.awaitSupplements);
    assert.strictEqual((await window.post(`/api/cases/${c.id}/supplements`, { materials: [{ name: '水资源论证报告（修订）' }] })).status, 200);
    await decide(window, c.id, WATER.window, 'accept', '受理');
    const accepted = (await window.get<CasePage>(`/api/cases/${c.id}`)).body;
    assert.deepStrictEqual(accepted.materials.map((m) => [m.name, m.source]), [['取水许可申请书', 'submitted'], ['水资源论证报告（修订）', 'supplemented']]);
    assert.deepStrictEqual(accepted.visitedElements, [WATER.window], 'decided twice, listed once');
    assert.ok(accepted.clock);
    assert.strictEqual(accepted.clock.state, 'running');
    assert.strictEqual(accepted.clock.level, 'none');
    const clocks = (await window.get<{ clocks: Array<{ kind: string; dueOn: string; workingDaysLeft: number | null }> }>(`/api/cases/${c.id}/clock`)).body.clocks;
    const decision = clocks.find((k) => k.kind === 'decision');
    assert.deepStrictEqual([accepted.clock.dueOn, accepted.clock.workingDaysLeft], [decision?.dueOn, decision?.workingDaysLeft], 'the same clock as /clock');
    // the county reviewer handles it now and sees the same page
    await taskAt(await login(t.url, 'jn-01-01.wr.reviewer'), c.id, WATER.county);
  });
});
