/** Messages of 加签 / 减签 on the case page (issue 12). */
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    signers: {
      add: '加签', remove: '减签', addTitle: '加签', addCountersignTitle: '会签加签（增加会签人）', removeTitle: '减签（移除尚未办理的会签人）',
      position: '加签方式', before: '前加签：加签人先办理，再交回我决定', after: '后加签：我先作出意见，加签人接着办理并作出本环节结论',
      signer: '加签人', signerRequired: '请选择加签人', nobody: '没有可加签的人员', myDecision: '我的意见', removeWhom: '移除的会签人', removeRequired: '请选择要移除的会签人',
      signBack: '加签意见交回', signTitle: '填写加签意见并交回', signOpinion: '加签意见',
      signsBefore: '{by} 的前加签：办理后交回', signsAfter: '{by} 的后加签：由您作出本环节结论',
    },
    event: { task_signer_added: '加签', task_signer_removed: '减签', task_signed: '加签意见' },
  },
  en: {
    signers: {
      add: 'Add signer', remove: 'Remove signer', addTitle: 'Add a signer', addCountersignTitle: 'Add a signer to the countersign', removeTitle: 'Remove a signer who has not yet decided',
      position: 'Position', before: 'before: the signer acts first, then the task comes back to me', after: 'after: I give my decision, the signer acts next and decides the step',
      signer: 'Signer', signerRequired: 'Choose a signer', nobody: 'Nobody may sign this step', myDecision: 'My decision', removeWhom: 'Signer to remove', removeRequired: 'Choose the signer to remove',
      signBack: 'Sign and hand back', signTitle: 'Give your sign and hand the task back', signOpinion: 'Your sign',
      signsBefore: 'signer for {by}: hand it back when done', signsAfter: 'signer after {by}: you decide this step',
    },
    event: { task_signer_added: 'Signer added', task_signer_removed: 'Signer removed', task_signed: 'Signed' },
  },
};
export default part;
