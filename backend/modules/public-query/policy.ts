/** Staff side of the status query: the window of the region where a case was filed (re-)issues its code. */
import { has, type Policy } from '../../authz/ability.ts';

export const publicQueryRules: Policy = (who, { can }) => {
  if (has(who, 'window_clerk')) can('issueQueryCode', 'Case', { regionCode: who.regionCode });
};
