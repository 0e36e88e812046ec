/**
 * Which engine implementation backs the port. One today: Operaton. Another engine is a folder
 * beside operaton/ implementing port.ts and passing test/integration/engine-contract.test.ts.
 */
import type { Config } from '../../config/index.ts';
import type { EnginePort } from './port.ts';
import { createOperatonEngine } from './operaton/index.ts';
import { operatonDialect } from './operaton/dialect.ts';

export type { EnginePort } from './port.ts';
export { EngineError } from './port.ts';

/** The dialect of the engine in use: what the back office reads from BPMN, what the designer writes. */
export const dialect = operatonDialect;

export function createEngine(config: Config): EnginePort {
  return createOperatonEngine({ url: config.OPERATON_URL, token: config.OPERATON_TOKEN, timeoutMs: config.OPERATON_REQUEST_TIMEOUT_MS });
}
