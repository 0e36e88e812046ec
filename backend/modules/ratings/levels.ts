/** The five levels of GB/T 39734-2020 and what counts as a 差评. */
export const LEVELS = ['very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied'] as const;
export type RatingLevel = (typeof LEVELS)[number];
export const SCORE: Record<RatingLevel, number> = { very_satisfied: 5, satisfied: 4, basic: 3, dissatisfied: 2, very_dissatisfied: 1 };
export const LEVEL_OF_SCORE: Record<number, RatingLevel> = { 5: 'very_satisfied', 4: 'satisfied', 3: 'basic', 2: 'dissatisfied', 1: 'very_dissatisfied' };
export const LEVEL_NAMES: Record<RatingLevel, string> = { very_satisfied: '非常满意', satisfied: '满意', basic: '基本满意', dissatisfied: '不满意', very_dissatisfied: '非常不满意' };
/** 不满意 and 非常不满意 */
export const isBad = (score: number) => score <= 2;
/** optional items the applicant may rate (服务态度, 办事效率, 办事流程, 服务环境, 信息公开) */
export const ASPECTS = ['attitude', 'efficiency', 'process', 'environment', 'information'] as const;
export const SERVICES = ['window', 'decision'] as const;
export type RatedService = (typeof SERVICES)[number];
