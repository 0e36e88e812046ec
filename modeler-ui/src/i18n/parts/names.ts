// 名称而非代码：候选组的角色、无名称时的兜底、工作日颜色图例、已办、催办间隔、锁定与限流的本地时间（issue 13 第四部分）。
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    names: {
      role_window: '窗口受理员', role_reviewer: '承办人', role_head: '科室负责人', role_leader: '分管领导',
      unknownUnit: '未知单位', formerAccount: '已注销账号',
      other_event: '其他记录', other_decision: '其他结论', other_status: '其他状态', other_result: '其他结果', other_level: '其他级别',
    },
    auditAction: {
      'notice-template_reset': '重置文书模板', rectification_verified: '核实差评', rectification_answered: '答复申请人', rectification_rectified: '完成整改', task_add_signer: '加签', task_remove_signer: '减签', task_sign: '加签人办理', task_timeout_pass: '超时自动通过', task_timeout_return: '超时自动退回', user_moved: '调动用户', user_renamed: '修改用户姓名',
      'account_locked': '账号锁定', 'attachment_add': '上传附件', 'attachment_download': '下载附件', 'audit_exported': '导出审计日志', 'audit_rechained': '审计链重建', 'audit_verified': '校验审计链',
      'calendar_day_delete': '删除日历日', 'calendar_day_set': '设置日历日', 'calendar_year_import': '导入年度日历', 'calendar_year_publish': '发布年度日历',
      'case_copy': '抄送', 'case_resume': '激活办件', 'case_suspend': '挂起办件', 'case_terminate': '终止办件', 'cases_export': '导出办件',
      'change_approved': '批准变更', 'change_rejected': '驳回变更', 'change_requested': '申请变更', 'item_created': '新增事项', 'item_process-bound': '事项绑定流程', 'item_updated': '修改事项',
      'login': '登录', 'login_failed': '登录失败', 'logout': '退出登录', 'notice-template_saved': '保存文书模板', 'password_changed': '修改密码', 'password_reset': '重置密码',
      'personal-data_read': '查看个人信息', 'personal-data_refused': '拒绝查看个人信息', 'process_deployed': '部署流程', 'query-code_reissued': '补发查询码', 'refresh_reused': '刷新令牌重复使用',
      'task_completed_outside': '在本系统外办结环节', 'task_decided': '办理环节', 'totp_enrolled': '绑定动态码', 'unit_created': '新增单位', 'unit_renamed': '单位更名',
      'user_created': '新增用户', 'user_roles-changed': '调整角色', 'user_enabled': '启用用户', 'user_disabled': '停用用户',
      'task_return': '退回', 'task_reject': '驳回', 'task_withdraw': '撤回', 'task_transfer': '转办', 'task_delegate': '委派', 'task_resolve': '委派交回', other: '其他操作',
    },
    auditSubject: { Attachment: '附件', Audit: '审计日志', Case: '办件', ChangeRequest: '变更申请', Item: '事项', NoticeTemplate: '文书模板', OrgUnit: '单位', Process: '流程', Task: '环节', task: '环节', User: '用户', calendar: '工作日历', other: '其他' },
    queue: {
      done: '已办', applicant: '申请人', daysLeft: '剩余工作日', daysLeftN: '{n} 天', overdue: '已超期', noLimit: '不限时', legend: '颜色表示预警级别：', completedAt: '办结时间', decision: '办理结论', emptyDone: '暂无已办任务', new: '新',
    },
    // the audit administrator's role (三员分立), added after the administration pages were worded
    admin: { role_audit_admin: '安全审计员' },
    notifications: { supervision_replied: '督办已回复', supervision_closed: '督办已办结', supervision_escalated: '督办升级', case_copied: '抄送给您', other: '其他消息' },
    upload: { type: '文件类型不在允许范围内（允许：{accepted}），未上传', mismatch: '文件名的扩展名与文件内容不符，未上传' },
    urge: { nextAt: '{time} 后可再次催办此环节', tooSoon: '您已催办过此环节，{time} 后可再次催办' },
    error: { RATE_LIMITED_at: '操作过于频繁，请于 {time} 后再试', loginFailed: '用户名、密码或动态码错误；连续多次失败后账号将暂时锁定' },
  },
  en: {
    names: {
      role_window: 'Window clerk', role_reviewer: 'Reviewer', role_head: 'Section head', role_leader: 'Leader',
      unknownUnit: 'Unknown unit', formerAccount: 'Former account',
      other_event: 'Other entry', other_decision: 'Other decision', other_status: 'Other status', other_result: 'Other result', other_level: 'Other level',
    },
    auditAction: {
      'notice-template_reset': 'Notice template reset', rectification_verified: 'Bad rating verified', rectification_answered: 'Applicant answered', rectification_rectified: 'Rectified', task_add_signer: 'Signer added', task_remove_signer: 'Signer removed', task_sign: 'Signed by the added signer', task_timeout_pass: 'Passed on timeout', task_timeout_return: 'Returned on timeout', user_moved: 'User moved', user_renamed: 'User renamed',
      'account_locked': 'Account locked', 'attachment_add': 'Attachment added', 'attachment_download': 'Attachment downloaded', 'audit_exported': 'Audit exported', 'audit_rechained': 'Audit chain rebuilt', 'audit_verified': 'Audit verified',
      'calendar_day_delete': 'Calendar day removed', 'calendar_day_set': 'Calendar day set', 'calendar_year_import': 'Calendar year imported', 'calendar_year_publish': 'Calendar year published',
      'case_copy': 'Copied', 'case_resume': 'Case resumed', 'case_suspend': 'Case suspended', 'case_terminate': 'Case terminated', 'cases_export': 'Cases exported',
      'change_approved': 'Change approved', 'change_rejected': 'Change rejected', 'change_requested': 'Change requested', 'item_created': 'Item created', 'item_process-bound': 'Item bound to a process', 'item_updated': 'Item updated',
      'login': 'Login', 'login_failed': 'Login failed', 'logout': 'Logout', 'notice-template_saved': 'Notice template saved', 'password_changed': 'Password changed', 'password_reset': 'Password reset',
      'personal-data_read': 'Personal data read', 'personal-data_refused': 'Personal data refused', 'process_deployed': 'Process deployed', 'query-code_reissued': 'Query code reissued', 'refresh_reused': 'Refresh token reused',
      'task_completed_outside': 'Step completed outside licence-desk', 'task_decided': 'Step decided', 'totp_enrolled': 'TOTP enrolled', 'unit_created': 'Unit created', 'unit_renamed': 'Unit renamed',
      'user_created': 'User created', 'user_roles-changed': 'Roles changed', 'user_enabled': 'User enabled', 'user_disabled': 'User disabled',
      'task_return': 'Returned', 'task_reject': 'Rejected', 'task_withdraw': 'Withdrawn', 'task_transfer': 'Transferred', 'task_delegate': 'Delegated', 'task_resolve': 'Delegation handed back', other: 'Other action',
    },
    auditSubject: { Attachment: 'Attachment', Audit: 'Audit log', Case: 'Case', ChangeRequest: 'Change request', Item: 'Service item', NoticeTemplate: 'Notice template', OrgUnit: 'Unit', Process: 'Process', Task: 'Step', task: 'Step', User: 'User', calendar: 'Calendar', other: 'Other' },
    queue: {
      done: 'Done', applicant: 'Applicant', daysLeft: 'Working days left', daysLeftN: '{n} days', overdue: 'Overdue', noLimit: 'No limit', legend: 'Colours show the warning level:', completedAt: 'Completed', decision: 'Decision', emptyDone: 'No completed tasks', new: 'New',
    },
    admin: { role_audit_admin: 'Audit administrator' },
    notifications: { supervision_replied: 'Order answered', supervision_closed: 'Order closed', supervision_escalated: 'Order escalated', case_copied: 'Copied to you', other: 'Other message' },
    upload: { type: 'Not one of the accepted file types ({accepted}): not uploaded', mismatch: 'The file’s extension does not match its content: not uploaded' },
    urge: { nextAt: 'You may urge this step again from {time}', tooSoon: 'You urged this step already: again from {time}' },
    error: { RATE_LIMITED_at: 'Too many attempts: try again from {time}', loginFailed: 'Wrong username, password or code; after repeated failures the account is locked for a while' },
  },
};
export default part;
