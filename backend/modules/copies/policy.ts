/**
 * 抄送: those who work a case copy it to others for their information; a copy lets its recipient
 * read the case (masked, never the personal data) and nothing else — every command stays refused.
 */
import { has, type Policy } from '../../authz/ability.ts';
import { STAFF_ROLES } from '../identity/roles.ts';

export const copyRules: Policy = (who, { can }) => {
  can('read', 'Case', { copiedTo: { $in: [who.userId] } });
  if (has(who, ...STAFF_ROLES) && who.groups.length > 0) can('copy', 'Case', { involvedGroups: { $in: who.groups } });
};
