/** Structured logs (pino). Child loggers carry caseId / userTaskKey so one case can be followed. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'licence-desk' }, timestamp: pino.stdTimeFunctions.isoTime });
}
