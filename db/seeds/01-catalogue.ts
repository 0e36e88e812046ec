/**
 * The service items the bundled processes run. Limits follow 行政许可法 (see shared domain notes):
 * decision 20 working days from acceptance (art. 42), lower-level preliminary review 20 (art. 43),
 * joint handling 45 (art. 42 ¶2). Promised limits are the locally committed, shorter ones.
 * Idempotent: re-running updates the rows in place (except the process version an operator bound),
 * and leaves alone an item an administrator has edited since (its version is past 1).
 */
import type { Knex } from 'knex';
import { recordVersion } from '../../backend/modules/catalogue/service.ts';

const now = Date.now();

export const items = [
  {
    code: '000117002000',
    name: '取水许可',
    item_type: '行政许可',
    department: 'WR',
    handling_level: 'county',
    implementing_body: '县级以上人民政府水行政主管部门（逐级审核，省级决定）',
    legal_basis: '《中华人民共和国水法》第七条、第四十八条；《取水许可和水资源费征收管理条例》；《中华人民共和国行政许可法》第四十二条、第四十三条',
    statutory_limit_days: 20,
    promised_limit_days: 15,
    materials: JSON.stringify([
      { name: '取水许可申请书', required: true },
      { name: '建设项目水资源论证报告书', required: true },
      { name: '与第三者利害关系的相关说明', required: false },
      { name: '申请人身份证明', required: true },
    ]),
    process_id: 'water_abstraction_permit',
    process_version: null,
    process_settings: JSON.stringify({ correctionWindow: 'P30D' }),
    active: true,
  },
  {
    code: '000199001000',
    name: '建设项目并联审批',
    item_type: '行政许可',
    department: 'ASC',
    handling_level: 'city',
    implementing_body: '设区的市人民政府（政务服务中心牵头，自然资源、生态环境、水利部门并联审查）',
    legal_basis: '《中华人民共和国行政许可法》第二十六条、第四十二条第二款',
    statutory_limit_days: 45,
    promised_limit_days: 30,
    materials: JSON.stringify([
      { name: '建设项目并联审批申请表', required: true },
      { name: '建设用地规划材料', required: true },
      { name: '环境影响评价文件', required: true },
      { name: '水土保持方案', required: true },
    ]),
    process_id: 'joint_construction_approval',
    process_version: null,
    process_settings: JSON.stringify({ jointDepartments: ['NR', 'EE', 'WR'], leadDepartment: 'NR' }),
    active: true,
  },
];

/** Which department's designers may deploy new versions of the bundled processes. */
const owners = [
  { bpmn_process_id: 'water_abstraction_permit', department: 'WR' },
  { bpmn_process_id: 'joint_construction_approval', department: 'ASC' },
];

export async function seed(knex: Knex): Promise<void> {
  for (const o of owners) await knex('process_owners').insert(o).onConflict('bpmn_process_id').ignore();
  for (const item of items) {
    // an item an administrator has edited (or bound) since is theirs now: a restart keeps it as it is
    const existing = await knex('service_items').where({ code: item.code }).first('version');
    if (existing && Number(existing.version) > 1) continue;
    // the bound version is an operator's decision (PUT /api/items/{code}/process): a restart keeps it
    const content: Partial<typeof item> = { ...item };
    delete content.process_version;
    await knex('service_items')
      .insert({ ...item, fees: '[]', version: 1, created_at: now, updated_at: now })
      .onConflict('code')
      .merge({ ...content, updated_at: now });
    await recordVersion(knex, item.code, null, now);
  }
}
