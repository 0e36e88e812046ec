/** 挂起 / 激活 / 终止, special procedures and extension on the case page (issue 12, case level). */
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    caseOps: {
      suspend: '挂起', resume: '激活', terminate: '终止', pause: '特别程序', resumeClock: '结束特别程序', extend: '延期', order: '督办',
      reason: '理由', procedure: '特别程序', noProcedure: '不是特别程序（期限继续计算）', expectedDays: '预计所需工作日', days: '延长工作日',
      kind: '终止原因', kind_withdrawn: '申请人撤回申请', kind_statutory: '依法终止',
      suspendedBanner: '本件已挂起：{reason}', suspendedBy: '{by} 于 {since} 挂起', clockPausedNote: '特别程序期间不计入法定期限', clockRunsNote: '挂起期间法定期限照常计算',
      terminatedBanner: '本件已终止（{kind}）：{reason}', confirm: '确定', done: '已完成', reasonRequired: '请填写理由（至少 2 个字）',
      proc_hearing: '听证', proc_expert_review: '专家评审', proc_inspection: '检验', proc_testing: '检测', proc_quarantine: '检疫', proc_appraisal: '鉴定', proc_tender: '招标', proc_auction: '拍卖',
    },
    result: { applicant_withdrew: '申请人撤回', terminated: '依法终止' },
    event: { case_suspended: '挂起', case_resumed: '激活', case_terminated: '终止办理', case_copied: '抄送', case_copy_read: '抄送已读', attachment_added: '上传附件' },
    orders: { title: '督办', reply: '回复', replyPrompt: '督办回复（办理情况）', close: '办结督办', replyBy: '限 {date} 前回复', state_open: '待回复', state_replied: '已回复', state_closed: '已办结', instructions: '督办要求' },
    copies: { title: '抄送我的', copy: '抄送', users: '抄送人（账号，逗号分隔）', units: '抄送部门（部门代码，逗号分隔）', note: '附言', sent: '已抄送', recipient: '抄送对象', readAt: '阅读时间', unread: '未读', sentBy: '抄送人', sentAt: '抄送时间', empty: '暂无抄送给我的办件', readOnly: '您是抄送对象：只能查看，不能办理' },
    nav: { copies: '抄送我的' },
    files: { title: '附件', upload: '上传附件', uploaded: '附件已上传', none: '暂无附件' },
  },
  en: {
    caseOps: {
      suspend: 'Suspend', resume: 'Resume', terminate: 'Terminate', pause: 'Special procedure', resumeClock: 'End special procedure', extend: 'Extend', order: 'Supervision order',
      reason: 'Reason', procedure: 'Special procedure', noProcedure: 'Not a special procedure (the limit keeps running)', expectedDays: 'Expected working days', days: 'Working days added',
      kind: 'Why it ends', kind_withdrawn: 'The applicant withdrew the application', kind_statutory: 'Ended by law',
      suspendedBanner: 'This case is suspended: {reason}', suspendedBy: 'suspended by {by} at {since}', clockPausedNote: 'Time in a special procedure does not count towards the limit', clockRunsNote: 'The legal limit keeps running while suspended',
      terminatedBanner: 'This case was terminated ({kind}): {reason}', confirm: 'Confirm', done: 'Done', reasonRequired: 'Give a reason (at least 2 characters)',
      proc_hearing: 'Hearing', proc_expert_review: 'Expert review', proc_inspection: 'Inspection', proc_testing: 'Testing', proc_quarantine: 'Quarantine', proc_appraisal: 'Appraisal', proc_tender: 'Tender', proc_auction: 'Auction',
    },
    result: { applicant_withdrew: 'Withdrawn by the applicant', terminated: 'Terminated by law' },
    event: { case_suspended: 'Suspended', case_resumed: 'Resumed', case_terminated: 'Terminated', case_copied: 'Copied', case_copy_read: 'Copy read', attachment_added: 'Attachment added' },
    orders: { title: 'Supervision orders', reply: 'Reply', replyPrompt: 'Reply to the supervision order (what was done)', close: 'Close order', replyBy: 'reply by {date}', state_open: 'awaiting reply', state_replied: 'replied', state_closed: 'closed', instructions: 'Instructions' },
    copies: { title: 'Copied to me', copy: 'Copy to', users: 'People (account names, comma-separated)', units: 'Departments (unit codes, comma-separated)', note: 'Note', sent: 'Copied', recipient: 'Recipient', readAt: 'Read at', unread: 'unread', sentBy: 'Copied by', sentAt: 'Copied at', empty: 'Nothing copied to you', readOnly: 'You received a copy: you may read this case, not work it' },
    nav: { copies: 'Copied to me' },
    files: { title: 'Attachments', upload: 'Upload', uploaded: 'Attachment uploaded', none: 'No attachments' },
  },
};
export default part;
