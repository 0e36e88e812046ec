import { assert } from 'chai';
import { describe, it } from 'mocha';
import { toAppError } from '../../backend/http/error-handler.ts';
import { EngineError } from '../../backend/engine/port.ts';
import { statusOf } from '../../backend/errors.ts';

describe('error mapping', () => {
  it('maps engine outages to 503 and gone keys to 409', () => {
    assert.strictEqual(statusOf[toAppError(new EngineError('unavailable', 'x'))!.code], 503);
    assert.strictEqual(statusOf[toAppError(new EngineError('not_found', 'x'))!.code], 409);
  });
  it('never passes the engine\'s own text to the client', () => {
    const text = 'org.operaton.bpm.engine.exception.NullValueException: Cannot find task with id 8f3e-… in ACT_RU_TASK';
    for (const kind of ['not_found', 'rejected', 'conflict', 'unavailable'] as const) {
      const mapped = toAppError(new EngineError(kind, text));
      assert.ok(mapped && !mapped.message.includes('operaton') && !mapped.message.includes('ACT_RU_TASK'), `${kind}: ${mapped?.message}`);
      assert.isAbove(mapped.message.length, 20, 'a worded reason instead');
    }
    assert.match(toAppError(new EngineError('rejected', 'ProcessEngineException: ProcessDefinition with id x is suspended'))!.message, /suspended in the engine/);
  });
  it('maps body-parser failures to 4xx and database outages to 503', () => {
    assert.strictEqual(statusOf[toAppError({ type: 'entity.parse.failed' })!.code], 400);
    assert.strictEqual(statusOf[toAppError({ type: 'entity.too.large' })!.code], 413);
    assert.strictEqual(statusOf[toAppError({ code: 'ECONNREFUSED' })!.code], 503);
    assert.strictEqual(statusOf[toAppError({ fatal: true, code: 'X' })!.code], 503);
    assert.strictEqual(statusOf[toAppError(new Error("Can't add new command when connection is in closed state"))!.code], 503);
  });
  it('leaves unknown errors unmapped so they become a logged 500', () => {
    assert.strictEqual(toAppError(new TypeError('boom')), null);
  });
});
