/**
 * The designer's lint messages in Chinese: every message the rules we run can report — bpmnlint's
 * correctness set, camunda-compat's Camunda 7.24 set, @camunda/linting's rewording, and
 * licence-desk's own rules — is rendered by designer/translate/lint.ts without English left in it.
 * bpmnlint's messages are read from the rule sources, ours by running the rules on sample elements.
 */
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { readFileSync } from 'node:fs';
import { lintMessage } from '../../modeler-ui/src/designer/translate/lint.ts';
import { licenceDeskLintPlugin } from '../../modeler-ui/src/designer/rules.ts';

// Latin words a Chinese lint message may keep: product and format names
const ALLOWED = /^(Java|DMN|Camunda|Platform|Cloud|Operaton|\d[\d.]*)$/;
const english = (s: string) => [...s.matchAll(/[A-Za-z][A-Za-z0-9]*/g)].map((m) => m[0]).filter((w) => !ALLOWED.test(w));

/** The messages a bpmnlint rule file reports: string literals, templates with each ${…} filled in. */
function messagesOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/reporter\.report\([^,]+,\s*(?:'([^']+)'|`([^`]+)`|(\w+) \+ '([^']+)')/g)) {
    if (m[1]) out.push(m[1]);
    else if (m[2]) {
      // a ternary yields both words; any other expression a sample name
      const variants = (t: string): string[] => {
        const e = /\$\{\s*([^}]*?)\s*\}/.exec(t);
        if (!e) return [t];
        const tern = /\?\s*'([^']*)'\s*:\s*'([^']*)'/.exec(e[1] as string);
        const fills = tern ? [tern[1] as string, tern[2] as string] : ['审批'];
        return fills.flatMap((f) => variants(t.replace(e[0], f)));
      };
      out.push(...variants(m[2]));
    } else if (m[4]) out.push(`Process${m[4]}`, `Sub process${m[4]}`);
  }
  return out;
}

const RULE_FILES = [
  ...['ad-hoc-sub-process', 'conditional-event', 'event-based-gateway', 'event-sub-process-typed-start-event', 'link-event', 'no-duplicate-sequence-flows', 'sub-process-blank-start-event', 'single-blank-start-event'].map((r) => `node_modules/bpmnlint/rules/${r}.js`),
  'node_modules/bpmnlint-plugin-camunda-compat/rules/camunda-platform/history-time-to-live.js',
];

/** Our rules run on sample elements of every shape they report on. */
function ourMessages(): string[] {
  const out: string[] = [];
  const reporter = { report: (_id: string, message: string) => void out.push(message) };
  const el = ($type: string, attrs: Record<string, unknown>, connector = false) => ({
    $type,
    id: 'x',
    get: (n: string) => (n === 'extensionElements' ? (connector ? { get: () => [{ $type: 'camunda:Connector' }] } : undefined) : attrs[n]),
  });
  const implementation = licenceDeskLintPlugin.resolver.resolveRule('bpmnlint-plugin-licence-desk', 'implementation')();
  const script = licenceDeskLintPlugin.resolver.resolveRule('bpmnlint-plugin-licence-desk', 'script')();
  for (const type of ['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']) {
    for (const attrs of [{}, { 'camunda:type': 'external', 'camunda:topic': '' }, { 'camunda:decisionRef': '' }, { 'camunda:class': '' }, { 'camunda:expression': ' ' }, { 'camunda:delegateExpression': '' }]) implementation.check(el(type, attrs), reporter);
    implementation.check(el(type, {}, true), reporter);
  }
  script.check(el('bpmn:ScriptTask', {}), reporter);
  script.check(el('bpmn:ScriptTask', { scriptFormat: 'groovy' }), reporter);
  return out;
}

// @camunda/linting rewords reports that carry data into these shapes (utils/error-messages.js)
const REWORDED = ['A <Sequence Flow> must have a defined <Condition expression> or be the default <Sequence Flow>', 'A <Timer Start Event> must have a defined <Timer type>', 'A <Process> must have a defined <History time to live>', 'A <Link Intermediate Catch Event> must have a defined <Name>'];

describe('designer lint messages in Chinese', () => {
  const all = [...RULE_FILES.flatMap(messagesOf), ...ourMessages(), ...REWORDED, 'Drawn for Camunda Cloud 8.6: this engine runs Camunda Platform 7.24.0 (the Camunda 7 dialect)'];

  it('collects the messages (positive control)', () => {
    assert.include(all, 'Start event must be blank');
    assert.include(all, 'A <Service Task> must have a defined <Implementation>');
    assert.include(all, 'A <Script Task> must have a defined <Format>');
    assert.isAbove(new Set(all).size, 25);
    assert.deepStrictEqual(english('服务任务必须填写 Implementation'), ['Implementation'], 'the English detector finds English');
  });

  it('renders every one of them in Chinese, with nothing left in English', () => {
    const bad = [...new Set(all)].map((m) => [m, lintMessage(m, 'zh-CN')] as const).filter(([, zh]) => english(zh).length > 0 || zh.startsWith('流程图在此处有问题'));
    assert.deepStrictEqual(bad, []);
  });

  it('leaves English as it is for the English UI', () => {
    assert.strictEqual(lintMessage('Start event must be blank', 'en'), 'Start event must be blank');
  });
});
