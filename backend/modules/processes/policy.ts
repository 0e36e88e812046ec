/**
 * Everyone may look at process diagrams (and drafts); only a department's designers deploy its
 * processes and save their drafts. The live overlay of a process (open steps and their deadline
 * levels) is for the owning department's designers and for those who watch cases: supervisors and
 * leaders (their counts are narrowed to the cases they may read, in the service).
 */
import { has, type Policy } from '../../authz/ability.ts';

export const processRules: Policy = (who, { can }) => {
  can('read', 'Process');
  if (has(who, 'designer') && who.department) can(['deploy', 'monitor'], 'Process', { department: who.department });
  if (has(who, 'supervisor', 'leader')) can('monitor', 'Process');
};
