/**
 * Errors are mapped to HTTP here and nowhere else. Unexpected errors are logged with the request and
 * answered with a generic 500 that reveals nothing internal; database outages become 503. The
 * engine's own texts (class names, ids, SQL of its database) never reach a client: each kind of
 * engine failure gets a worded reason, and the engine's text goes to the log with the request path
 * (which names the case or task).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, statusOf } from '../errors.ts';
import { EngineError } from '../engine/port.ts';
import type { Logger } from '../log.ts';

const DB_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'ETIMEDOUT', 'ER_CON_COUNT_ERROR', 'SQLITE_BUSY', 'KnexTimeoutError']);

export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof EngineError) {
    if (err.kind === 'unavailable') return new AppError('ENGINE_UNAVAILABLE', 'the process engine is unavailable; nothing was changed, try again shortly');
    if (err.kind === 'not_found') return new AppError('CONFLICT', 'the process engine no longer has this step or case open (it was completed or cancelled meanwhile); reload it');
    if (err.kind === 'conflict') return new AppError('CONFLICT', 'someone changed this at the same moment; reload and try again');
    if (/suspend/i.test(err.message)) return new AppError('CONFLICT', 'the process of this case is suspended in the engine; an administrator must resume it first');
    return new AppError('CONFLICT', 'the process engine refused the command; the reason is logged for the administrators');
  }
  const e = err as { type?: string; status?: number; code?: string; name?: string; message?: string; fatal?: boolean };
  if (e.type === 'entity.parse.failed') return new AppError('BAD_REQUEST', 'the request body is not valid JSON');
  if (e.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new AppError('BAD_REQUEST', e.message ?? 'unsupported encoding');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('BAD_REQUEST', e.message ?? 'bad request');
  // mysql2 marks a lost connection `fatal`; a ROLLBACK on it fails with a code-less closed-state error
  if ((e.code && DB_DOWN.has(e.code)) || (e.name && DB_DOWN.has(e.name)) || e.fatal === true || /connection is in closed state/.test(e.message ?? '')) {
    return new AppError('DATABASE_UNAVAILABLE', 'the database is unavailable; nothing was changed, try again shortly');
  }
  return null;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toAppError(err);
    if (err instanceof EngineError) log.warn({ engine: { kind: err.kind, message: err.message }, method: req.method, path: req.originalUrl.split('?')[0] }, 'engine failure answered with a worded reason');
    if (known) {
      const status = statusOf[known.code];
      if (status >= 500) log.warn({ err, path: req.path }, known.message);
      const retryAt = known.params?.retryAt;
      if (typeof retryAt === 'string' && !res.getHeader('retry-after')) res.set('retry-after', String(Math.max(1, Math.ceil((Date.parse(retryAt) - Date.now()) / 1000))));
      res.status(status).json({ error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}), ...(known.params ? { params: known.params } : {}) } });
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'unexpected error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'an unexpected error occurred; it has been logged' } });
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } });
};
