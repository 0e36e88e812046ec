/**
 * licence-desk's own lint rules for the Camunda 7 dialect: what the engine (Operaton) refuses on
 * deploy but Camunda's linter does not check for Camunda Platform 7 (it has only history-time-to-live
 * there). Messages follow @camunda/linting's style; each report names the properties-panel entry that
 * fixes it, so "show the problem" leads to that field.
 */

interface ModdleElement {
  $type: string;
  id: string;
  get(name: string): unknown;
}
interface Reporter {
  report(id: string, message: string, data?: object): void;
}

/** the elements the engine runs through a delegate, with the name the modeler gives them */
const DELEGATED: Record<string, string> = {
  'bpmn:ServiceTask': 'Service Task',
  'bpmn:SendTask': 'Send Task',
  'bpmn:BusinessRuleTask': 'Business Rule Task',
};

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

function hasConnector(node: ModdleElement): boolean {
  const ext = node.get('extensionElements') as { get(n: string): { $type: string }[] } | undefined;
  return !!ext?.get('values')?.some((v) => v.$type === 'camunda:Connector');
}

/**
 * A service, send or business rule task needs an implementation: a Java class, an expression, a
 * delegate expression, an external-task topic (or, for a business rule task, a DMN decision).
 */
function implementation() {
  function check(node: ModdleElement, reporter: Reporter) {
    const label = DELEGATED[node.$type];
    if (!label) return;
    const report = (message: string, entryId: string) => reporter.report(node.id, message, { propertiesPanel: { entryIds: [entryId] } });
    if (node.get('camunda:type') === 'external') {
      if (blank(node.get('camunda:topic'))) report(`A <${label}> with <Implementation: External> must have a defined <Topic>`, 'externalTopic');
      return;
    }
    // the properties panel's own order of precedence (getImplementationType)
    const fields: [string, string, string][] = [
      ['camunda:decisionRef', 'decisionRef', 'DMN'],
      ['camunda:class', 'javaClass', 'Java class'],
      ['camunda:expression', 'expression', 'Expression'],
      ['camunda:delegateExpression', 'delegateExpression', 'Delegate expression'],
    ];
    for (const [attr, entryId, kind] of fields) {
      if (attr === 'camunda:decisionRef' && node.$type !== 'bpmn:BusinessRuleTask') continue;
      const value = node.get(attr);
      if (value === undefined) continue;
      if (blank(value)) report(`A <${label}> with <Implementation: ${kind}> must have a defined <${kind === 'DMN' ? 'Decision reference' : kind}>`, entryId);
      return;
    }
    if (hasConnector(node)) {
      report(`A <${label}> must not use a <Connector>: the engine has no connectors, use <External> instead`, 'implementationType');
      return;
    }
    report(`A <${label}> must have a defined <Implementation>`, 'implementationType');
  }
  return { check };
}

/** A script task needs a script format and a script (inline or as a resource). */
function script() {
  function check(node: ModdleElement, reporter: Reporter) {
    if (node.$type !== 'bpmn:ScriptTask') return;
    const report = (message: string, entryId: string) => reporter.report(node.id, message, { propertiesPanel: { entryIds: [entryId] } });
    if (blank(node.get('scriptFormat'))) report('A <Script Task> must have a defined <Format>', 'scriptFormat');
    else if (blank(node.get('script')) && blank(node.get('camunda:resource'))) report('A <Script Task> must have a defined <Script>', 'scriptType');
  }
  return { check };
}

/**
 * 超时自动处理: a user task's step setting `timeoutAction` is what the back office does when the
 * step's clock passes its limit — `remind` (the default), `pass` (the step's first forward
 * decision), `pass:<decision>` (one of the step's `decisions`) or `return` (to the previous step).
 * Anything else would silently remind only; the report points at the property's value field.
 */
function timeoutAction() {
  function check(node: ModdleElement, reporter: Reporter) {
    if (node.$type !== 'bpmn:UserTask') return;
    const ext = node.get('extensionElements') as { get(n: string): Array<{ $type: string; get(n: string): unknown }> } | undefined;
    const props = ext?.get('values')?.find((v) => v.$type === 'camunda:Properties');
    const list = (props?.get('values') as Array<{ name?: string; value?: string }> | undefined) ?? [];
    const index = list.findIndex((p) => p.name === 'timeoutAction');
    if (index < 0) return;
    const value = (list[index]!.value ?? '').trim();
    const decisions = (list.find((p) => p.name === 'decisions')?.value ?? '').split(',').map((d) => d.trim()).filter(Boolean);
    const m = /^(remind|pass|return)(?::([\w-]+))?$/.exec(value);
    const entry = { propertiesPanel: { entryIds: [`${node.id}-extensionProperty-${index}-value`] } };
    if (!m || (m[2] && m[1] !== 'pass')) reporter.report(node.id, `A <User Task> property <timeoutAction> must be remind, pass, pass:<decision> or return, not "${value}"`, entry);
    else if (m[2] && decisions.length > 0 && !decisions.includes(m[2])) reporter.report(node.id, `A <User Task> property <timeoutAction> passes with "${m[2]}", which is not one of its <decisions> (${decisions.join(', ')})`, entry);
  }
  return { check };
}

const RULES: Record<string, () => { check(node: ModdleElement, reporter: Reporter): void }> = { implementation, script, timeoutAction };

/** A plugin for @camunda/linting's Linter: its config and a resolver for its rules. */
export const licenceDeskLintPlugin = {
  config: { rules: Object.fromEntries(Object.keys(RULES).map((name) => [`licence-desk/${name}`, 'error'])) },
  resolver: {
    resolveRule(pkg: string, name: string) {
      const rule = pkg === 'bpmnlint-plugin-licence-desk' ? RULES[name] : undefined;
      if (!rule) throw new Error(`unknown rule <${pkg}/${name}>`);
      return rule;
    },
    resolveConfig(pkg: string, name: string): never {
      throw new Error(`unknown config <${pkg}/${name}>`);
    },
  },
};
