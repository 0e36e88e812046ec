/** The audit log is read by administrators (who hold no approval role themselves). */
import { has, type Policy } from '../../authz/ability.ts';

export const auditRules: Policy = (who, { can }) => {
  if (has(who, 'admin')) can('read', 'Audit');
};
