/** The queue's legs: how the task rules of each kind of user split into index-served queries. */
import { assert } from 'chai';
import { describe, it } from 'mocha';
import type { Identity } from '../../backend/context.ts';
import { abilityFor } from '../../backend/authz/ability.ts';
import { ruleAst } from '../../backend/authz/sql.ts';
import { legsOf } from '../../backend/modules/tasks/queue.ts';

const user = (over: Partial<Identity>): Identity => ({ userId: 'u1', username: 'u1', displayName: 'U', unitCode: 'JN-01-01.WR', regionCode: 'JN-01-01', level: 'county', department: 'WR', roles: [], groups: [], ...over });

/** A leg in words: the group driving it (if any) and the fields its other conditions name. */
function describeLegs(who: Identity, action: 'read' | 'claim') {
  const ast = ruleAst(abilityFor(who), action, 'Task');
  assert.ok(ast, `${action} is allowed`);
  const fields = (n: unknown): string[] => {
    const node = n as { field?: string; value: unknown; operator: string } | null;
    if (!node) return [];
    return node.field ? [`${node.field} ${node.operator}`] : ((node.value as unknown[]) ?? []).flatMap(fields);
  };
  return legsOf(ast).map((l) => ({ group: l.group, where: fields(l.where).sort() }));
}

describe('queue legs', () => {
  it('a clerk: one leg per group, one for tasks assigned to me, one for tasks I completed', () => {
    const clerk = user({ roles: ['reviewer'], groups: ['JN-01-01.WR:reviewer', 'JN-01-01.WR:window'] });
    const legs = describeLegs(clerk, 'read');
    assert.deepStrictEqual(
      legs.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [
        { group: 'JN-01-01.WR:reviewer', where: [] },
        { group: 'JN-01-01.WR:window', where: [] },
        { group: null, where: ['assignee eq'] },
        { group: null, where: ['completedBy eq'] },
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    assert.deepStrictEqual(describeLegs(clerk, 'claim').map((l) => l.group).sort(), ['JN-01-01.WR:reviewer', 'JN-01-01.WR:window']);
  });

  it('a supervisor: one leg over the region; a leader adds the unit’s groups', () => {
    assert.deepStrictEqual(describeLegs(user({ roles: ['supervisor'], unitCode: 'JN-01.SUP', regionCode: 'JN-01', level: 'city' }), 'read'), [{ group: null, where: ['cityCode eq'] }]);
    const leader = describeLegs(user({ roles: ['leader'], groups: ['JN-01-01.WR:leader'] }), 'read');
    assert.deepStrictEqual(
      leader.filter((l) => l.group).map((l) => l.group).sort(),
      ['JN-01-01.WR:head', 'JN-01-01.WR:leader', 'JN-01-01.WR:reviewer', 'JN-01-01.WR:window'],
      'the unit’s four (leader rule), its own group (staff rule) among them only once',
    );
  });
});
