/**
 * Whom a process may route work to. A department's process gives its tasks to that department's
 * units in the case's own region (`${countyCode}.WR:reviewer`), to the service centre's window
 * (`….ASC:window`, which takes in every item), or to the departments the catalogue item names for a
 * joint handling (`${department}:reviewer`, `${leadDepartment}:leader` — set by administrators in
 * the catalogue, not by the designer). Anything else — another department's groups, a fixed unit
 * code, named users or a fixed assignee — would let one designer re-route cases alone: refused.
 */
import type { Problem } from '../../errors.ts';
import type { ProcessModel } from '../../engine/bpmn.ts';

const REGION = /^\$\{(provinceCode|cityCode|countyCode)\}$/;
const ROLE_GROUPS = new Set(['window', 'reviewer', 'head', 'leader']);
const CATALOGUE_DEPARTMENT = /^\$\{(department|leadDepartment)\}$/;

export function routingProblems(models: ProcessModel[], department: string): Problem[] {
  const problems: Problem[] = [];
  for (const m of models) {
    for (const task of m.userTasks.values()) {
      const at = (message: string) => problems.push({ path: task.id, message: `${task.name}: ${message}` });
      const { candidateGroups, candidateUsers, assignee } = task.assignment;
      if (candidateUsers.length > 0) at('candidate users are not allowed: tasks go to groups, and the back office assigns by claim');
      if (assignee) at('a fixed assignee is not allowed: tasks go to groups, and the back office assigns by claim');
      for (const g of candidateGroups) {
        const [unit = '', role = ''] = g.split(':');
        if (!ROLE_GROUPS.has(role)) {
          at(`group ${g}: the role group must be one of ${[...ROLE_GROUPS].join(', ')}`);
          continue;
        }
        if (CATALOGUE_DEPARTMENT.test(unit)) continue;
        const dot = unit.lastIndexOf('.');
        const region = unit.slice(0, dot);
        const dept = unit.slice(dot + 1);
        if (dot < 0 || !REGION.test(region)) {
          at(`group ${g}: the unit must be the case's region (\${provinceCode}, \${cityCode} or \${countyCode}) and a department`);
          continue;
        }
        if (dept !== department && !(dept === 'ASC' && role === 'window')) at(`group ${g}: belongs to department ${dept}; a ${department} process routes only to ${department} units and the service centre's window`);
      }
    }
  }
  return problems;
}
