/** The applicant's status query without an account (issue 14, part 1). */
export { publicQueryRoutes, queryCodeRoutes, CaseNoParams, CodeQuery } from './routes.ts';
export { publicQueryRules } from './policy.ts';
export { issueOnDecision, reissueCode, statusUrlOf, caseByCode, publicStatus, publicNotice, queryCounts, NO_MATCH } from './service.ts';
export { publicView, STAGE_TEXT, itemsOf, type Stage } from './view.ts';
export { formatCode, normalizeCode } from './code.ts';
