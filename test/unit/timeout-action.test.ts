/** The step setting timeoutAction as the deadline sweep reads it (超时自动处理). */
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { parseTimeoutAction } from '../../backend/modules/operations/timeout.ts';

describe('the step setting timeoutAction', () => {
  it('reminds unless the designer says otherwise, and for anything it cannot read', () => {
    for (const raw of [undefined, '', 'remind', 'Remind', 'skip', 'return:window', 'pass:grant']) assert.deepStrictEqual(parseTimeoutAction(raw, ['approve', 'return']), { kind: 'remind' }, String(raw));
  });
  it('passes with the first forward decision of the step, or the one named', () => {
    assert.deepStrictEqual(parseTimeoutAction('pass', ['return', 'approve']), { kind: 'pass', decision: 'approve' });
    assert.deepStrictEqual(parseTimeoutAction(' pass:grant ', ['grant', 'refuse']), { kind: 'pass', decision: 'grant' });
    assert.deepStrictEqual(parseTimeoutAction('pass', []), { kind: 'pass', decision: 'approve' }, 'a step without listed decisions');
    assert.deepStrictEqual(parseTimeoutAction('pass', ['refuse', 'reject']), { kind: 'remind' }, 'nothing forward to pass with');
  });
  it('returns to the previous step', () => {
    assert.deepStrictEqual(parseTimeoutAction('return', ['approve']), { kind: 'return' });
  });
});
