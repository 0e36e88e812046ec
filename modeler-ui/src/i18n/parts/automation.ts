/** Messages of 常用意见 in the decision form, 批量审批 in the queue and 超时自动处理 (issue 12). */
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    auto: {
      commonOpinions: '常用意见', noCommonOpinions: '还没有常用意见', saveOpinion: '存为常用意见', opinionSaved: '已存为常用意见', opinionKept: '该意见已在常用意见中',
      chooseDecision: '请选择办理结论', system: '系统',
      batchSelected: '已选 {n} 件', batchStep: '环节：{step}', batchMixed: '所选待办不属于同一环节，批量审批只能针对同一环节', batchApprove: '批量审批',
      batchTitle: '批量审批（{n} 件）', batchSubmit: '提交', batchResults: '办理结果', batchOk: '成功', batchFailed: '失败', batchSummary: '成功 {ok} 件，失败 {failed} 件', batchClear: '取消选择',
      failed400: '不符合办理要求（如结论不适用于该环节）', failed403: '无权办理该待办（如已由他人认领）', failed404: '待办不存在或不在您的办理范围内', failed409: '待办已变化（已被他人认领、办理，或案件已挂起）', failed503: '流程引擎暂不可用，请稍后重试', failedOther: '办理失败',
    },
    event: { task_timeout_passed: '超时自动通过', task_timeout_returned: '超时自动退回' },
  },
  en: {
    auto: {
      commonOpinions: 'Common opinions', noCommonOpinions: 'No common opinions yet', saveOpinion: 'Save as common opinion', opinionSaved: 'Saved as a common opinion', opinionKept: 'Already among your common opinions',
      chooseDecision: 'Choose a decision', system: 'System',
      batchSelected: '{n} selected', batchStep: 'Step: {step}', batchMixed: 'The selected tasks are not all at one step: a batch is one step', batchApprove: 'Batch approval',
      batchTitle: 'Batch approval ({n} tasks)', batchSubmit: 'Submit', batchResults: 'Outcome', batchOk: 'Done', batchFailed: 'Failed', batchSummary: '{ok} done, {failed} failed', batchClear: 'Clear selection',
      failed400: 'Not accepted for this step', failed403: 'Not yours to decide (claimed by someone else?)', failed404: 'Unknown or outside your remit', failed409: 'The task changed (claimed or decided by someone else, or the case is suspended)', failed503: 'The process engine is unavailable; try again', failedOther: 'Failed',
    },
    event: { task_timeout_passed: 'Passed by the system on timeout', task_timeout_returned: 'Returned by the system on timeout' },
  },
};
export default part;
