/**
 * 超时自动处理 in the properties panel: a user task's step setting `timeoutAction` (what the back
 * office does when the step's clock passes its limit) as a choice of its own, instead of a free
 * name/value pair among the extension properties — written to the same `camunda:Properties` entry
 * the back office reads (engine dialect), so both views show one setting. `remind` is the default
 * and is written as no property at all.
 */
import { h } from '@bpmn-io/properties-panel/preact';
import { Group, isSelectEntryEdited, SelectEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';

interface Moddle {
  $type: string;
  name?: string;
  value?: string;
  values?: Moddle[];
  extensionElements?: Moddle;
  get(name: string): unknown;
}
interface Element {
  id: string;
  businessObject: Moddle;
}
type Translate = (s: string, r?: Record<string, string>) => string;
interface Command {
  cmd: string;
  context: Record<string, unknown>;
}

const NAME = 'timeoutAction';

function propertiesOf(bo: Moddle): Moddle | undefined {
  return bo.extensionElements?.values?.find((v) => v.$type === 'camunda:Properties');
}
const settingOf = (bo: Moddle) => propertiesOf(bo)?.values?.find((p) => p.name === NAME);
const decisionsOf = (bo: Moddle) => (propertiesOf(bo)?.values?.find((p) => p.name === 'decisions')?.value ?? '').split(',').map((d) => d.trim()).filter(Boolean);

/** The commands that make the setting `value` (one undo step through the multi-command executor). */
function commandsFor(element: Element, value: string, bpmnFactory: { create(type: string, attrs?: object): Moddle }): Command[] {
  const bo = element.businessObject;
  const update = (moddleElement: Moddle, properties: object): Command => ({ cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } });
  const existing = settingOf(bo);
  if (value === 'remind' || value === '') {
    const props = propertiesOf(bo);
    return existing && props ? [update(props, { values: (props.values ?? []).filter((p) => p !== existing) })] : [];
  }
  if (existing) return [update(existing, { value })];
  const commands: Command[] = [];
  let ext = bo.extensionElements;
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    commands.push(update(bo, { extensionElements: ext }));
  }
  let props = propertiesOf(bo);
  if (!props) {
    props = bpmnFactory.create('camunda:Properties', { values: [] });
    commands.push(update(ext, { values: [...(ext.values ?? []), props] }));
  }
  const property = bpmnFactory.create('camunda:Property', { name: NAME, value });
  commands.push(update(props, { values: [...(props.values ?? []), property] }));
  return commands;
}

function TimeoutActionEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const translate = useService('translate') as Translate;
  const commandStack = useService('commandStack') as { execute(cmd: string, context: unknown): void };
  const bpmnFactory = useService('bpmnFactory') as { create(type: string, attrs?: object): Moddle };
  const getValue = () => settingOf(element.businessObject)?.value ?? 'remind';
  const setValue = (value: string) => {
    const commands = commandsFor(element, value, bpmnFactory);
    if (commands.length > 0) commandStack.execute('properties-panel.multi-command-executor', commands);
  };
  const getOptions = () => {
    const current = getValue();
    const options = [
      { value: 'remind', label: translate('Remind only (default)') },
      { value: 'pass', label: translate('Pass automatically') },
      ...decisionsOf(element.businessObject).map((d) => ({ value: `pass:${d}`, label: translate('Pass automatically with {decision}', { decision: d }) })),
      { value: 'return', label: translate('Return to the previous step automatically') },
    ];
    // a value written by hand that none of these is stays visible, so the lint's report can be found
    return options.some((o) => o.value === current) ? options : [...options, { value: current, label: current }];
  };
  return h(SelectEntry, { id, element, label: translate('When the step limit passes'), getValue, setValue, getOptions });
}

class TimeoutActionProvider {
  static $inject = ['propertiesPanel', 'translate'];
  constructor(propertiesPanel: { registerProvider(priority: number, provider: unknown): void }, private readonly translate: Translate) {
    propertiesPanel.registerProvider(400, this);
  }
  getGroups(element: Element & { type?: string }) {
    return (groups: Array<{ id: string }>) => {
      if (element.businessObject?.$type !== 'bpmn:UserTask') return groups;
      const group = { id: 'licence-desk-timeout', label: this.translate('Timeout action'), component: Group, entries: [{ id: NAME, element, component: TimeoutActionEntry, isEdited: isSelectEntryEdited }] };
      // beside the assignment, before the generic lists
      const at = groups.findIndex((g) => g.id === 'CamundaPlatform__UserAssignment');
      groups.splice(at >= 0 ? at + 1 : groups.length, 0, group);
      return groups;
    };
  }
}

export const timeoutActionModule = { __init__: ['licenceDeskTimeoutAction'], licenceDeskTimeoutAction: ['type', TimeoutActionProvider] };
