/** The tree is visible to all; administrators manage units and users in their region and below. */
import { has, inMyRegion, type Policy } from '../../authz/ability.ts';

export const orgRules: Policy = (who, { can }) => {
  can('read', 'OrgUnit');
  can('read', 'User', { id: who.userId });
  if (has(who, 'admin')) can(['read', 'manage'], ['User', 'OrgUnit'], inMyRegion(who));
};
