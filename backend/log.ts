/** Structured logs (pino). Child loggers carry caseId / userTaskKey so one case can be followed. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Credentials never reach a log line: request headers (pino-http's req/res) and any token-ish field. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.totpCode',
  '*.token',
  'accessToken',
  'refreshToken',
  'password',
  'token',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { app: 'licence-desk' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
