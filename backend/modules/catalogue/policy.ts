/** The catalogue is public knowledge inside the back office. */
import type { Policy } from '../../authz/ability.ts';

export const catalogueRules: Policy = (_who, { can }) => {
  can('read', 'Item');
};
