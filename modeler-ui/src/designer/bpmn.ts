/**
 * Everything bpmn-js for the designer, in one lazily loaded module: the modeler with the Camunda
 * Platform 7 properties panel (the engine, Operaton, runs the Camunda 7 dialect), Camunda's own
 * linter (the rules the modeler applies for the engine version the diagram declares) plus
 * licence-desk's rules for what the engine refuses on deploy, version comparison and the live overlay.
 */
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import CamundaPlatformBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import { Linter } from '@camunda/linting';
import lintingModule from '@camunda/linting/modeler';
import { BpmnModdle } from 'bpmn-moddle';
import { diff } from 'bpmn-js-differ';
import { licenceDeskLintPlugin } from './rules.ts';
import { translateModule, translator } from './translate/index.ts';
import { lintMessage } from './translate/lint.ts';
import { timeoutActionModule } from './timeout-action.ts';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import '@camunda/linting/assets/linting.css';

/**
 * The engine this back office runs (Operaton 1.0.3, compatible with Camunda 7.24): new diagrams declare
 * it, and diagrams without a declared platform are linted for it.
 */
export const ENGINE = { platform: 'Camunda Platform', version: '7.24.0' };

export interface LintReport {
  id: string;
  name?: string;
  message: string;
  /** the linter's own (English) wording, kept for the tooltip */
  original?: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
  rule: string;
}

interface Service {
  [k: string]: unknown;
}
type Get = <T = Service>(name: string) => T;

export class Designer {
  readonly modeler: InstanceType<typeof Modeler>;
  private readonly linter = new Linter({ modeler: 'web', type: 'platform', plugins: [licenceDeskLintPlugin] });
  private overlayIds: string[] = [];
  private markers: { id: string; marker: string }[] = [];

  private readonly observer: MutationObserver;

  constructor(
    private readonly canvas: HTMLElement,
    panel: HTMLElement,
    private readonly locale = 'zh-CN',
  ) {
    // @camunda/linting's overlay buttons carry an English title it does not pass through translate
    const say = translator(locale);
    this.observer = new MutationObserver(() => {
      for (const el of canvas.querySelectorAll<HTMLElement>('[title="Click to show issue"]')) el.title = say('Click to show issue');
    });
    this.observer.observe(canvas, { subtree: true, childList: true });
    this.modeler = new Modeler({
      container: canvas,
      propertiesPanel: { parent: panel },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule, CamundaPlatformBehaviorsModule, lintingModule, timeoutActionModule, translateModule(locale)],
      moddleExtensions: { camunda: camundaModdle },
    });
  }

  private get: Get = (name) => this.modeler.get(name) as never;

  async open(xml: string): Promise<string[]> {
    this.clearMarks();
    const { warnings } = await this.modeler.importXML(xml);
    this.fit();
    return (warnings as unknown[]).map((w) => (typeof w === 'string' ? w : String((w as { message?: unknown }).message)));
  }

  /**
   * The whole diagram in view, clear of the palette: bpmn-js' own fit-viewport centres the diagram
   * in the whole canvas, so the palette (top left, over the canvas) covered the start of the
   * process. The diagram is fitted into the area right of the palette, never enlarged beyond 100 %.
   */
  fit(): void {
    const canvas = this.get<{ resized(): void; viewbox(v?: { x: number; y: number; width: number; height: number }): { inner: { x: number; y: number; width: number; height: number } }; zoom(v: string): void }>('canvas');
    canvas.resized();
    const box = this.canvas.getBoundingClientRect();
    const inner = canvas.viewbox().inner;
    if (box.width === 0 || box.height === 0 || inner.width === 0 || inner.height === 0) {
      canvas.zoom('fit-viewport');
      return;
    }
    const palette = this.canvas.querySelector('.djs-palette')?.getBoundingClientRect();
    const pad = 24;
    const left = (palette && palette.width > 0 ? palette.right - box.left : 0) + pad;
    const scale = Math.min((box.width - left - pad) / inner.width, (box.height - 2 * pad) / inner.height, 1);
    const width = box.width / scale;
    const height = box.height / scale;
    // the diagram starts right of the palette and is centred vertically
    canvas.viewbox({ x: inner.x - left / scale, y: inner.y - (height - inner.height) / 2, width, height });
  }

  async xml(): Promise<string> {
    const { xml } = await this.modeler.saveXML({ format: true });
    return xml ?? '';
  }

  /** The executable process's id and name (what a deployment is known by). */
  processInfo(): { id: string; name: string } | null {
    const defs = this.modeler.getDefinitions() as { rootElements?: { $type: string; id: string; name?: string }[] } | undefined;
    const p = defs?.rootElements?.find((e) => e.$type === 'bpmn:Process');
    return p ? { id: p.id, name: p.name ?? p.id } : null;
  }

  async lint(): Promise<LintReport[]> {
    const defs = this.modeler.getDefinitions() as { id: string; get(k: string): unknown; set(k: string, v: unknown): void };
    // a diagram drawn elsewhere may not say which engine it targets; ours is fixed
    if (!defs.get('modeler:executionPlatform')) {
      defs.set('modeler:executionPlatform', ENGINE.platform);
      defs.set('modeler:executionPlatformVersion', ENGINE.version);
    }
    const platform = String(defs.get('modeler:executionPlatform'));
    // a diagram for another engine (e.g. one from before the move to Operaton) would be linted by that engine's rules
    const reports: LintReport[] =
      platform === ENGINE.platform
        ? ((await this.linter.lint(defs)) as LintReport[])
        : [{ id: defs.id, category: 'error', rule: 'licence-desk/execution-platform', message: `Drawn for ${platform} ${String(defs.get('modeler:executionPlatformVersion') ?? '')}: this engine runs ${ENGINE.platform} ${ENGINE.version} (the Camunda 7 dialect)` }];
    const worded = reports.map((r) => ({ ...r, original: r.message, message: lintMessage(r.message, this.locale) }));
    const linting = this.get<{ setErrors(r: unknown[]): void; activate(): void; showError(r: unknown): void }>('linting');
    linting.setErrors(worded);
    linting.activate();
    return worded;
  }

  /**
   * The engine's own refusals of a deployment ({path: elementId, message}), shown like lint
   * problems: listed, and marked on the elements they name.
   */
  showEngineProblems(details: Array<{ path?: string; message: string }>): LintReport[] {
    const defs = this.modeler.getDefinitions() as { id: string };
    const registry = this.get<{ get(id: string): unknown }>('elementRegistry');
    const reports: LintReport[] = details.map((d) => ({ id: d.path && registry.get(d.path) ? d.path : defs.id, category: 'error', rule: 'engine', message: d.message }));
    const linting = this.get<{ setErrors(r: unknown[]): void; activate(): void }>('linting');
    linting.setErrors(reports);
    linting.activate();
    return reports;
  }

  showProblem(report: LintReport): void {
    this.get<{ showError(r: unknown): void }>('linting').showError(report);
  }

  clearMarks(): void {
    const canvas = this.get<{ removeMarker(id: string, m: string): void }>('canvas');
    for (const m of this.markers.splice(0)) canvas.removeMarker(m.id, m.marker);
    const overlays = this.get<{ remove(id: string): void }>('overlays');
    for (const id of this.overlayIds.splice(0)) overlays.remove(id);
  }

  mark(id: string, marker: string): void {
    if (!this.get<{ get(id: string): unknown }>('elementRegistry').get(id)) return;
    this.get<{ addMarker(id: string, m: string): void }>('canvas').addMarker(id, marker);
    this.markers.push({ id, marker });
  }

  /** Counts per step as small badges on the shapes: open, warned, yellow, red. */
  showCounts(elements: { elementId: string; open: number; warning: number; yellow: number; red: number }[], title: (e: { open: number; warning: number; yellow: number; red: number }) => string): void {
    const overlays = this.get<{ add(id: string, type: string, o: unknown): string; remove(id: string): void }>('overlays');
    for (const id of this.overlayIds.splice(0)) overlays.remove(id);
    const registry = this.get<{ get(id: string): unknown }>('elementRegistry');
    for (const e of elements) {
      if (!registry.get(e.elementId) || e.open === 0) continue;
      const html = document.createElement('div');
      html.className = 'ld-overlay';
      html.dataset.testid = `overlay-${e.elementId}`;
      html.title = title(e);
      html.setAttribute('aria-label', title(e));
      const badge = (cls: string, n: number) => {
        if (n === 0 && cls !== '') return;
        const s = document.createElement('span');
        s.className = cls;
        s.textContent = String(n);
        html.append(s);
      };
      badge('', e.open);
      badge('w', e.warning);
      badge('y', e.yellow);
      badge('r', e.red);
      this.overlayIds.push(overlays.add(e.elementId, 'ld-counts', { position: { top: -14, right: 10 }, html }));
    }
  }

  destroy(): void {
    this.observer.disconnect();
    this.modeler.destroy();
  }
}

export interface Changes {
  added: string[];
  removed: string[];
  changed: string[];
  layout: string[];
  names: Record<string, string>;
}

/** What changed from one BPMN to another, element by element (bpmn-js-differ). */
export async function compare(oldXml: string, newXml: string): Promise<Changes> {
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  const [a, b] = await Promise.all([moddle.fromXML(oldXml), moddle.fromXML(newXml)]);
  const d = diff(a.rootElement, b.rootElement) as Record<'_added' | '_removed' | '_changed' | '_layoutChanged', Record<string, { id: string; name?: string; model?: { name?: string } }>>;
  const names: Record<string, string> = {};
  for (const group of [d._added, d._removed, d._changed, d._layoutChanged]) {
    for (const [id, el] of Object.entries(group)) names[id] = el.name ?? el.model?.name ?? id;
  }
  return { added: Object.keys(d._added), removed: Object.keys(d._removed), changed: Object.keys(d._changed), layout: Object.keys(d._layoutChanged), names };
}
