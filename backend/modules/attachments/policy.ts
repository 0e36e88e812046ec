/** Who adds attachments: those who work the case (its groups) and the window of its region. Readers of the case download them. */
import { has, type Policy } from '../../authz/ability.ts';
import { STAFF_ROLES } from '../identity/roles.ts';

export const attachmentRules: Policy = (who, { can }) => {
  if (has(who, ...STAFF_ROLES) && who.groups.length > 0) can('attach', 'Case', { involvedGroups: { $in: who.groups } });
  if (has(who, 'window_clerk')) can('attach', 'Case', { regionCode: who.regionCode });
};
