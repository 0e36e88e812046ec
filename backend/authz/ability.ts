/**
 * One CASL ability per identity, assembled from the small policy beside each domain module. The same
 * rules check single records in memory (ability.can) and filter lists in SQL (authz/sql.ts), and
 * travel packed to the browser so the UI hides what the user may not do.
 */
import { AbilityBuilder, createMongoAbility, subject, type MongoAbility, type MongoQuery } from '@casl/ability';
import { packRules } from '@casl/ability/extra';
import type { Identity, Level } from '../context.ts';
import { AppError } from '../errors.ts';
import { caseRules } from '../modules/cases/policy.ts';
import { taskRules } from '../modules/tasks/policy.ts';
import { catalogueRules } from '../modules/catalogue/policy.ts';
import { processRules } from '../modules/processes/policy.ts';
import { orgRules } from '../modules/org/policy.ts';
import { auditRules } from '../modules/audit/policy.ts';
import { calendarRules } from '../modules/calendar/policy.ts';
import { approvalRules } from '../modules/approvals/policy.ts';
import { operationRules } from '../modules/operations/policy.ts';
import { caseControlRules } from '../modules/case-control/policy.ts';
import { copyRules } from '../modules/copies/policy.ts';
import { publicQueryRules } from '../modules/public-query/policy.ts';
import { noticeRules } from '../modules/notices/policy.ts';
import { ratingRules } from '../modules/ratings/policy.ts';
import { attachmentRules } from '../modules/attachments/policy.ts';

export type Action = 'read' | 'create' | 'claim' | 'unclaim' | 'complete' | 'readPersonalData' | 'supplement' | 'deploy' | 'manage' | 'urge' | 'supervise' | 'pause' | 'extend' | 'monitor' | 'bind' | 'approve' | 'return' | 'reject' | 'withdraw' | 'transfer' | 'delegate' | 'resolve' | 'addSigner' | 'removeSigner' | 'suspend' | 'terminate' | 'copy' | 'attach' | 'issueQueryCode' | 'rectify' | 'export' | 'verify';
export type SubjectType = 'Case' | 'Task' | 'Item' | 'Process' | 'OrgUnit' | 'User' | 'Audit' | 'Calendar' | 'ChangeRequest' | 'NoticeTemplate' | 'Rating' | 'Rectification' | 'Attachment';
// Subjects are plain objects tagged with subject(); conditions name their fields (see each policy).
export type AppAbility = MongoAbility<[Action, SubjectType | Record<PropertyKey, unknown>], MongoQuery>;
export type Builder = AbilityBuilder<AppAbility>;
export type Policy = (who: Identity, b: Builder) => void;

const policies: Policy[] = [caseRules, taskRules, catalogueRules, processRules, orgRules, auditRules, calendarRules, approvalRules, operationRules, caseControlRules, copyRules, attachmentRules, publicQueryRules, noticeRules, ratingRules];

const ownAccount: Policy = (who, { can }) => can('read', 'User', { id: who.userId });

const cache = new WeakMap<Identity, AppAbility>();

export function abilityFor(who: Identity): AppAbility {
  let ability = cache.get(who);
  if (!ability) {
    const b = new AbilityBuilder<AppAbility>(createMongoAbility);
    // 三员分立: an audit administrator's account holds the audit and nothing else, whatever other roles
    // it was given by mistake (roles combined with it grant nothing more)
    for (const p of has(who, 'audit_admin') ? [auditRules, ownAccount] : policies) p(who, b);
    ability = b.build();
    cache.set(who, ability);
  }
  return ability;
}

export const packedRulesFor = (who: Identity) => packRules(abilityFor(who).rules);

const LEVEL_FIELD: Record<Level, 'provinceCode' | 'cityCode' | 'countyCode'> = { province: 'provinceCode', city: 'cityCode', county: 'countyCode' };

/** "My region and everything below it", as a condition on the province/city/county code fields. */
export const inMyRegion = (who: Identity) => ({ [LEVEL_FIELD[who.level]]: who.regionCode });

export const has = (who: Identity, ...roles: Identity['roles']) => roles.some((r) => who.roles.includes(r));

/** A record as the rules see it: its condition fields, tagged with its subject type. */
export const subjectOf = (type: SubjectType, fields: Record<string, unknown>): Record<string, unknown> => subject(type, fields);

/** For routes over a whole subject type (catalogue, diagrams, the org tree): 403 unless allowed. */
export function authorize(who: Identity, action: Action, type: SubjectType): void {
  if (!abilityFor(who).can(action, type)) throw new AppError('FORBIDDEN', `your roles do not allow ${action} on ${type}`);
}
