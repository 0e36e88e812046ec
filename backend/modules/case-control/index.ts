/** 挂起 / 激活 / 终止 of a whole case: routes and the CASL rules they check. */
export { caseControlRoutes } from './routes.ts';
export { caseControlRules } from './policy.ts';
export { assertCaseAcceptsDecisions } from './guard.ts';
