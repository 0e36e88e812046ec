/**
 * Everyone reads the working-day calendar (deadlines are computed from it). Administrators edit the
 * national calendar and their own province's overlay: another province's local festivals are not
 * theirs to change. Condition field: `regionCode` ('' national, 'JN' an overlay).
 */
import { has, type Policy, type SubjectType } from '../../authz/ability.ts';

/**
 * The calendar's subject type. Cast until authz/ability.ts lists 'Calendar' in SubjectType (and this
 * policy among its policies); the cast is then redundant and can go.
 */
export const CALENDAR = 'Calendar' as string as SubjectType;

export const calendarRules: Policy = (who, { can }) => {
  can('read', CALENDAR);
  if (has(who, 'admin')) can('manage', CALENDAR, { regionCode: { $in: ['', who.regionCode.split('-')[0] ?? ''] } });
};
