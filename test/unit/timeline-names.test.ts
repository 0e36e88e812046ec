/**
 * Every timeline entry the back office writes has a name in both languages: the web app never shows
 * a raw type such as `clock.unplanned`. The types are collected from the source — each
 * appendEvent(…) and each insert into case_events — so a new one fails here until it is named.
 */
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { zhCN, en } from '../../modeler-ui/src/i18n/messages.ts';

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));

// the values a computed type can take; a template not listed here fails the test below
const TEMPLATES: Record<string, string[]> = {
  'deadline.${level}': ['warning', 'yellow', 'red'].map((l) => `deadline.${l}`),
  'rectification.${s.to}': ['verified', 'answered', 'rectified'].map((s) => `rectification.${s}`),
  'rectification.${to}': ['yellow', 'red'].map((s) => `rectification.${s}`),
  'task.${opPast[o.op]}': ['returned', 'rejected', 'withdrawn', 'transferred', 'delegated', 'resolved'].map((s) => `task.${s}`),
};

function writtenTypes(): { types: Set<string>; unknownTemplates: string[] } {
  const types = new Set<string>();
  const unknownTemplates: string[] = [];
  for (const file of files('backend')) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/appendEvent\(|'case_events'\)\.insert\(|insertRows\([^,]+, 'case_events'/g)) {
      const after = src.slice(m.index, m.index + 800);
      const t = /\btype: (?:'([^']+)'|`([^`]+)`|([\w.]+))/.exec(after);
      if (!t) continue;
      if (t[1]) types.add(t[1]);
      else if (t[2]) {
        const values = TEMPLATES[t[2]];
        if (values) values.forEach((x) => types.add(x));
        else unknownTemplates.push(`${file}: \`${t[2]}\``);
      }
      // `type: e.type` is appendEvent itself passing its argument on
    }
  }
  return { types, unknownTemplates };
}

describe('timeline entry names', () => {
  const { types, unknownTemplates } = writtenTypes();

  it('finds the types the back office writes (positive control)', () => {
    for (const known of ['case.submitted', 'task.completed', 'clock.unplanned', 'case.outcome', 'task.urged', 'deadline.yellow', 'task.returned']) assert.include([...types], known);
    assert.isAbove(types.size, 40);
  });

  it('knows the values of every computed type', () => {
    assert.deepStrictEqual(unknownTemplates, [], 'add the values of these templates to TEMPLATES');
  });

  it('names every type in zh-CN and en', () => {
    const key = (type: string) => type.replace(/\./g, '_');
    const missing = (m: Record<string, Record<string, string>>) => [...types].filter((x) => !m.event?.[key(x)]).sort();
    assert.deepStrictEqual(missing(zhCN), [], 'unnamed in zh-CN');
    assert.deepStrictEqual(missing(en), [], 'unnamed in en');
  });
});
