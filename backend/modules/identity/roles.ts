/**
 * Roles and how they map onto BPMN candidate groups. A process names groups as
 * "<unit>:<role group>" (e.g. `=[countyCode + ".WR:reviewer"]`); a user of unit JN-01-01.WR holding
 * the reviewer role acts for "JN-01-01.WR:reviewer". Supervisors, designers, administrators and audit
 * administrators act for no group: they never work tasks.
 */
import type { Role } from '../../context.ts';

export const ROLES: readonly Role[] = ['window_clerk', 'reviewer', 'section_head', 'leader', 'supervisor', 'designer', 'admin', 'audit_admin'];

const GROUP_OF: Partial<Record<Role, string>> = {
  window_clerk: 'window',
  reviewer: 'reviewer',
  section_head: 'head',
  leader: 'leader',
};

export const STAFF_ROLES: readonly Role[] = ['window_clerk', 'reviewer', 'section_head', 'leader'];

export function groupsOf(unitCode: string, roles: readonly Role[]): string[] {
  return roles.flatMap((r) => (GROUP_OF[r] ? [`${unitCode}:${GROUP_OF[r]}`] : []));
}

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);
