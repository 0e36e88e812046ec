/**
 * licence-desk's BPMN dialect on Operaton: Camunda 7 extensions (`camunda:` namespace, which
 * Operaton reads as its own), step settings as `camunda:properties` on a user task, the platform
 * the designer lints for.
 */
import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import type { EngineDialect } from '../port.ts';

interface PropertiesElement {
  $type: string;
  values?: Array<{ $type: string; name?: string; value?: string }>;
}

export const operatonDialect: EngineDialect = {
  platform: { executionPlatform: 'Camunda Platform', executionPlatformVersion: '7.24.0' },
  moddleExtensions: { camunda: camundaSchema },
  stepSettings(element) {
    const el = element as { extensionElements?: { values?: PropertiesElement[] } };
    const settings: Record<string, string> = {};
    for (const ext of el.extensionElements?.values ?? []) {
      if (ext.$type !== 'camunda:Properties') continue;
      for (const p of ext.values ?? []) if (p.name) settings[p.name] = p.value ?? '';
    }
    return settings;
  },
  assignment(element) {
    const el = element as { candidateGroups?: string; candidateUsers?: string; assignee?: string };
    const list = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    return { candidateGroups: list(el.candidateGroups), candidateUsers: list(el.candidateUsers), assignee: el.assignee?.trim() || null };
  },
  signers(element) {
    const mi = (element as { loopCharacteristics?: { $type: string; isSequential?: boolean; elementVariable?: string } }).loopCharacteristics;
    if (mi?.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return null;
    return { elementVariable: mi.elementVariable?.trim() || null, sequential: Boolean(mi.isSequential) };
  },
};
