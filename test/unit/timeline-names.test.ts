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
import { ROLES } from '../../backend/modules/identity/roles.ts';

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

/** The audit actions the back office writes: appendAudit(…, { action: '…' }) and its computed forms. */
function auditActions(): { actions: Set<string>; unknown: string[] } {
  const actions = new Set<string>();
  const unknown: string[] = [];
  const COMPUTED: Record<string, string[]> = {
    '`task.${opAudit[o.op] ?? o.op}`': ['return', 'reject', 'withdraw', 'transfer', 'delegate', 'resolve', 'timeout_pass', 'timeout_return', 'add_signer', 'remove_signer', 'sign'].map((o) => `task.${o}`),
    "active ? 'user.enabled' : 'user.disabled'": ['user.enabled', 'user.disabled'],
    '`rectification.${s.to}`': ['verified', 'answered', 'rectified'].map((s) => `rectification.${s}`),
  };
  for (const file of files('backend')) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/appendAudit\(/g)) {
      const a = /\baction: ('([^']+)'|`[^`]+`|active \? 'user\.enabled' : 'user\.disabled'|[\w.]+)/.exec(src.slice(m.index, m.index + 600));
      if (!a) continue;
      if (a[2]) actions.add(a[2]);
      else if (a[1] && COMPUTED[a[1]]) COMPUTED[a[1]]?.forEach((x) => actions.add(x));
      else if (a[1] !== 'e.action') unknown.push(`${file}: ${a[1]}`);
    }
  }
  return { actions, unknown };
}

describe('audit action names', () => {
  const { actions, unknown } = auditActions();
  it('names every audit action the back office writes, in both languages', () => {
    for (const known of ['login', 'task.decided', 'personal-data.read', 'task.return', 'user.disabled']) assert.include([...actions], known);
    assert.deepStrictEqual(unknown, [], 'computed actions this test does not know');
    const key = (a: string) => a.replace(/\./g, '_');
    for (const [name, m] of [['zh-CN', zhCN], ['en', en]] as const) assert.deepStrictEqual([...actions].filter((a) => !m.auditAction?.[key(a)]).sort(), [], `unnamed in ${name}`);
  });
});

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

describe('role names', () => {
  it('names every role an account can hold, and every role group of a candidate group, in both languages', () => {
    for (const m of [zhCN, en]) {
      assert.deepStrictEqual(ROLES.filter((r) => !m.admin?.[`role_${r}`]), [], 'a role without a name');
      assert.deepStrictEqual(['window', 'reviewer', 'head', 'leader'].filter((g) => !m.names?.[`role_${g}`]), [], 'a role group without a name');
    }
  });
});
