/** Written notices (issue 14, part 2): templates per item, PDF at each moment, kept with a hash. */
export { noticeRoutes, sendPdf } from './routes.ts';
export { noticeRules } from './policy.ts';
export { issueNotice, noticeOnDecision, noticesOf, noticePdf, type NoticeMoment } from './service.ts';
export { KINDS, DEFAULTS, REMEDIES, chineseDate, templateProblems, type NoticeKind } from './templates.ts';
export { renderPdf } from './render.ts';
