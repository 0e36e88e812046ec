/** Notice templates: administrators write them; designers and staff may read the wording. */
import { has, type Policy } from '../../authz/ability.ts';
import { STAFF_ROLES } from '../identity/roles.ts';

export const noticeRules: Policy = (who, { can }) => {
  if (has(who, 'admin')) can(['read', 'manage'], 'NoticeTemplate');
  if (has(who, 'designer', ...STAFF_ROLES)) can('read', 'NoticeTemplate');
};
