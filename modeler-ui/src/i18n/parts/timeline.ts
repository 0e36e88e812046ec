// 办理过程中其余条目的名称：文书、查询码、评价与整改、引擎异常等（合并各功能后由中文界面走查发现缺失）。
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    event: {
      case_awaiting: '等待申请人', case_outcome: '办理结果', engine_incident: '流程引擎异常', notice_issued: '出具文书', 'query-code_issued': '发放查询码', rating_received: '收到评价',
      rectification_opened: '差评整改立项', rectification_verified: '差评已核实', rectification_answered: '已答复申请人', rectification_rectified: '整改完成', 'rectification_applicant-response': '申请人反馈整改意见',
      rectification_yellow: '整改超期（黄牌）', rectification_red: '整改逾期（红牌）', task_completed_outside: '在本系统外办结环节', 'task_urge-acknowledged': '确认催办', task_released: '账号停用，环节收回',
    },
  },
  en: {
    event: {
      case_awaiting: 'Waiting for the applicant', case_outcome: 'Outcome', engine_incident: 'Process engine incident', notice_issued: 'Notice issued', 'query-code_issued': 'Query code issued', rating_received: 'Rating received',
      rectification_opened: 'Rectification opened', rectification_verified: 'Bad rating verified', rectification_answered: 'Applicant answered', rectification_rectified: 'Rectified', 'rectification_applicant-response': 'Applicant responded',
      rectification_yellow: 'Rectification overdue (yellow)', rectification_red: 'Rectification overdue (red)', task_completed_outside: 'Step completed outside licence-desk', 'task_urge-acknowledged': 'Urging acknowledged', task_released: 'Account disabled: step released',
    },
  },
};
export default part;
