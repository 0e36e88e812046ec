/** The shapes of the 好差评 API as the staff screens read them (backend/modules/ratings). */
export type RatingLevel = 'very_satisfied' | 'satisfied' | 'basic' | 'dissatisfied' | 'very_dissatisfied';
export const RATING_LEVELS: RatingLevel[] = ['very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied'];
export type RectLevel = 'none' | 'yellow' | 'red';

export interface RatingRow {
  code: string;
  name: string;
  total: number;
  bad: number;
  badRate: number | null;
  rectification?: { rectified: number; onTime: number; onTimeRate: number | null; pending: number; late: number };
}

export interface Rectification {
  id: number;
  caseId: string;
  caseNo: string;
  itemCode: string;
  itemName?: string;
  unitCode: string;
  unitName?: string;
  state: 'open' | 'verified' | 'answered' | 'rectified';
  level: RectLevel;
  verifyBy: string;
  rectifyBy: string;
  finding: string | null;
  answer: string | null;
  measures: string | null;
  verifiedAt: string | null;
  answeredAt: string | null;
  rectifiedAt: string | null;
  onTime: boolean | null;
  applicantAccepted: boolean | null;
  rating?: { service: string; level: RatingLevel | null; comment: string | null; aspects: string[]; ratedOn: string };
  mayHandle?: boolean;
}

export interface RatingStats {
  total: number;
  distribution: Record<RatingLevel, number>;
  badRate: number | null;
  byUnit: RatingRow[];
  byItem: RatingRow[];
  rectification: { rectified: number; onTime: number; onTimeRate: number | null; pending: number; yellow: number; red: number };
  late: Rectification[];
}

export interface RatedCase {
  ratingId: number;
  caseId: string;
  caseNo: string;
  service: string;
  level: RatingLevel;
  unitCode: string;
  itemCode: string;
  ratedOn: string;
  comment: string | null;
  rectification: { id: number; state: string; level: RectLevel } | null;
}

export const percent = (r: number | null | undefined): string => (r === null || r === undefined ? '—' : `${Math.round(r * 1000) / 10}%`);
