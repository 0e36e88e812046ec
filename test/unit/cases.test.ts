import { assert } from 'chai';
import { describe, it } from 'mocha';
import { SubmitCaseBody, validResidentId } from '../../backend/modules/cases/schema.ts';
import { processVariables, regionOf } from '../../backend/modules/cases/service.ts';
import type { ServiceItem } from '../../backend/modules/catalogue/service.ts';

describe('case submission rules', () => {
  it('checks the resident ID check character (GB 11643)', () => {
    assert.strictEqual(validResidentId('11010519491231002X'), true);
    assert.strictEqual(validResidentId('110105194912310021'), false); // wrong check character
    assert.strictEqual(validResidentId('11010519491231002'), false);
  });

  it('rejects wrong types and unknown fields with the path of each problem', () => {
    const r = SubmitCaseBody.safeParse({ itemCode: 42, regionCode: 'JN-01-01', applicant: { kind: 'person', name: '', idNumber: 'x', phone: '1' }, extra: true });
    assert.strictEqual(r.success, false);
    const paths = r.error?.issues.map((i) => i.path.join('.')) ?? [];
    assert.ok(paths.includes('itemCode'));
    assert.ok(paths.includes('applicant.idNumber'));
    assert.ok(paths.includes('applicant.name'));
  });

  it('derives the region hierarchy from a county code', () => {
    assert.deepStrictEqual(regionOf('JN-01-02'), { provinceCode: 'JN', cityCode: 'JN-01', countyCode: 'JN-01-02' });
    assert.deepStrictEqual(regionOf('JN-01'), { provinceCode: 'JN', cityCode: 'JN-01', countyCode: null });
  });

  it('gives a joint approval the departments of its handling level', () => {
    const item = { handlingLevel: 'city', processSettings: { jointDepartments: ['NR', 'EE'], leadDepartment: 'NR' } } as unknown as ServiceItem;
    const v = processVariables({ id: 'c1', case_no: 'LD1', item_code: 'X', county_code: null, city_code: 'JN-01', province_code: 'JN' }, item);
    assert.deepStrictEqual(v.departments, ['JN-01.NR', 'JN-01.EE']);
    assert.strictEqual(v.leadDepartment, 'JN-01.NR');
    assert.strictEqual(v.caseId, 'c1');
    assert.strictEqual(v.correctionWindow, 'P30D');
  });
});
