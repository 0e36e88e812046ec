import { assert } from 'chai';
import { describe, it } from 'mocha';
import { toEvent } from '../../backend/engine/operaton/feed.ts';
import { toOperaton } from '../../backend/engine/operaton/variables.ts';

const row = (type: string, extra: Record<string, unknown> = {}) => ({ seq: '7', type, eventId: 'e-1', at: 1_700_000_000_000, instanceId: 'pi-1', definitionId: 'p:1:x', businessKey: 'case-1', ...extra });

describe('Operaton feed rows → port events', () => {
  it('translates each kind, keeping ids opaque', () => {
    assert.deepStrictEqual(toEvent(row('task.created', { taskId: 't-1', elementId: 'county_review', name: '县级初审', candidateGroups: ['JN-01-01.WR:reviewer'], candidateUsers: [], assignee: null, due: null })), {
      eventId: 'e-1', at: 1_700_000_000_000, instanceId: 'pi-1', businessKey: 'case-1', definitionId: 'p:1:x',
      type: 'task.created', taskId: 't-1', elementId: 'county_review', name: '县级初审', candidateGroups: ['JN-01-01.WR:reviewer'], candidateUsers: [], assignee: null, dueAt: null,
    });
    assert.strictEqual(toEvent(row('task.deleted', { taskId: 't-1', reason: 'deleted' }))?.type, 'task.canceled');
    assert.strictEqual((toEvent(row('task.deleted', { taskId: 't-1', reason: 'Cancellation due to process instance modification' })) as { reason: string }).reason, 'modification');
    assert.deepStrictEqual<unknown>(toEvent(row('task.completed', { taskId: 't-1', decision: 'approve', opinion: 7 })), { ...toEvent(row('task.completed', { taskId: 't-1', decision: 'approve' })), opinion: null }, 'a non-string opinion is no opinion');
    assert.strictEqual((toEvent(row('instance.ended', { canceled: true })) as { outcome: string }).outcome, 'canceled');
    assert.strictEqual((toEvent(row('instance.ended', { canceled: false })) as { outcome: string }).outcome, 'completed');
    assert.strictEqual(toEvent(row('activity.started', { elementId: 'await_supplements' }))?.type, 'wait.started');
    assert.strictEqual(toEvent(row('activity.ended', { elementId: 'await_supplements' }))?.type, 'wait.ended');
    assert.deepStrictEqual(toEvent(row('activity.reached', { elementId: 'end_granted', topLevel: true })), { eventId: 'e-1', at: 1_700_000_000_000, instanceId: 'pi-1', businessKey: 'case-1', definitionId: 'p:1:x', type: 'end.reached', elementId: 'end_granted', topLevel: true });
    assert.strictEqual(toEvent(row('incident.created', { elementId: 'x', message: 'boom' }))?.type, 'incident');
  });

  it('takes the business key from the caseId variable when the instance has none, and drops what it does not know', () => {
    assert.strictEqual(toEvent(row('instance.started', { businessKey: null, caseId: 'case-9' }))?.businessKey, 'case-9');
    assert.strictEqual(toEvent(row('something.new')), null);
    assert.strictEqual(toEvent({ seq: '9', type: 'unreadable' }), null);
  });

  it('sends only typed primitives, a list as one comma-separated string', () => {
    assert.deepStrictEqual(toOperaton({ a: 'x', n: 3, big: 2 ** 40, f: 1.5, b: false, none: null, list: ['JN-01.NR', 'JN-01.EE'] }), {
      a: { value: 'x', type: 'String' },
      n: { value: 3, type: 'Integer' },
      big: { value: 2 ** 40, type: 'Long' },
      f: { value: 1.5, type: 'Double' },
      b: { value: false, type: 'Boolean' },
      none: { value: null, type: 'Null' },
      list: { value: 'JN-01.NR,JN-01.EE', type: 'String' },
    });
  });
});
