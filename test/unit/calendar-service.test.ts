/**
 * The calendar service on an in-memory SQLite database (every migration, the calendar seed only): the seed, the
 * provincial overlay, publication, and the cache that edits invalidate. The HTTP surface and MariaDB
 * are covered by test/integration/calendar-api.test.ts.
 */
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import { rejects } from '../support/assertions.ts';
import knexFactory, { type Knex } from 'knex';
import { migrate } from '../../backend/db/knex.ts';
import { auditKeyRing, bindAuditKeys } from '../../backend/modules/audit/chain.ts';
import { seed } from '../../db/seeds/03-calendar.ts';
import { CalendarGapError, calendarFor, deleteDay, listYear, provinceOf, publishYear, setDay } from '../../backend/modules/calendar/index.ts';
import { AppError } from '../../backend/errors.ts';

describe('calendar service (SQLite in memory)', () => {
  let db: Knex;
  before(async () => {
    db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
    bindAuditKeys(db, auditKeyRing(`a1:${Buffer.alloc(32, 3).toString('base64')}`));
    await migrate(db);
    await seed(db);
  });
  after(async () => {
    await db.destroy();
  });

  it('seeds 2025 and 2026 as published national years', async () => {
    const cal = await calendarFor(db, '');
    assert.deepStrictEqual(cal.coveredYears(), [2025, 2026, 2027, 2028]);
    assert.deepStrictEqual(cal.provisionalYears(), [2027, 2028]);
    const y = await listYear(db, '', 2026);
    assert.strictEqual(y.published, true);
    assert.match(y.national?.source ?? '', /2026年部分节假日安排/);
    assert.strictEqual(y.days.filter((d) => d.kind === 'workday').length, 6);
    assert.strictEqual(y.days.find((d) => d.day === '2026-10-10')?.name, '国庆节调休上班');
    assert.strictEqual((await listYear(db, '', 2027)).published, false);
  });

  it('the seed is idempotent and never undoes an administrator’s change to a published year', async () => {
    const before = await db('calendar_days').count({ n: '*' }).first();
    await setDay(db, { regionCode: '', day: '2026-06-19', kind: 'holiday', name: '端午节（已核对）' }, 'admin-1');
    await deleteDay(db, '', '2026-06-21');
    await seed(db);
    assert.strictEqual((await db('calendar_days').where({ region_code: '', day: '2026-06-19' }).first())?.name, '端午节（已核对）');
    assert.strictEqual(await db('calendar_days').where({ region_code: '', day: '2026-06-21' }).first(), undefined);
    await setDay(db, { regionCode: '', day: '2026-06-21', kind: 'holiday', name: '端午节' }, null);
    await setDay(db, { regionCode: '', day: '2026-06-19', kind: 'holiday', name: '端午节' }, null);
    assert.deepStrictEqual(await db('calendar_days').count({ n: '*' }).first(), before);
  });

  it('a region’s calendar is the national one overlaid by its province’s days, and edits show at once', async () => {
    assert.strictEqual(provinceOf('JN-01-01'), 'JN');
    assert.strictEqual(provinceOf(''), '');
    const before = await calendarFor(db, 'JN-01-01');
    assert.strictEqual(before.addWorkingDays('2026-09-30', 20), '2026-11-03');
    assert.strictEqual(await calendarFor(db, 'JN-01-02'), before, 'one cached calendar per province');

    await setDay(db, { regionCode: 'JN', day: '2026-10-09', kind: 'holiday', name: '江南省民族节（示例）' }, 'admin-1');
    const jn = await calendarFor(db, 'JN-01-01');
    assert.notStrictEqual(jn, before, 'the edit dropped the cached calendar');
    assert.strictEqual(jn.isWorkingDay('2026-10-09'), false);
    assert.strictEqual(jn.addWorkingDays('2026-09-30', 20), '2026-11-04');
    assert.strictEqual((await calendarFor(db, '')).isWorkingDay('2026-10-09'), true, 'the national calendar is untouched');
    assert.strictEqual((await calendarFor(db, 'XY-01')).isWorkingDay('2026-10-09'), true, 'other provinces are untouched');

    const listed = await listYear(db, 'JN-01-01', 2026);
    assert.strictEqual(listed.provinceCode, 'JN');
    assert.strictEqual(listed.days.find((d) => d.day === '2026-10-09')?.regionCode, 'JN');
    assert.strictEqual(listed.province, null, 'the overlay is not declared complete');

    assert.strictEqual((await deleteDay(db, 'JN', '2026-10-09')).removed, true);
    assert.strictEqual((await deleteDay(db, 'JN', '2026-10-09')).removed, false);
    assert.strictEqual((await calendarFor(db, 'JN-01-01')).isWorkingDay('2026-10-09'), true);
  });

  it('a transaction handle shares the cache of its database', async () => {
    const root = await calendarFor(db, 'JN');
    await db.transaction(async (trx) => {
      assert.strictEqual(await calendarFor(trx, 'JN'), root);
    });
  });

  it('a make-up working day must fall on a weekend', async () => {
    await rejects(setDay(db, { regionCode: '', day: '2026-10-09', kind: 'workday', name: 'x' }, 'admin-1'), (err: unknown) => err instanceof AppError && err.code === 'VALIDATION_FAILED');
  });

  it('2027 and 2028 count provisionally until 2027 is published; 2029 stays a gap', async () => {
    const provisional = await calendarFor(db, 'JN-01');
    assert.deepStrictEqual(provisional.provisionalYears(), [2027, 2028]);
    // 12/21–25 (5), 12/28–31 (4), Fri 1/1 off (元旦, statutory), 1/4–8 (5), 1/11–15 (5): 19, so Mon 1/18
    assert.strictEqual(provisional.addWorkingDays('2026-12-18', 20), '2027-01-18');
    assert.isTrue(provisional.touchesProvisional('2026-12-18', '2027-01-18'));
    assert.isFalse(provisional.touchesProvisional('2026-12-01', '2026-12-31'), 'a period inside 2026 is not provisional');
    await rejects(async () => provisional.addWorkingDays('2026-12-18', 600), (err: unknown) => err instanceof CalendarGapError && err.year === 2029);
    const y2027 = await listYear(db, '', 2027);
    assert.deepStrictEqual([y2027.published, y2027.provisional, y2027.provisionalDays.length], [false, true, 13]);
    // draft rows of an unpublished year do not change the provisional count until it is published
    await setDay(db, { regionCode: '', day: '2027-01-04', kind: 'holiday', name: '草稿' }, 'admin-1');
    assert.strictEqual((await calendarFor(db, 'JN-01')).addWorkingDays('2026-12-18', 20), '2027-01-18');
    await deleteDay(db, '', '2027-01-04', 'admin-1');
    await rejects(publishYear(db, { regionCode: '', year: 2027, source: 'x' }, 'admin-1'), (err: unknown) => err instanceof AppError && err.code === 'CONFLICT' && /no days off/.test(err.message));
    // a province may declare its overlay complete without any day of its own
    assert.strictEqual((await publishYear(db, { regionCode: 'JN', year: 2027, source: '本省无地方节日' }, 'admin-1')).year, 2027);
    assert.deepStrictEqual((await calendarFor(db, 'JN-01')).provisionalYears(), [2027, 2028], 'a provincial publication does not publish the national year');

    await setDay(db, { regionCode: '', day: '2027-01-01', kind: 'holiday', name: '元旦' }, 'admin-1');
    await publishYear(db, { regionCode: '', year: 2027, source: 'test notice' }, 'admin-1');
    const cal = await calendarFor(db, 'JN-01');
    assert.deepStrictEqual(cal.coveredYears(), [2025, 2026, 2027, 2028, 2029]);
    assert.deepStrictEqual(cal.provisionalYears(), [2028, 2029]);
    assert.isFalse(cal.touchesProvisional('2026-12-18', '2027-01-18'));
    const audit = await db('audit_log').where({ subject: 'calendar' }).orderBy('id').pluck('action');
    assert.includeMembers(audit, ['calendar.day.set', 'calendar.day.delete', 'calendar.year.publish'], 'every change is audited');
    // 12/21–25 (5), 12/28–31 (4), Fri 1/1 off, 1/4–8 (5), 1/11–15 (5): 19, so the 20th is Mon 1/18
    assert.strictEqual(cal.addWorkingDays('2026-12-18', 20), '2027-01-18');
  });
});
