/**
 * Who may see and act on cases. Staff see the cases they work on (a task for one of their groups, now
 * or before) and the ones they submitted; the window of a region receives, sees and supplements the
 * applications filed there; supervisors see everything in their region and below.
 * Personal data (unmasked) only for those who handle the case — never for supervisors — and for a
 * group's members only while their group holds an open step of it: after their step they keep the
 * masked case, not the clear text. The window that filed it (and its region's window, which receives,
 * supplements and delivers) keeps it: that role needs it for the whole case.
 */
import { has, inMyRegion, type Policy } from '../../authz/ability.ts';
import { STAFF_ROLES } from '../identity/roles.ts';

export const caseRules: Policy = (who, { can }) => {
  if (has(who, ...STAFF_ROLES)) {
    can('read', 'Case', { involvedGroups: { $in: who.groups } });
    can('readPersonalData', 'Case', { openGroups: { $in: who.groups } });
    can(['read', 'readPersonalData'], 'Case', { submittedBy: who.userId });
  }
  // special procedures and extensions: the handling unit's heads and leaders (extension: leaders)
  const unitGroups = ['window', 'reviewer', 'head', 'leader'].map((g) => `${who.unitCode}:${g}`);
  // heads and leaders oversee whatever their unit works on
  if (has(who, 'section_head', 'leader')) can(['read', 'pause'], 'Case', { involvedGroups: { $in: unitGroups } });
  if (has(who, 'leader')) can('extend', 'Case', { involvedGroups: { $in: unitGroups } });
  if (has(who, 'window_clerk')) {
    can(['create', 'read', 'readPersonalData', 'supplement'], 'Case', { regionCode: who.regionCode });
  }
  if (has(who, 'supervisor')) {
    can(['read', 'urge', 'supervise'], 'Case', inMyRegion(who));
  }
};
