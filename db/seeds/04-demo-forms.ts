/**
 * The demo items' application forms (申请表), so `npm start` shows the form at intake and on the case
 * page: form-js schemas as the editor writes them. Seeded only onto an item still at version 1 that
 * has no form yet — a form an administrator designed or removed is theirs.
 */
import type { Knex } from 'knex';
import { recordVersion } from '../../backend/modules/catalogue/service.ts';

const exporter = { name: 'licence-desk demo', version: '1' };

export const demoForms: Record<string, object> = {
  // 取水许可: where, from which source, how much a year, for what (《取水许可和水资源费征收管理条例》第十一条)
  '000117002000': {
    type: 'default',
    id: 'water_abstraction_application',
    schemaVersion: 18,
    exporter,
    components: [
      { type: 'textfield', id: 'f_place', key: 'place', label: '取水地点', description: '乡镇、村及取水口位置', validate: { required: true, minLength: 2, maxLength: 100 } },
      { type: 'select', id: 'f_source', key: 'source', label: '水源类型', values: [{ label: '地表水', value: 'surface' }, { label: '地下水', value: 'groundwater' }], validate: { required: true } },
      { type: 'number', id: 'f_volume', key: 'volume', label: '年取水量（立方米）', decimalDigits: 0, validate: { required: true, min: 1, max: 100000000 } },
      { type: 'radio', id: 'f_use', key: 'use', label: '取水用途', values: [{ label: '生活', value: 'domestic' }, { label: '工业', value: 'industrial' }, { label: '农业灌溉', value: 'irrigation' }, { label: '其他', value: 'other' }], validate: { required: true } },
      { type: 'textarea', id: 'f_note', key: 'note', label: '备注', validate: { maxLength: 500 } },
    ],
  },
  '000199001000': {
    type: 'default',
    id: 'joint_construction_application',
    schemaVersion: 18,
    exporter,
    components: [
      { type: 'textfield', id: 'f_project', key: 'projectName', label: '项目名称', validate: { required: true, minLength: 2, maxLength: 100 } },
      { type: 'select', id: 'f_kind', key: 'projectKind', label: '项目类别', values: [{ label: '工业', value: 'industrial' }, { label: '民用建筑', value: 'civil' }, { label: '基础设施', value: 'infrastructure' }], validate: { required: true } },
      { type: 'number', id: 'f_investment', key: 'investment', label: '总投资（万元）', decimalDigits: 2, validate: { required: true, min: 0 } },
      { type: 'number', id: 'f_area', key: 'landArea', label: '用地面积（平方米）', decimalDigits: 0, validate: { min: 0 } },
    ],
  },
};

export async function seed(knex: Knex): Promise<void> {
  const now = Date.now();
  for (const [code, form] of Object.entries(demoForms)) {
    const changed = await knex('service_items').where({ code, version: 1 }).whereNull('application_form').update({ application_form: JSON.stringify(form), updated_at: now });
    if (Number(changed) === 1) await recordVersion(knex, code, null, now);
  }
}
