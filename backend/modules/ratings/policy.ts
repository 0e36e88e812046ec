/**
 * Ratings are given by applicants only (no staff rule creates or changes one). Supervisors read the
 * ratings and rectifications of their region and below; a unit's heads and leaders read and handle
 * the rectifications assigned to their unit.
 */
import { has, inMyRegion, type Policy } from '../../authz/ability.ts';

export const ratingRules: Policy = (who, { can }) => {
  if (has(who, 'supervisor')) can('read', ['Rating', 'Rectification'], inMyRegion(who));
  if (has(who, 'section_head', 'leader')) {
    can('read', ['Rating', 'Rectification'], { unitCode: who.unitCode });
    can('rectify', 'Rectification', { unitCode: who.unitCode });
  }
};
