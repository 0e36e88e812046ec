/** What administrators send to shape the organisation and its accounts, checked at the edge. */
import { z } from '../../http/zod.ts';
import { ROLES } from '../identity/roles.ts';

const REGION_CODE = /^[A-Z]{2}(-\d{2}){0,2}$/;
const UNIT_CODE = /^[A-Z]{2}(-\d{2}){0,2}(\.[A-Z]{2,4})?$/;

export const UnitCodeParams = z.object({ code: z.string().regex(UNIT_CODE, 'a unit code like JN-01 or JN-01-01.WR') });
export const UserIdParams = z.object({ id: z.string().min(1).max(64) });

export const CreateUnitBody = z
  .object({
    parentCode: z.string().regex(REGION_CODE, 'the region the new unit sits in, e.g. JN-01'),
    kind: z.enum(['region', 'department']),
    /** a region: two digits below its parent (JN-01 + 03 → JN-01-03); a department: its department code (WR) */
    key: z.string().regex(/^(\d{2}|[A-Z]{2,4})$/, 'two digits for a region, 2–4 capital letters for a department'),
    name: z.string().trim().min(1).max(100),
  })
  .strict()
  .openapi('CreateUnit');

export const RenameUnitBody = z.object({ name: z.string().trim().min(1).max(100) }).strict().openapi('RenameUnit');

const Roles = z
  .array(z.enum(ROLES as [string, ...string[]]))
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'each role once');

export const CreateUserBody = z
  .object({
    username: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, '3–64 lower-case letters, digits, dots, dashes or underscores'),
    displayName: z.string().trim().min(1).max(100),
    unitCode: z.string().regex(UNIT_CODE, 'a department such as JN-01-01.WR'),
    roles: Roles,
  })
  .strict()
  .openapi('CreateUser');

export const SetRolesBody = z.object({ roles: Roles }).strict().openapi('SetRoles');
export const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    /** moving to another department (of one's region) ends the account's sessions and releases its tasks */
    unitCode: z.string().regex(UNIT_CODE, 'a department such as JN-01-01.WR').optional(),
    reason: z.string().trim().min(2).max(500).optional(),
  })
  .strict()
  .refine((b) => b.displayName !== undefined || b.unitCode !== undefined, { message: 'name a new displayName or unitCode', path: ['displayName'] })
  .refine((b) => b.unitCode === undefined || b.reason !== undefined, { message: 'a move needs a reason', path: ['reason'] })
  .openapi('UpdateUser');
export const DisableBody = z.object({ reason: z.string().trim().min(2).max(500) }).strict().openapi('DisableUser');

export const UnitSchema = z
  .object({ code: z.string(), name: z.string(), kind: z.enum(['region', 'department']), level: z.enum(['province', 'city', 'county']), regionCode: z.string(), department: z.string().nullable(), parentCode: z.string().nullable(), path: z.string() })
  .openapi('OrgUnit');
export const AdminUserSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string(), unitCode: z.string(), active: z.boolean(), lockedUntil: z.string().nullable(), roles: z.array(z.string()) })
  .openapi('AdminUser');
