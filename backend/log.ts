/** Structured logs (pino). Child loggers carry caseId / userTaskKey so one case can be followed. */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

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

/**
 * JSON lines unless `format` is `text`: one readable line per entry for a person at a terminal
 * (time, level, message, then the fields), written synchronously so start-up progress and a crash's
 * last words appear in order. Redaction applies to both.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, format: 'json' | 'text' = 'json'): Logger {
  const options = { level, base: { app: 'licence-desk' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACT, censor: '[redacted]' } };
  if (format === 'text') {
    const out = pretty({ sync: true, colorize: !destination && Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app', singleLine: true, ...(destination ? { destination } : {}) });
    return pino(options, out);
  }
  return destination ? pino(options, destination) : pino(options);
}
