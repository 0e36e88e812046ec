/**
 * Who may see and work tasks. Staff work the tasks of their own unit's groups (the BPMN candidate
 * groups name unit and role), so a reviewer of one county never touches another county's task and a
 * leader decides only in their own unit. Supervisors read every task in their region and below but
 * never claim or complete; administrators do not approve.
 */
import { has, inMyRegion, type Policy } from '../../authz/ability.ts';
import { STAFF_ROLES } from '../identity/roles.ts';

export const taskRules: Policy = (who, { can, cannot }) => {
  if (has(who, ...STAFF_ROLES) && who.groups.length > 0) {
    can(['read', 'claim'], 'Task', { candidateGroups: { $in: who.groups } });
    can('read', 'Task', { assignee: who.userId });
    can('read', 'Task', { completedBy: who.userId });
    can('unclaim', 'Task', { assignee: who.userId });
    // a delegated task (委派: owner set) is decided by its owner once the delegate hands it back
    can('complete', 'Task', { assignee: who.userId, owner: null, candidateGroups: { $in: who.groups } });
    // 后加签: the signer added after the holder's decision decides the step, whatever their groups
    can('complete', 'Task', { assignee: who.userId, owner: null, signer: who.userId });
  }
  if (has(who, 'supervisor')) can(['read', 'urge'], 'Task', inMyRegion(who));
  // a leader urges the steps of their own unit, whoever holds them
  if (has(who, 'leader')) {
    const unitGroups = ['window', 'reviewer', 'head', 'leader'].map((g) => `${who.unitCode}:${g}`);
    can(['read', 'urge'], 'Task', { candidateGroups: { $in: unitGroups } });
  }
  if (has(who, 'supervisor', 'admin')) cannot(['claim', 'unclaim', 'complete'], 'Task');
};
