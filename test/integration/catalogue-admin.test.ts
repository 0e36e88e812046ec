/**
 * The catalogue (事项库) kept by administrators: create an item (its code checked against the
 * structure of GB/T 39554.1's basic code), edit it (a new version each time, audited), and a case
 * keeps the version it was filed under. Only the province's administrators write it; binding a live
 * item to a process version still waits for a second person.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { addUser } from '../support/users.ts';
import { stopFeed, startOffice, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, WATER } from '../support/licensing.ts';

type Problem = { error?: { code: string; message: string; details?: Array<{ path: string; message: string }> } };
interface Item { code: string; version: number; statutoryLimitDays: number; promisedLimitDays: number; materials: Array<{ name: string; rules?: Record<string, unknown> }>; fees: unknown[]; active: boolean }

const CODE = '000117003000'; // 行政许可 · main item 0117 · sub-item 003
const item = {
  code: CODE,
  name: '取水许可（延续）',
  itemType: '行政许可',
  department: 'WR',
  handlingLevel: 'county',
  implementingBody: '县级以上人民政府水行政主管部门',
  legalBasis: '《取水许可和水资源费征收管理条例》第二十五条',
  statutoryLimitDays: 20,
  promisedLimitDays: 10,
  materials: [
    { name: '延续申请书', required: true, rules: { formats: ['pdf', 'ofd'], maxSizeMb: 20, copies: 1, original: true } },
    { name: '取水计量设施检定证明', required: false, rules: { electronic: true } },
  ],
  fees: [],
  processId: WATER.process,
  processSettings: { correctionWindow: 'P30D' },
  active: true,
};

const withoutCode = () => Object.fromEntries(Object.entries(item).filter(([k]) => k !== 'code'));

describe('administration: the service-item catalogue', () => {
  let t: TestOffice;
  let admin: Client;
  const audited = async (action: string) => (await t.office.ctx.db('audit_log').where({ action, subject_id: CODE }).orderBy('id')).map((r) => ({ actor: r.actor, reason: r.reason }));

  before(async () => {
    t = await startOffice();
    await addUser(t.office.ctx.db, 'jn-01.asc.admin', 'JN-01.ASC', ['admin']);
    admin = await login(t.url, 'jn.asc.admin');
  });
  after(async () => {
    await t?.close();
    await stopFeed();
  });

  it('refuses codes that do not fit the GB/T 39554.1 structure, and other bad fields, naming each', async () => {
    for (const [code, why] of [
      ['00011700300', /12 digits/],
      ['990117003000', /digits 1–2 \(99\) name no item type/],
      ['000000003000', /main item is numbered from 0001/],
      ['000117000001', /handling item belongs to a sub-item/],
      ['010117003000', /mean 行政处罚, but the item type is 行政许可/],
    ] as const) {
      const r = await admin.post<Problem>('/api/items', { ...item, code });
      assert.strictEqual(r.status, 400, code);
      assert.strictEqual(r.body.error?.details?.[0]?.path, 'body.code', code);
      assert.match(r.body.error?.message ?? '', why, code);
    }
    const late = await admin.post<Problem>('/api/items', { ...item, promisedLimitDays: 25 });
    assert.strictEqual(late.status, 400);
    assert.strictEqual(late.body.error?.details?.[0]?.path, 'body.promisedLimitDays');
    const dept = await admin.post<Problem>('/api/items', { ...item, department: 'XX', processId: 'no_such_process' });
    assert.deepStrictEqual(dept.body.error?.details?.map((d) => d.path), ['body.department', 'body.processId']);
    const rule = await admin.post<Problem>('/api/items', { ...item, materials: [{ name: '申请书', required: true, rules: { formats: ['exe'] } }] });
    assert.strictEqual(rule.status, 400);
    assert.match(rule.body.error?.details?.[0]?.path ?? '', /^body\.materials\.0\.rules\.formats/);
    assert.strictEqual(await t.office.ctx.db('service_items').where({ code: CODE }).first(), undefined, 'nothing written');
  });

  it('lets only the province administrators write the catalogue', async () => {
    for (const who of ['jn-01.asc.admin', 'jn.wr.designer', 'jn-01-01.wr.reviewer']) {
      const r = await (await login(t.url, who)).post<Problem>('/api/items', item);
      assert.strictEqual(r.status, 403, who);
    }
    assert.strictEqual(await t.office.ctx.db('service_items').where({ code: CODE }).first(), undefined);
    assert.deepStrictEqual(await audited('item.created'), []);
  });

  it('creates an item (version 1, audited) with per-material rules', async () => {
    const r = await admin.post<Item>('/api/items', item);
    assert.strictEqual(r.status, 201, JSON.stringify(r.body));
    assert.strictEqual(r.body.version, 1);
    assert.deepStrictEqual(r.body.materials[0]?.rules, { formats: ['pdf', 'ofd'], maxSizeMb: 20, copies: 1, original: true });
    assert.deepStrictEqual(await audited('item.created'), [{ actor: 'jn.asc.admin', reason: 'v1 取水许可（延续）' }]);
    assert.strictEqual((await admin.post('/api/items', item)).status, 409, 'the code exists');
  });

  it('edits make new versions; a case keeps the version it was filed under', async () => {
    const window = await login(t.url, 'jn-01-01.asc.window');
    const early = await submit(window, CODE, COUNTY);
    const fields = withoutCode();
    const edited = await admin.put<Item>(`/api/items/${CODE}`, { ...fields, statutoryLimitDays: 12, promisedLimitDays: 8, fees: [{ name: '工本费', amountYuan: 0, basis: '国家规定免收' }] });
    assert.strictEqual(edited.status, 200, JSON.stringify(edited.body));
    assert.deepInclude(edited.body, { version: 2, statutoryLimitDays: 12, promisedLimitDays: 8 });
    assert.strictEqual((await admin.put<Item>(`/api/items/${CODE}`, { ...fields, statutoryLimitDays: 12, promisedLimitDays: 8, fees: [{ name: '工本费', amountYuan: 0, basis: '国家规定免收' }] })).body.version, 2, 'the same edit again writes no version');
    assert.deepStrictEqual(await audited('item.updated'), [{ actor: 'jn.asc.admin', reason: 'v1 → v2: statutoryLimitDays, promisedLimitDays, fees' }]);
    const versions = await admin.get<{ items: Array<{ version: number; item: Item }> }>(`/api/items/${CODE}/versions`);
    assert.deepStrictEqual(versions.body.items.map((v) => [v.version, v.item.statutoryLimitDays]), [[2, 12], [1, 20]]);
    assert.strictEqual((await (await login(t.url, 'jn-01.asc.admin')).put(`/api/items/${CODE}`, { ...fields, name: '改名' })).status, 403, 'a city administrator');

    const late = await submit(window, CODE, COUNTY);
    await decide(window, early.id, WATER.window, 'accept', '受理');
    await decide(window, late.id, WATER.window, 'accept', '受理');
    const limits = async (id: string) => (await window.get<{ clocks: Array<{ kind: string; limitDays: number }> }>(`/api/cases/${id}/clock`)).body.clocks.filter((k) => k.kind !== 'step').map((k) => `${k.kind}:${k.limitDays}`).sort();
    assert.deepStrictEqual(await limits(early.id), ['decision:20', 'promise:10'], 'filed under version 1, accepted after the edit: keeps version 1');
    assert.deepStrictEqual(await limits(late.id), ['decision:12', 'promise:8'], 'filed under version 2');
    const rows = await t.office.ctx.db('cases').whereIn('id', [early.id, late.id]).orderBy('submitted_at').pluck('item_version');
    assert.deepStrictEqual(rows.map(Number), [1, 2]);
  });

  it('keeps the four-eyes rule for live items: no process swap by edit, a binding waits for approval', async () => {
    const fields = withoutCode();
    const swap = await admin.put<Problem>(`/api/items/${CODE}`, { ...fields, statutoryLimitDays: 12, promisedLimitDays: 8, processId: 'joint_construction_approval' });
    assert.strictEqual(swap.status, 409);
    assert.match(swap.body.error?.message ?? '', /second person/);
    const bind = await admin.put<{ changeRequest: { state: string } }>(`/api/items/${CODE}/process`, { version: null });
    assert.strictEqual(bind.status, 202, 'a change request, not the change');
    assert.strictEqual(bind.body.changeRequest.state, 'pending');
    assert.strictEqual(Number((await t.office.ctx.db('service_items').where({ code: CODE }).first('version')).version), 2, 'the item is unchanged until approved');
  });
});
