// 名称而非代码：候选组的角色、无名称时的兜底、工作日颜色图例、已办、催办间隔、锁定与限流的本地时间（issue 13 第四部分）。
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    names: {
      role_window: '窗口受理员', role_reviewer: '承办人', role_head: '科室负责人', role_leader: '分管领导',
      unknownUnit: '未知单位', formerAccount: '已注销账号',
      other_event: '其他记录', other_decision: '其他结论', other_status: '其他状态', other_result: '其他结果', other_level: '其他级别',
    },
    queue: {
      done: '已办', applicant: '申请人', daysLeft: '剩余工作日', daysLeftN: '{n} 天', overdue: '已超期', noLimit: '不限时', legend: '颜色表示预警级别：', completedAt: '办结时间', decision: '办理结论', emptyDone: '暂无已办任务',
    },
    urge: { nextAt: '{time} 后可再次催办此环节', tooSoon: '您已催办过此环节，{time} 后可再次催办' },
    error: { RATE_LIMITED_at: '操作过于频繁，请于 {time} 后再试', loginFailed: '用户名、密码或动态码错误；连续多次失败后账号将暂时锁定' },
  },
  en: {
    names: {
      role_window: 'Window clerk', role_reviewer: 'Reviewer', role_head: 'Section head', role_leader: 'Leader',
      unknownUnit: 'Unknown unit', formerAccount: 'Former account',
      other_event: 'Other entry', other_decision: 'Other decision', other_status: 'Other status', other_result: 'Other result', other_level: 'Other level',
    },
    queue: {
      done: 'Done', applicant: 'Applicant', daysLeft: 'Working days left', daysLeftN: '{n} days', overdue: 'Overdue', noLimit: 'No limit', legend: 'Colours show the warning level:', completedAt: 'Completed', decision: 'Decision', emptyDone: 'No completed tasks',
    },
    urge: { nextAt: 'You may urge this step again from {time}', tooSoon: 'You urged this step already: again from {time}' },
    error: { RATE_LIMITED_at: 'Too many attempts: try again from {time}', loginFailed: 'Wrong username, password or code; after repeated failures the account is locked for a while' },
  },
};
export default part;
