/**
 * Typed domain errors. Domain code throws these; the HTTP layer maps them to responses in exactly one
 * place (http/error-handler.ts), so a module never decides a status code.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'LOCKED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  /** a 挂起 case, or one being terminated: no decisions (409 like any conflict, worded on its own) */
  | 'CASE_SUSPENDED'
  | 'CASE_TERMINATING'
  | 'INVALID_BPMN'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'ENGINE_UNAVAILABLE'
  | 'DATABASE_UNAVAILABLE';

export const statusOf: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_BPMN: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  LOCKED: 423,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CASE_SUSPENDED: 409,
  CASE_TERMINATING: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  ENGINE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
};

export interface Problem {
  path?: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Problem[],
    /** what the client words the code with (e.g. `retryAt`: when to try again, ISO) */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}

/** 429 saying when the next attempt is allowed: the client words it in its own time zone. */
export const tooSoon = (message: string, retryAt: number) => new AppError('RATE_LIMITED', message, undefined, { retryAt: new Date(retryAt).toISOString() });

export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `${what} ${id} does not exist`);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const badRequest = (message: string, details?: Problem[]) => new AppError('BAD_REQUEST', message, details);
