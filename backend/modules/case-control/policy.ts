/**
 * 挂起 / 激活 and 终止 of a whole case: a leader of a unit that handles it (one of its groups holds or
 * held a step). Nobody else — a reviewer, a head, the window, a supervisor — stops or ends a case.
 */
import { has, type Policy } from '../../authz/ability.ts';

export const caseControlRules: Policy = (who, { can }) => {
  if (!has(who, 'leader')) return;
  const unitGroups = ['window', 'reviewer', 'head', 'leader'].map((g) => `${who.unitCode}:${g}`);
  can(['suspend', 'terminate'], 'Case', { involvedGroups: { $in: unitGroups } });
};
