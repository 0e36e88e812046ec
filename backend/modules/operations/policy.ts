/**
 * Who may operate on a task beyond deciding it. The holder of a task (its assignee, acting for one
 * of its candidate groups) returns, transfers or delegates it — not while it is delegated away
 * (owner set: the delegate only answers and hands it back). Whoever decided a step may take it back
 * (撤回) while the rules of withdrawCheck allow. The holder adds a signer (加签) or removes one from
 * a countersign (减签). Supervisors and administrators do none of it.
 */
import { has, type Policy } from '../../authz/ability.ts';
import { STAFF_ROLES } from '../identity/roles.ts';

export const operationRules: Policy = (who, { can, cannot }) => {
  if (has(who, ...STAFF_ROLES) && who.groups.length > 0) {
    can(['return', 'reject', 'transfer', 'delegate'], 'Task', { assignee: who.userId, owner: null, candidateGroups: { $in: who.groups } });
    can('withdraw', 'Task', { completedBy: who.userId, candidateGroups: { $in: who.groups } });
    can('resolve', 'Task', { assignee: who.userId, owner: { $ne: null } });
    // 加签 / 减签: the holder acting for the step's group (a signer holding it does not add more)
    can(['addSigner', 'removeSigner'], 'Task', { assignee: who.userId, owner: null, signer: null, candidateGroups: { $in: who.groups } });
  }
  if (has(who, 'supervisor', 'admin')) cannot(['return', 'reject', 'withdraw', 'transfer', 'delegate', 'resolve', 'addSigner', 'removeSigner'], 'Task');
};
