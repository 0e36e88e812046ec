/** 好差评 (GB/T 39734-2020) and the rectification of every 差评 (issue 14, part 3). */
export { publicRatingRoutes, ratingRoutes } from './routes.ts';
export { ratingRules } from './policy.ts';
export { rate, advance, applicantResponse, ratingsForApplicant, rectificationView } from './service.ts';
export { escalateRectifications, levelOf } from './escalation.ts';
export { ratingStats, ratedCases } from './stats.ts';
export { LEVELS, LEVEL_NAMES, SCORE, ASPECTS, SERVICES, isBad, type RatingLevel, type RatedService } from './levels.ts';
