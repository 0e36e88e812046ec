/**
 * Reads what the back office needs from a BPMN file: executable process ids, user-task names and
 * their step settings (allowed decisions, step limit, countersign rule), through the engine's
 * dialect. Parsing with bpmn-moddle catches malformed files before they reach the engine, with a
 * reason a designer can act on.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { AppError } from '../errors.ts';
import { dialect } from './index.ts';
import { checkFormSchema } from '../modules/forms/form-js.ts';

export interface UserTaskModel {
  id: string;
  name: string;
  decisions: string[];
  stepLimitDays: number | null;
  /** every step setting as written (decisions, stepLimitDays, signRule, …) */
  settings: Record<string, string>;
  /** candidate groups, users and assignee as written */
  assignment: { candidateGroups: string[]; candidateUsers: string[]; assignee: string | null };
  /** a countersign (multi-instance) step: the variable naming each signer; null for a plain step */
  signers: { elementVariable: string | null; sequential: boolean } | null;
}

export interface ProcessModel {
  id: string;
  name: string;
  userTasks: Map<string, UserTaskModel>;
  /** element id → name, for the timeline */
  elementNames: Map<string, string>;
}

interface ModdleElement {
  $type: string;
  id: string;
  name?: string;
  isExecutable?: boolean;
  flowElements?: ModdleElement[];
}

const moddle = new BpmnModdle(dialect.moddleExtensions as ConstructorParameters<typeof BpmnModdle>[0]);

export const parseDecisions = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);

function walk(elements: ModdleElement[] | undefined, visit: (el: ModdleElement) => void): void {
  for (const el of elements ?? []) {
    visit(el);
    walk(el.flowElements, visit); // sub-processes
  }
}

export async function parseBpmn(xml: string): Promise<ProcessModel[]> {
  let root: { rootElements?: ModdleElement[] };
  let warnings: Array<{ message: string }>;
  try {
    const parsed = await moddle.fromXML(xml);
    root = parsed.rootElement as unknown as { rootElements?: ModdleElement[] };
    warnings = parsed.warnings as Array<{ message: string }>;
  } catch (err) {
    throw new AppError('INVALID_BPMN', `not a readable BPMN file: ${firstLine((err as Error).message)}`);
  }
  if (warnings.length > 0) {
    throw new AppError('INVALID_BPMN', 'the BPMN file has unreadable parts', warnings.slice(0, 20).map((w) => ({ message: firstLine(w.message) })));
  }
  const processes = (root.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process' && e.isExecutable);
  if (processes.length === 0) throw new AppError('INVALID_BPMN', 'the file holds no executable process (isExecutable="true")');
  return processes.map((p) => {
    const userTasks = new Map<string, UserTaskModel>();
    const elementNames = new Map<string, string>();
    walk(p.flowElements, (el) => {
      if (el.name) elementNames.set(el.id, el.name);
      if (el.$type !== 'bpmn:UserTask') return;
      const settings = dialect.stepSettings(el);
      if (settings.approvalForm?.trim()) checkApprovalForm(el.id, settings.approvalForm);
      const limit = Number(settings.stepLimitDays);
      userTasks.set(el.id, {
        id: el.id,
        name: el.name ?? el.id,
        decisions: parseDecisions(settings.decisions),
        stepLimitDays: Number.isInteger(limit) && limit > 0 ? limit : null,
        settings,
        assignment: dialect.assignment(el),
        signers: dialect.signers(el),
      });
    });
    return { id: p.id, name: p.name ?? p.id, userTasks, elementNames };
  });
}

/**
 * The processes a possibly unfinished file declares, for drafts: the XML must be readable BPMN
 * (a bpmn:Definitions root), nothing more — dangling references, missing conditions or a process not
 * yet marked executable are what a draft is allowed to have; the designer's linter reports them.
 */
export async function declaredProcesses(xml: string): Promise<Array<{ id: string; name: string | null; isExecutable: boolean }>> {
  let root: { $type?: string; rootElements?: ModdleElement[] };
  try {
    root = (await moddle.fromXML(xml)).rootElement as unknown as typeof root;
  } catch (err) {
    throw new AppError('INVALID_BPMN', `not a readable BPMN file: ${firstLine((err as Error).message)}`);
  }
  return (root.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process').map((p) => ({ id: p.id, name: p.name ?? null, isExecutable: Boolean(p.isExecutable) }));
}

/** A step's approval form (step setting approvalForm: a form-js schema as JSON) the server can check, or the deploy is refused. */
function checkApprovalForm(elementId: string, raw: string): void {
  let schema: unknown;
  try {
    schema = JSON.parse(raw);
  } catch {
    throw new AppError('INVALID_BPMN', `${elementId}: the step setting approvalForm is not JSON (a form-js schema)`, [{ path: elementId, message: 'approvalForm: a form-js schema as JSON' }]);
  }
  const problems = checkFormSchema(schema, `${elementId}.approvalForm`);
  if (problems.length > 0) throw new AppError('INVALID_BPMN', `${elementId}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
}

const firstLine = (s: string) => s.split('\n')[0] ?? s;
