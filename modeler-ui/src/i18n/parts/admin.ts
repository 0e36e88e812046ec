/** Messages of the administration pages: units, users and roles, the service-item catalogue. */
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    nav: { users: '机构与用户', catalogue: '事项库' },
    clock: { promise: '承诺时限', statutory: '法定时限' },
    catalogue: {
      title: '事项库', newItem: '新增事项', code: '事项编码', name: '事项名称', type: '事项类型', department: '主管部门', level: '行使层级', county: '县级', city: '市级', province: '省级', body: '实施主体', basis: '设定和实施依据',
      statutory: '法定时限（工作日）', promised: '承诺时限（工作日）', process: '办理流程', latest: '始终最新版本', active: '上线', live: '已上线', inactive: '未上线', version: '版本', versions: '历史版本', by: '修改人', at: '时间',
      materials: '申请材料', materialName: '材料名称', required: '必交', formats: '格式', original: '需原件', addMaterial: '添加材料', fees: '收费', feeName: '收费项目', feeBasis: '收费依据', addFee: '添加收费', free: '不收费', savedVersion: '已保存：第 {v} 版',
    },
    admin: {
      usersTitle: '机构与用户', units: '机构树', addUnit: '新增下级机构', rename: '改名', newName: '新名称', unitAdded: '已新增机构', unitKind: '类型', department: '部门', region: '下级行政区', unitKey: '编码', unitName: '名称',
      addUser: '新增用户', username: '用户名', displayName: '姓名', roles: '角色', state: '状态', active: '启用', disabled: '已停用', editRoles: '调整角色', editUser: '编辑', userUnit: '所在部门', moveReason: '调动原因', moveHint: '调往其他部门后，该用户的实时连接会断开，其已认领的环节退回原部门待认领。', rolesHint: '保存后该用户的实时连接会断开并按新角色重连。',
      disable: '停用', disableReason: '停用原因（记入审计日志）', enable: '启用', reset: '重置密码', resetConfirm: '将生成一次性密码，用户下次登录时必须修改，并结束其全部会话。',
      temporaryTitle: '一次性密码', temporaryHint: '请通过安全渠道告知用户；该密码只显示这一次，首次登录时必须修改。',
      role_window_clerk: '窗口受理员', role_reviewer: '承办人', role_section_head: '科室负责人', role_leader: '分管领导', role_supervisor: '效能监察员', role_designer: '流程设计员', role_admin: '系统管理员',
    },
  },
  en: {
    nav: { users: 'Units & users', catalogue: 'Catalogue' },
    clock: { promise: 'Promised limit', statutory: 'Statutory limit' },
    catalogue: {
      title: 'Service-item catalogue', newItem: 'New item', code: 'Item code', name: 'Name', type: 'Type', department: 'Competent department', level: 'Level', county: 'County', city: 'City', province: 'Province', body: 'Implementing body', basis: 'Legal basis',
      statutory: 'Statutory limit (working days)', promised: 'Promised limit (working days)', process: 'Process', latest: 'always the latest version', active: 'Live', live: 'Live', inactive: 'Not live', version: 'Version', versions: 'Versions', by: 'Changed by', at: 'At',
      materials: 'Required materials', materialName: 'Material', required: 'Required', formats: 'Formats', original: 'Original shown', addMaterial: 'Add material', fees: 'Fees', feeName: 'Fee', feeBasis: 'Charging basis', addFee: 'Add fee', free: 'Free of charge', savedVersion: 'Saved: version {v}',
    },
    admin: {
      usersTitle: 'Units and users', units: 'Organisation', addUnit: 'Add a unit below', rename: 'Rename', newName: 'New name', unitAdded: 'Unit added', unitKind: 'Kind', department: 'Department', region: 'Region below', unitKey: 'Code', unitName: 'Name',
      addUser: 'Add user', username: 'Username', displayName: 'Name', roles: 'Roles', state: 'State', active: 'Active', disabled: 'Disabled', editRoles: 'Change roles', editUser: 'Edit', userUnit: 'Department', moveReason: 'Reason for the move', moveHint: 'After a move to another department the user’s live connections are dropped and the steps they claimed go back to their old department’s pool.', rolesHint: 'On saving, the user’s live connections are dropped and reconnect with the new roles.',
      disable: 'Disable', disableReason: 'Why (kept in the audit log)', enable: 'Enable', reset: 'Reset password', resetConfirm: 'A one-time password is issued, which the user must change at the next login; all their sessions end.',
      temporaryTitle: 'One-time password', temporaryHint: 'Pass it to the user by a safe channel; it is shown only now and must be changed at the first login.',
      role_window_clerk: 'Window clerk', role_reviewer: 'Reviewer', role_section_head: 'Section head', role_leader: 'Leader', role_supervisor: 'Supervisor', role_designer: 'Process designer', role_admin: 'Administrator',
    },
  },
};
export default part;
