/**
 * The engine port: everything licence-desk asks of a process engine and hears back from it, in its
 * own words. Three faces:
 *   - commands: what we ask the engine to do;
 *   - the feed: engine-neutral events of what it did, with opaque string ids and an opaque cursor,
 *     delivered at least once (each event carries a unique `eventId` so it is applied once);
 *   - the dialect: the BPMN extensions the designer writes and the back office reads.
 * Nothing outside engine/ sees an engine's record shapes, id formats or REST paths. One
 * implementation today, engine/operaton/; another engine is another folder behind this interface
 * that passes test/integration/engine-contract.test.ts.
 */

export type EngineFailure = 'unavailable' | 'not_found' | 'rejected' | 'conflict';

/**
 * Failures classified once: `unavailable` (the engine could not be reached or did not answer in
 * time — the caller may retry), `not_found` (the id is gone: completed, cancelled or never existed),
 * `rejected` (the engine refused the command as invalid — broken BPMN, a message nobody waits for),
 * `conflict` (a concurrent change won; retrying later may succeed).
 */
export class EngineError extends Error {
  override name = 'EngineError';
  constructor(
    readonly kind: EngineFailure,
    message: string,
    /** per-element reasons of a rejected deployment */
    readonly details: Array<{ elementId?: string; message: string; line?: number }> = [],
  ) {
    super(message);
  }
}

export type VariableValue = string | number | boolean | null | string[];
export type Variables = Record<string, VariableValue>;

export interface DeployedProcess {
  /** the BPMN process id */
  processId: string;
  version: number;
  /** the engine's id of this deployed version (opaque) */
  definitionId: string;
  resourceName: string;
}

export interface StartedInstance {
  instanceId: string;
  definitionId: string;
  version: number;
}

export interface OpenTask {
  taskId: string;
  instanceId: string;
  elementId: string;
  assignee: string | null;
}

export interface EngineCommands {
  /** Idempotent: an unchanged resource yields the version already deployed. */
  deploy(resourceName: string, xml: string): Promise<DeployedProcess[]>;
  definitionXml(definitionId: string): Promise<string>;
  /** `definitionId` picks a deployed version; else `version`, else the latest of `processId`. */
  start(args: { processId: string; definitionId?: string | null; version?: number | null; businessKey: string; variables: Variables }): Promise<StartedInstance>;
  /** The running instances of a business key (the case starter heals a crash with it). */
  instancesOf(businessKey: string): Promise<Array<{ instanceId: string; definitionId: string }>>;
  terminate(instanceId: string, reason: string): Promise<void>;
  suspend(instanceId: string): Promise<void>;
  resume(instanceId: string): Promise<void>;
  /**
   * Cancel the tokens at `from` (all of them: every signer of a countersign) and start one before
   * `to` — 退回 / 撤回 / jumps. `toCountersign`: `to` is a multi-instance step, started again whole
   * (every signer, from its collection), not as one bare instance.
   */
  moveToken(instanceId: string, move: { from: string; to: string; toCountersign?: boolean; variables?: Variables }): Promise<void>;
  assign(taskId: string, assignee: string | null): Promise<void>;
  /**
   * 加签 on a countersign: one more instance of the multi-instance step `taskId` belongs to, in the
   * same multi-instance body (the body counts one signer more), with `local` as that instance's own
   * variables (its element variable, so its assignment resolves to the new signer).
   */
  addInstance(taskId: string, local: Variables): Promise<void>;
  /** 减签: cancel the one step instance of `taskId` (in a countersign, the body counts one signer less). */
  cancelInstance(taskId: string): Promise<void>;
  /** 委派: the task goes to `delegate` while its owner keeps it; `resolve` hands it back to the owner. */
  delegate(taskId: string, delegate: string): Promise<void>;
  resolve(taskId: string, variables?: Variables): Promise<void>;
  complete(taskId: string, variables: Variables): Promise<void>;
  setDueDate(taskId: string, dueAt: number | null): Promise<void>;
  /** Delivers a message to the instance of `businessKey` waiting for it; `rejected` if none waits. */
  correlate(args: { message: string; businessKey: string; variables?: Variables }): Promise<void>;
  /** Open tasks, for reconciliation and drills. */
  openTasks(args?: { instanceId?: string }): Promise<OpenTask[]>;
  /** Resolves when the engine answers; used for readiness. */
  ping(): Promise<void>;
}

interface Base {
  /** unique per event: the key to apply it exactly once */
  eventId: string;
  /** engine time, epoch ms */
  at: number;
  instanceId: string;
  /** the case id the instance was started with (null for instances that are not ours) */
  businessKey: string | null;
  definitionId: string | null;
}

/** How a task left the engine other than by completion. */
export type TaskEndReason = 'deleted' | 'boundary' | 'modification' | 'completion_condition' | 'terminated' | string;

export type EngineEvent =
  | (Base & { type: 'instance.started' })
  | (Base & { type: 'instance.ended'; outcome: 'completed' | 'canceled'; reason: string | null })
  | (Base & {
      type: 'task.created';
      taskId: string;
      elementId: string;
      name: string | null;
      candidateGroups: string[];
      candidateUsers: string[];
      assignee: string | null;
      dueAt: number | null;
    })
  | (Base & { type: 'task.assigned' | 'task.updated'; taskId: string; elementId: string; assignee: string | null; dueAt: number | null })
  | (Base & { type: 'task.completed'; taskId: string; elementId: string; decision: string | null; opinion: string | null })
  | (Base & { type: 'task.canceled'; taskId: string; elementId: string; reason: TaskEndReason })
  /** a wait state (receive task, catch event) was entered or left */
  | (Base & { type: 'wait.started' | 'wait.ended'; elementId: string })
  /** an end event was reached; `topLevel` unless inside a sub-process */
  | (Base & { type: 'end.reached'; elementId: string; topLevel: boolean })
  | (Base & { type: 'incident'; elementId: string | null; message: string });

export interface FeedBatch {
  events: EngineEvent[];
  /** hand back to ack() once the events are applied; null when there were none */
  cursor: string | null;
}

export interface EngineFeed {
  /** The oldest unacknowledged events; waits up to `waitMs` for one. */
  read(opts: { max: number; waitMs: number }): Promise<FeedBatch>;
  /** The events of this batch are applied: the engine may forget them. */
  ack(cursor: string): Promise<void>;
}

/** Step settings and the BPMN extensions of the engine's dialect. */
export interface EngineDialect {
  /** name of the platform for the linter and new diagrams, e.g. Camunda Platform 7.24.0 */
  platform: { executionPlatform: string; executionPlatformVersion: string };
  /** moddle extension packages for bpmn-moddle, by prefix */
  moddleExtensions: Record<string, unknown>;
  /** a user task's step settings (decisions, stepLimitDays, signRule …) from its moddle element */
  stepSettings(element: unknown): Record<string, string>;
  /** to whom a user task goes, as written (expressions unevaluated) */
  assignment(element: unknown): { candidateGroups: string[]; candidateUsers: string[]; assignee: string | null };
  /** a multi-instance (会签) user task: the variable naming each instance's signer; null for a plain step */
  signers(element: unknown): { elementVariable: string | null; sequential: boolean } | null;
}

export interface EnginePort extends EngineCommands {
  feed: EngineFeed;
  dialect: EngineDialect;
  /** a short name for logs and the README ("Operaton 1.0.3") */
  describe(): Promise<string>;
  close(): Promise<void>;
}
