/**
 * Forms (form-js): an item's application form (申请表) kept by the catalogue's administrators and
 * versioned with the item, checked by the server at intake (a 400 naming each field, nothing
 * written), stored with the case, shown on the case page and read by the process as form_<key>;
 * a step's own approval form (step setting approvalForm) checked at the decision, stored with it
 * and read as approval_<key>. The fixture process routes on both (test/fixtures/form-review.bpmn).
 */
import fs from 'node:fs';
import path from 'node:path';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { repoRoot } from '../../config/index.ts';
import { stopFeed, startOffice, waitFor, type TestOffice } from '../support/harness.ts';
import { applicant, COUNTY, concluded, taskAt, type CaseJson, type TaskJson } from '../support/licensing.ts';

type Problem = { error?: { code: string; message: string; details?: Array<{ path: string; message: string }> } };
interface Item { code: string; version: number; applicationForm: { components: Array<{ key?: string }> } | null }
interface CaseView extends CaseJson {
  applicationForm: { itemVersion: number | null; schema: { components: Array<{ key?: string }> } | null; data: Record<string, unknown> } | null;
  approvalForms: Array<{ elementId: string; data: Record<string, unknown> }>;
}

const CODE = '000117004000'; // 行政许可 · main item 0117 · sub-item 004
const PROCESS = 'test_form_review';
const applicationForm = {
  type: 'default',
  id: 'water_application',
  components: [
    { type: 'text', id: 't1', text: '# 取水许可申请表' },
    { type: 'textfield', id: 'f1', key: 'place', label: '取水地点', validate: { required: true, minLength: 2, maxLength: 40 } },
    { type: 'select', id: 'f2', key: 'source', label: '水源类型', values: [{ label: '地表水', value: 'surface' }, { label: '地下水', value: 'groundwater' }], validate: { required: true } },
    { type: 'number', id: 'f3', key: 'volume', label: '年取水量', decimalDigits: 0, validate: { required: true, min: 1, max: 10000000 } },
    { type: 'radio', id: 'f4', key: 'use', label: '取水用途', values: [{ label: '生活', value: 'domestic' }, { label: '工业', value: 'industrial' }], validate: { required: true } },
    { type: 'textfield', id: 'f5', key: 'permitNo', label: '原许可证号', validate: { pattern: '^取水\\(\\d{4}\\)\\d+号$' } },
    { type: 'checklist', id: 'f6', key: 'months', label: '取水月份', values: [{ label: '春', value: 'spring' }, { label: '夏', value: 'summer' }] },
  ],
};
const item = {
  code: CODE,
  name: '取水许可（表单测试）',
  itemType: '行政许可',
  department: 'WR',
  handlingLevel: 'county',
  implementingBody: '县级以上人民政府水行政主管部门',
  legalBasis: '《取水许可和水资源费征收管理条例》第十一条',
  statutoryLimitDays: 20,
  promisedLimitDays: 15,
  materials: [{ name: '取水许可申请书', required: true }],
  fees: [],
  processId: PROCESS,
  processSettings: {},
  active: true,
  applicationForm,
};
const fields = () => Object.fromEntries(Object.entries(item).filter(([k]) => k !== 'code'));
// recorded: started at once (201), or accepted while the engine is slow and started by the case starter (202)
const assertFiled = (r: { status: number; body: unknown }) => assert.ok(r.status === 201 || r.status === 202, `filing answered ${r.status}: ${JSON.stringify(r.body)}`);
const valid = { place: '东河村二号取水口', source: 'surface', volume: 250000, use: 'industrial', months: ['summer'] };

describe('forms: the application form and a step’s approval form', () => {
  let t: TestOffice;
  let admin: Client;
  let window: Client;
  let reviewer: Client;
  let cityReviewer: Client;
  const file = (form: unknown) => window.post<CaseView & Problem>('/api/cases', { itemCode: CODE, regionCode: COUNTY, applicant, materials: [{ name: '取水许可申请书' }], ...(form === undefined ? {} : { form }) });
  const casesOfItem = async () => Number((await t.office.ctx.db('cases').where({ item_code: CODE }).count({ n: '*' }))[0]?.n);
  const audited = async () => (await t.office.ctx.db('audit_log').where({ action: 'item.updated', subject_id: CODE }).orderBy('id')).map((r) => ({ actor: r.actor, reason: r.reason }));

  before(async () => {
    t = await startOffice();
    await addUser(t.office.ctx.db, 'jn-01.asc.admin', 'JN-01.ASC', ['admin']);
    admin = await login(t.url, 'jn.asc.admin');
    window = await login(t.url, 'jn-01-01.asc.window');
    reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    cityReviewer = await login(t.url, 'jn-01.wr.reviewer');
    const designer = await login(t.url, 'jn.wr.designer');
    const xml = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'form-review.bpmn'), 'utf8');
    const deployed = await designer.post('/api/processes', { name: 'form-review.bpmn', xml });
    assert.strictEqual(deployed.status, 201, JSON.stringify(deployed.body));
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('refuses a form the server could not check, naming each component, and writes nothing', async () => {
    const bad = {
      components: [
        { type: 'textfield', key: 'place', label: '取水地点', conditional: { hide: '=source = "surface"' } },
        { type: 'number', key: 'volume', validate: { max: '=limit' } },
        { type: 'filepicker', key: 'scan' },
        { type: 'select', key: 'source', valuesKey: 'sources' },
        { type: 'textfield', key: 'bad-key' },
      ],
    };
    const r = await admin.post<Problem>('/api/items', { ...item, applicationForm: bad });
    assert.strictEqual(r.status, 400, JSON.stringify(r.body));
    assert.deepStrictEqual(
      r.body.error?.details?.map((d) => d.path),
      ['body.applicationForm.components.place', 'body.applicationForm.components.volume', 'body.applicationForm.components.volume', 'body.applicationForm.components.scan', 'body.applicationForm.components.source', 'body.applicationForm.components.source', 'body.applicationForm.components.bad-key'],
    );
    assert.match(r.body.error?.message ?? '', /evaluated only in the browser/);
    assert.strictEqual(await t.office.ctx.db('service_items').where({ code: CODE }).first(), undefined, 'nothing written');
  });

  it('lets only the catalogue’s administrators design an item’s form, each change audited as a new version', async () => {
    const created = await admin.post<Item>('/api/items', item);
    assert.strictEqual(created.status, 201, JSON.stringify(created.body));
    assert.strictEqual(created.body.applicationForm?.components.length, 7);
    const changed = { ...applicationForm, components: [...applicationForm.components, { type: 'textarea', id: 'f7', key: 'note', label: '备注', validate: { maxLength: 200 } }] };
    for (const who of ['jn-01.asc.admin', 'jn.wr.designer', 'jn-01-01.asc.window']) {
      const r = await (await login(t.url, who)).put<Problem>(`/api/items/${CODE}`, { ...fields(), applicationForm: changed });
      assert.strictEqual(r.status, 403, who);
    }
    assert.deepStrictEqual(await audited(), [], 'refused edits leave no trace but their refusal');
    const edited = await admin.put<Item>(`/api/items/${CODE}`, { ...fields(), applicationForm: changed });
    assert.strictEqual(edited.status, 200, JSON.stringify(edited.body));
    assert.strictEqual(edited.body.version, 2);
    const back = await admin.put<Item>(`/api/items/${CODE}`, fields()); // the first form again
    assert.strictEqual(back.body.version, 3);
    const untouched = await admin.put<Item>(`/api/items/${CODE}`, Object.fromEntries(Object.entries(fields()).filter(([k]) => k !== 'applicationForm')));
    assert.strictEqual(untouched.body.version, 3, 'an edit without applicationForm keeps the form and writes no version');
    assert.strictEqual(untouched.body.applicationForm?.components.length, 7);
    assert.deepStrictEqual(await audited(), [
      { actor: 'jn.asc.admin', reason: 'v1 → v2: applicationForm' },
      { actor: 'jn.asc.admin', reason: 'v2 → v3: applicationForm' },
    ]);
    const versions = await admin.get<{ items: Array<{ version: number; item: Item }> }>(`/api/items/${CODE}/versions`);
    assert.deepStrictEqual(versions.body.items.map((v) => [v.version, v.item.applicationForm?.components.length]), [[3, 7], [2, 8], [1, 7]]);
  });

  it('refuses invalid application data with a 400 per field and writes nothing', async () => {
    const before = await casesOfItem();
    const r = await file({ place: '东', source: 'sea', volume: 0.5, permitNo: '取水2020-1', months: ['winter'], colour: 'red' });
    assert.strictEqual(r.status, 400, JSON.stringify(r.body));
    assert.strictEqual(r.body.error?.code, 'VALIDATION_FAILED');
    const byField = Object.fromEntries((r.body.error?.details ?? []).map((d) => [d.path, d.message]));
    assert.deepStrictEqual(Object.keys(byField), ['body.form.colour', 'body.form.place', 'body.form.source', 'body.form.volume', 'body.form.use', 'body.form.permitNo', 'body.form.months']);
    assert.strictEqual(byField['body.form.colour'], 'not a field of this form');
    assert.strictEqual(byField['body.form.place'], 'at least 2 characters');
    assert.strictEqual(byField['body.form.source'], 'one of surface, groundwater');
    assert.strictEqual(byField['body.form.volume'], 'a whole number');
    assert.strictEqual(byField['body.form.use'], '取水用途: required');
    assert.match(byField['body.form.permitNo'] ?? '', /must match/);
    const missing = await file(undefined);
    assert.strictEqual(missing.status, 400, 'no form at all: the required fields are missing');
    assert.deepStrictEqual(missing.body.error?.details?.map((d) => d.path), ['body.form.place', 'body.form.source', 'body.form.volume', 'body.form.use']);
    const tooMuch = await file({ ...valid, volume: 10000001 });
    assert.deepStrictEqual(tooMuch.body.error?.details, [{ path: 'body.form.volume', message: 'at most 10000000' }]);
    // positive control: a valid filing right after is counted, so the count above was not stale
    const ok = await file(valid);
    assertFiled(ok);
    assert.strictEqual(await casesOfItem(), before + 1, 'only the valid filing wrote a case');
  });

  it('stores valid data with the case, shows it on the case page and lets the gateways read it', async () => {
    const large = await file(valid);
    const small = await file({ ...valid, volume: 800, use: 'domestic', months: [] });
    assertFiled(large);
    assertFiled(small);
    const row = await t.office.ctx.db('cases').where({ id: large.body.id }).first('form_data', 'item_version');
    assert.deepStrictEqual(JSON.parse(String(row.form_data)), { ...valid, permitNo: null });
    const page = await window.get<CaseView>(`/api/cases/${large.body.id}`);
    assert.deepStrictEqual(page.body.applicationForm?.data, { ...valid, permitNo: null });
    assert.strictEqual(page.body.applicationForm?.itemVersion, Number(row.item_version));
    assert.deepStrictEqual(page.body.applicationForm?.schema?.components.map((c) => c.key ?? null), [null, 'place', 'source', 'volume', 'use', 'permitNo', 'months']);

    for (const c of [large.body, small.body]) {
      const w = await taskAt(window, c.id, 'window_acceptance');
      await window.post(`/api/tasks/${w.userTaskKey}/claim`);
      assert.strictEqual((await window.post(`/api/tasks/${w.userTaskKey}/complete`, { decision: 'accept', opinion: '受理' })).status, 200);
    }
    // the site inspection's own approval form: checked like the application, stored with the decision
    const inspect = async (c: CaseJson, form: unknown) => {
      const task = await taskAt(reviewer, c.id, 'site_inspection');
      await reviewer.post(`/api/tasks/${task.userTaskKey}/claim`);
      return { task, res: await reviewer.post<TaskJson & Problem>(`/api/tasks/${task.userTaskKey}/complete`, { decision: 'approve', opinion: '核查属实', ...(form === undefined ? {} : { form }) }) };
    };
    const schema = await reviewer.get<{ schema: { components: Array<{ key: string }> } | null }>(`/api/tasks/${(await taskAt(reviewer, large.body.id, 'site_inspection')).userTaskKey}/form`);
    assert.deepStrictEqual(schema.body.schema?.components.map((c) => c.key), ['meter', 'measured']);
    const refused = await inspect(large.body, { meter: 'broken', measured: -1 });
    assert.strictEqual(refused.res.status, 400);
    assert.deepStrictEqual(refused.res.body.error?.details?.map((d) => d.path), ['body.form.meter', 'body.form.measured']);
    const still = await t.office.ctx.db('tasks').where({ user_task_key: refused.task.userTaskKey }).first('state', 'decision', 'completing_by', 'form_data');
    assert.deepStrictEqual(still, { state: 'open', decision: null, completing_by: null, form_data: null }, 'nothing written');
    assert.strictEqual((await inspect(large.body, undefined)).res.status, 400, 'the required fields are required');
    const done = await inspect(large.body, { meter: 'installed', measured: 240000 });
    assert.strictEqual(done.res.status, 200, JSON.stringify(done.res.body));
    assert.deepStrictEqual(JSON.parse(String((await t.office.ctx.db('tasks').where({ user_task_key: done.task.userTaskKey }).first('form_data')).form_data)), { meter: 'installed', measured: 240000 });
    assert.strictEqual((await inspect(small.body, { meter: 'none', measured: 0 })).res.status, 200);

    // form_volume > 100000 sends the large case to the city; approval_meter == 'none' refuses the small one
    await taskAt(cityReviewer, large.body.id, 'city_review');
    const end = await concluded(window, small.body.id);
    assert.strictEqual(end.result, 'refused');
    const shown = await waitFor('the approval form on the case page', async () => (await window.get<CaseView>(`/api/cases/${large.body.id}`)).body.approvalForms?.[0]);
    assert.deepInclude(shown, { elementId: 'site_inspection', data: { meter: 'installed', measured: 240000 } });
  });

  it('keeps a running case on the form version it was filed under', async () => {
    const filed = await file(valid);
    assertFiled(filed);
    const v = (await admin.get<Item>(`/api/items/${CODE}`)).body.version;
    const stricter = { ...applicationForm, components: [...applicationForm.components.map((c) => (c.key === 'volume' ? { ...c, validate: { required: true, min: 1, max: 1000 } } : c)), { type: 'number', id: 'f8', key: 'years', label: '申请期限（年）', validate: { required: true, min: 1, max: 10 } }] };
    const edited = await admin.put<Item>(`/api/items/${CODE}`, { ...fields(), applicationForm: stricter });
    assert.strictEqual(edited.body.version, v + 1);
    const page = await window.get<CaseView>(`/api/cases/${filed.body.id}`);
    assert.strictEqual(page.body.applicationForm?.itemVersion, v, 'the case shows the form of its own version');
    assert.notInclude(page.body.applicationForm?.schema?.components.map((c) => c.key) ?? [], 'years');
    assert.deepStrictEqual(page.body.applicationForm?.data, { ...valid, permitNo: null });
    const w = await taskAt(window, filed.body.id, 'window_acceptance');
    await window.post(`/api/tasks/${w.userTaskKey}/claim`);
    assert.strictEqual((await window.post(`/api/tasks/${w.userTaskKey}/complete`, { decision: 'accept', opinion: '受理' })).status, 200, 'the running case goes on under its own version');
    const late = await file(valid);
    assert.strictEqual(late.status, 400, 'a new filing meets the new version');
    assert.deepStrictEqual(late.body.error?.details?.map((d) => d.path), ['body.form.volume', 'body.form.years']);
    assertFiled(await file({ ...valid, volume: 900, years: 5 }));
  });
});
