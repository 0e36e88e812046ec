/** Messages of the task operations on the case page (issue 12: 退回, 撤回, 转办, 委派). */
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    ops: {
      reject: '驳回', rejectTitle: '驳回（按本环节规则）', remedies: '救济途径', remediesHint: '不予许可时必填，如：如不服本决定，可于60日内申请行政复议，或于6个月内提起行政诉讼',
      return: '退回', withdraw: '撤回', transfer: '转办', delegate: '委派', resolve: '办毕交回',
      returnTitle: '退回到已办环节', target: '退回到', previous: '上一环节', mode: '改正后', modeAgain: '按流程重新逐级办理', modeBackToMe: '直接返回本环节',
      reason: '理由', reasonRequired: '请填写理由', person: '接收人', personRequired: '请选择本单位人员',
      transferTitle: '转办给本单位人员', delegateTitle: '委派本单位人员办理', resolveTitle: '委派意见交回', opinion: '委派意见',
      withdrawHint: '下一环节尚未办理，可撤回您办理的“{step}”', withdrawTitle: '撤回已办环节', delegatedBy: '委派人：{owner}', returnsTo: '改正后直接返回：{step}',
      done: '已完成', confirm: '确定', cancel: '取消', noTargets: '没有可退回的环节',
    },
    event: { task_rejected: '驳回', task_returned: '退回', task_withdrawn: '撤回', task_transferred: '转办', task_delegated: '委派', task_resolved: '委派交回' },
  },
  en: {
    ops: {
      reject: 'Reject', rejectTitle: 'Reject (by this step’s rule)', remedies: 'Remedies', remediesHint: 'required for a refusal, e.g. administrative reconsideration within 60 days or a lawsuit within 6 months',
      return: 'Return', withdraw: 'Withdraw', transfer: 'Transfer', delegate: 'Delegate', resolve: 'Hand back',
      returnTitle: 'Return to a step already passed', target: 'Return to', previous: 'previous step', mode: 'After the correction', modeAgain: 'go through the steps again', modeBackToMe: 'come straight back to this step',
      reason: 'Reason', reasonRequired: 'Please give a reason', person: 'To', personRequired: 'Choose a person of your unit',
      transferTitle: 'Transfer to a person of your unit', delegateTitle: 'Delegate to a person of your unit', resolveTitle: 'Hand the delegated task back', opinion: 'Opinion for the owner',
      withdrawHint: 'The next step has not been taken up: you may take back “{step}”', withdrawTitle: 'Take back a decided step', delegatedBy: 'delegated by {owner}', returnsTo: 'after the correction straight back to: {step}',
      done: 'Done', confirm: 'OK', cancel: 'Cancel', noTargets: 'No step to return to',
    },
    event: { task_rejected: 'Rejected', task_returned: 'Returned', task_withdrawn: 'Withdrawn', task_transferred: 'Transferred', task_delegated: 'Delegated', task_resolved: 'Delegation handed back' },
  },
};
export default part;
