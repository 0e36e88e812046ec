/**
 * The case register (issue 13, part 2): search within the caller's remit — the applicant by name, ID
 * number or phone through the keyed hash index while the stored column stays sealed — the clerk's
 * 已办 / 我经办的 lists, keyset pages that cover well beyond 100 rows exactly once, the XLSX export
 * under the list's rules and audited, and migration 0130 backfilling the hashes of existing rows.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { login, type Client } from '../support/api.ts';
import { startOffice, stopFeed, waitFor, type TestOffice } from '../support/harness.ts';
import { applicant, COUNTY, decide, submit, WATER, type CaseJson } from '../support/licensing.ts';
import { seal } from '../../backend/modules/cases/personal-data.ts';
import { applicantDigests } from '../../backend/modules/cases/search-index.ts';

interface Page {
  items: Array<CaseJson & { itemName: string | null; regionName: string | null; applicant: Record<string, string> }>;
  next: string | null;
}
type Problem = { error: { code: string; message: string } };

const OTHER = { kind: 'person', name: '李四', idNumber: '110105194912310038', phone: '13900139000' } as const;
const SYNTHETIC = 150;
const MIGRATION = '20261202-0130-case-register.ts';

describe('case register: search, personal lists, keyset pages, export', () => {
  let t: TestOffice;
  let window: Client;
  let reviewer: Client;
  // an audit administrator reads the audit and nothing else: no case (a designer may be sent a 抄送 copy, so may list)
  let auditor: Client;
  let a: CaseJson; // 张三, accepted by the window
  let b: CaseJson; // 李四, filed only

  before(async () => {
    t = await startOffice();
    [window, reviewer, auditor] = await Promise.all([login(t.url, 'jn-01-01.asc.window'), login(t.url, 'jn-01-01.wr.reviewer'), login(t.url, 'jn.asc.audit')]);
    a = await submit(window, WATER.item, COUNTY);
    const rb = await window.post<CaseJson>('/api/cases', { itemCode: WATER.item, regionCode: COUNTY, applicant: OTHER });
    assert.include([201, 202], rb.status, JSON.stringify(rb.body));
    b = rb.body;
    await decide(window, a.id, WATER.window, 'accept', '材料齐全，予以受理');
  });

  after(async () => {
    await stopFeed();
    await t?.close();
  });

  const ids = (p: Page) => p.items.map((c) => c.id);
  const get = async (who: Client, query: string) => {
    const r = await who.get<Page>(`/api/cases?${query}`);
    assert.strictEqual(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
    return r.body;
  };

  it('finds a case by the applicant’s name, ID number and phone while the stored column stays sealed', async () => {
    assert.deepStrictEqual(ids(await get(window, `applicantName=${encodeURIComponent('张三')}`)), [a.id]);
    assert.deepStrictEqual(ids(await get(window, `applicantName=${encodeURIComponent('李四')}`)), [b.id]);
    // typed as a clerk types it: lower-case check letter, spaces
    assert.deepStrictEqual(ids(await get(window, `applicantIdNumber=${encodeURIComponent(' 11010519491231002x ')}`)), [a.id]);
    assert.deepStrictEqual(ids(await get(window, `applicantPhone=13900139000`)), [b.id]);
    assert.deepStrictEqual(ids(await get(window, `applicantName=${encodeURIComponent('王五')}`)), []);
    const page = await get(window, `applicantName=${encodeURIComponent('张三')}`);
    assert.strictEqual(page.items[0]?.applicant.name, '张*', 'the list shows the applicant masked');
    assert.strictEqual(page.items[0]?.itemName, '取水许可', 'the item by name');
    assert.isString(page.items[0]?.regionName);
    const row = await t.office.ctx.db('cases').where({ id: a.id }).first();
    const stored = JSON.stringify(row);
    for (const clear of [applicant.name, applicant.idNumber, applicant.phone]) assert.notInclude(stored, clear, 'no clear personal data in the row');
    assert.match(String(row.applicant), /^enc1:/);
    assert.match(String(row.applicant_name_digest), /^[0-9a-f]{64}$/);
  });

  it('narrows by case number, status, item, region and acceptance day, and only within the remit', async () => {
    assert.deepStrictEqual(ids(await get(window, `caseNo=${a.caseNo}`)), [a.id]);
    assert.includeMembers(ids(await get(window, `caseNo=${a.caseNo.slice(0, 10)}`)), [a.id, b.id], 'a beginning of the number');
    const accepted = await waitFor('the decision clock of the accepted case', async () => {
      const c = await t.office.ctx.db('clocks').where({ id: `case:${a.id}` }).first('started_on');
      return c?.started_on as string | undefined;
    });
    assert.deepStrictEqual(ids(await get(window, `acceptedFrom=${accepted}&acceptedTo=${accepted}`)), [a.id]);
    assert.deepStrictEqual(ids(await get(window, `acceptedTo=2000-01-01`)), []);
    assert.includeMembers(ids(await get(window, `regionCode=JN-01&itemCode=${WATER.item}&status=in_progress`)), [a.id, b.id]);
    assert.deepStrictEqual(ids(await get(window, `regionCode=JN-02`)), []);
    // another county's reviewer is outside the remit: the name finds nothing for them
    const outsider = await login(t.url, 'jn-01-02.wr.reviewer');
    assert.deepStrictEqual(ids(await get(outsider, `applicantName=${encodeURIComponent('张三')}`)), []);
  });

  it('已办 lists the cases with a step I completed; 我经办的 also the ones I filed', async () => {
    assert.deepStrictEqual(ids(await get(window, 'mine=done')), [a.id]);
    assert.sameMembers(ids(await get(window, 'mine=involved')), [a.id, b.id]);
    assert.deepStrictEqual(ids(await get(reviewer, 'mine=done')), [], 'the reviewer has decided nothing yet');
    await decide(reviewer, a.id, WATER.county, 'approve', '县级初审同意');
    assert.deepStrictEqual(ids(await get(reviewer, 'mine=done')), [a.id]);
    assert.deepStrictEqual(ids(await get(reviewer, 'mine=involved')), [a.id]);
  });

  it('pages over more than 100 rows by keyset: complete, newest first, no duplicates', async () => {
    const db = t.office.ctx.db;
    const ring = t.office.ctx.applicantKeys;
    const base = Date.parse('2026-06-01T09:00:00+08:00');
    // ten cases share each instant: the id breaks the tie, so a page border inside a tie loses nothing
    const rows = Array.from({ length: SYNTHETIC }, (_, i) => {
      const person = { kind: 'person', name: `申请人${i}`, idNumber: OTHER.idNumber, phone: OTHER.phone };
      return {
        id: randomUUID(),
        case_no: `SYN2026${String(i).padStart(6, '0')}`,
        item_code: WATER.item,
        applicant: seal(ring, person),
        ...applicantDigests(ring.indexKey, person),
        region_code: COUNTY,
        county_code: COUNTY,
        city_code: 'JN-01',
        province_code: 'JN',
        status: 'concluded',
        bpmn_process_id: WATER.process,
        submitted_by: 'synthetic',
        start_attempts: 0,
        submitted_at: base + Math.floor(i / 10) * 60_000,
      };
    });
    for (let i = 0; i < rows.length; i += 50) await db('cases').insert(rows.slice(i, i + 50));
    const expected = (await db('cases').where({ region_code: COUNTY }).orderBy([{ column: 'submitted_at', order: 'desc' }, { column: 'id', order: 'desc' }]).select('id')).map((r) => String(r.id));
    assert.isAbove(expected.length, 100);
    for (const limit of [100, 7]) {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: Page = await get(window, `limit=${limit}${after ? `&after=${after}` : ''}`);
        assert.isAtMost(page.items.length, limit);
        seen.push(...ids(page));
        after = page.next;
        pages++;
      } while (after && pages < 100);
      assert.deepStrictEqual(seen, expected, `pages of ${limit}: every case once, in order`);
      assert.strictEqual(new Set(seen).size, seen.length);
    }
    // the synthetic applicants share 李四's ID number: the hash finds all of them, with 李四
    const sameId = await get(window, `applicantIdNumber=${OTHER.idNumber}&limit=100`);
    assert.strictEqual(sameId.items.length, 100);
    assert.isString(sameId.next);
    const rest = await get(window, `applicantIdNumber=${OTHER.idNumber}&limit=100&after=${sameId.next}`);
    assert.strictEqual(sameId.items.length + rest.items.length, SYNTHETIC + 1);
    assert.isNull(rest.next);
  });

  it('answers a bad cursor or an unknown filter with 400 and the reason', async () => {
    const bad = await window.get<Problem>('/api/cases?after=not-a-cursor');
    assert.strictEqual(bad.status, 400);
    assert.match(bad.body.error.message, /query\.after/);
    const typo = await window.get<Problem>('/api/cases?applicantID=1');
    assert.strictEqual(typo.status, 400, 'a misspelt filter is refused, not ignored (it would list everything)');
  });

  it('exports the search to XLSX within the remit, audited; refused to a role that may not list', async () => {
    const audits = () => t.office.ctx.db('audit_log').where({ action: 'cases.export' }).orderBy('id').select('actor', 'reason');
    const before = (await audits()).length;
    const refused = await fetch(`${t.url}/api/cases/export`, { headers: { authorization: `Bearer ${auditor.token}` } });
    assert.strictEqual(refused.status, 403);
    const res = await fetch(`${t.url}/api/cases/export?applicantName=${encodeURIComponent('张三')}`, { headers: { authorization: `Bearer ${window.token}` } });
    assert.strictEqual(res.status, 200, await res.clone().text());
    assert.match(res.headers.get('content-type') ?? '', /spreadsheetml/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="?cases-\d{4}-\d{2}-\d{2}\.xlsx"?/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0];
    assert.ok(sheet);
    assert.strictEqual(sheet.getCell('A1').value, '办件编号');
    assert.strictEqual(sheet.rowCount, 2, 'the header and the one case found');
    assert.strictEqual(sheet.getCell('A2').value, a.caseNo);
    assert.strictEqual(sheet.getCell('B2').value, '取水许可');
    assert.strictEqual(sheet.getCell('C2').value, '张*', 'masked in the file too');
    // the window's export (the positive control) is audited; the auditor's refusal left no entry
    const entries = (await audits()).slice(before);
    const windowId = String((await t.office.ctx.db('users').where({ username: 'jn-01-01.asc.window' }).first('id'))?.id);
    assert.deepStrictEqual(
      entries.map((e) => e.actor),
      [windowId],
    );
    assert.deepInclude(JSON.parse(String(entries[0]?.reason)), { rows: 1 });
    // in English on request, and the outsider's file holds nothing of this county
    const en = await fetch(`${t.url}/api/cases/export?lang=en&caseNo=${a.caseNo}`, { headers: { authorization: `Bearer ${reviewer.token}` } });
    const enBook = new ExcelJS.Workbook();
    await enBook.xlsx.load(await en.arrayBuffer());
    assert.strictEqual(enBook.worksheets[0]?.getCell('A1').value, 'Case number');
    assert.strictEqual(enBook.worksheets[0]?.getCell('A2').value, a.caseNo);
  });

  it('migration 0130 backfills the search hashes of existing rows', async () => {
    const db = t.office.ctx.db;
    const config = { directory: new URL('../../db/migrations', import.meta.url).pathname, loadExtensions: ['.ts'] };
    const keyed = db.withUserParams({ applicantKeys: t.office.ctx.applicantKeys });
    const hashes = async () => (await db('cases').orderBy('id').select('id', 'applicant_id_digest', 'applicant_phone_digest', 'applicant_name_digest')) as Array<Record<string, string>>;
    const wanted = await hashes();
    await keyed.migrate.down({ ...config, name: MIGRATION });
    assert.notProperty((await db('cases').first()) as object, 'applicant_name_digest', 'down drops the columns');
    await assertRefusedWithoutKeys(db, config);
    await keyed.migrate.up({ ...config, name: MIGRATION });
    assert.deepStrictEqual(await hashes(), wanted);
    assert.deepStrictEqual(ids(await get(window, `applicantName=${encodeURIComponent('张三')}`)), [a.id]);
  });
});

/** Without the keys the backfill cannot open the rows: it stops with a reason and changes nothing. */
async function assertRefusedWithoutKeys(db: TestOffice['office']['ctx']['db'], config: { directory: string; loadExtensions: string[] }) {
  let err: unknown;
  try {
    await db.migrate.up({ ...config, name: MIGRATION });
  } catch (e) {
    err = e;
  }
  assert.match(String(err), /applicant keys/);
}
