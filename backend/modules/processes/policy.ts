/** Everyone may look at process diagrams; only a department's designers deploy its processes. */
import { has, type Policy } from '../../authz/ability.ts';

export const processRules: Policy = (who, { can }) => {
  can('read', 'Process');
  if (has(who, 'designer') && who.department) can('deploy', 'Process', { department: who.department });
};
