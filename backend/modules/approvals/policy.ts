/**
 * 四眼原则: a change to a live item's process (a deploy, a binding) is requested by one person and
 * approved by another — a designer or leader of the owning department in the requester's region.
 * Nobody approves their own request (the service checks that: it is about the record, not the role).
 */
import { has, type Policy } from '../../authz/ability.ts';

export const approvalRules: Policy = (who, { can }) => {
  if (has(who, 'designer', 'leader', 'admin')) can('read', 'ChangeRequest', { regionCode: who.regionCode });
  if (has(who, 'designer', 'leader') && who.department) can('approve', 'ChangeRequest', { department: who.department, regionCode: who.regionCode });
};
