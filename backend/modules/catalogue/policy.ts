/**
 * The catalogue is public knowledge inside the back office. Which deployed version an item's cases
 * start is a decision about the process, so it is made by designers of the department owning that
 * process — and by administrators, who keep the catalogue in order (the province's administrators
 * write it).
 */
import { has, type Policy } from '../../authz/ability.ts';

export const catalogueRules: Policy = (who, { can }) => {
  can('read', 'Item');
  if (has(who, 'designer') && who.department) can('bind', 'Item', { processDepartment: who.department });
  if (has(who, 'admin')) can('bind', 'Item');
  // the catalogue is the province's: its administrators create and edit items for every level below
  if (has(who, 'admin') && who.level === 'province') can('manage', 'Item');
};
