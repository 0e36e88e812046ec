/**
 * 三员分立: the audit administrator reads the audit trail and nothing else, and is the only one who
 * reads it — system administrators (admin) and everyone else do not. Nobody may alter it: there is
 * no write route at all (rows are appended by the operations they record). An audit administrator
 * sees the trail of its own region and below (actors of those units, cases of those regions);
 * rows of no actor and no case (the system's own) only at the province level.
 */
import { has, type Policy } from '../../authz/ability.ts';

export const auditRules: Policy = (who, { can }) => {
  if (has(who, 'audit_admin')) can(['read', 'export', 'verify'], 'Audit');
};
