/** Shapes of the API's answers that the views read (the OpenAPI document at /api/openapi.json is the reference). */
import type { FormSchema } from './forms/types.ts';
export type Level = 'none' | 'warning' | 'yellow' | 'red';

/** A candidate group with its unit's name (the role group is worded by the app). */
export interface NamedGroup {
  group: string;
  unitCode: string;
  unitName: string | null;
  role: string;
}

export interface Task {
  userTaskKey: string;
  caseId: string;
  caseNo: string | null;
  itemCode: string;
  elementId: string;
  name: string;
  candidateGroups: string[];
  candidateUsers: string[];
  decisions: string[];
  stepLimitDays: number | null;
  assignee: string | null;
  state: 'open' | 'completed' | 'canceled';
  decision: string | null;
  opinion: string | null;
  completedBy: string | null;
  createdAt: string | null;
  claimedAt: string | null;
  endedAt: string | null;
  dueAt?: string | null;
  dueOn?: string | null;
  dueProvisional?: boolean;
  level?: Level;
  /** 委派: the owner while a delegate holds it */
  owner?: string | null;
  returnToElement?: string | null;
  /** names, not codes (served by the API) */
  assigneeName?: string | null;
  ownerName?: string | null;
  completedByName?: string | null;
  groups?: NamedGroup[];
  /** masked (张*) */
  applicantName?: string | null;
  /** on the step clock; negative when overdue, null without a running limit */
  workingDaysLeft?: number | null;
  /** 加签: the signer holding the task now, in which position, added by whom */
  signer?: string | null;
  signPosition?: 'before' | 'after' | null;
  signBy?: string | null;
}

export interface Item {
  code: string;
  name: string;
  department: string;
  handlingLevel: string;
  statutoryLimitDays: number;
  processId: string;
  processVersion: number | null;
  materials: { name: string; required: boolean }[];
}

export interface TimelineEntry {
  id: number;
  type: string;
  actor: string | null;
  /** the actor's display name (names, not account codes) */
  actorName?: string | null;
  elementId: string | null;
  userTaskKey: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

export interface CurrentStep {
  userTaskKey: string;
  elementId: string;
  name: string;
  candidateGroups: string[];
  assignee: string | null;
  assigneeName?: string | null;
  groups?: NamedGroup[];
  since: string;
}

export interface CaseDetail {
  id: string;
  caseNo: string;
  itemCode: string;
  itemName?: string;
  status: 'submitted' | 'in_progress' | 'concluded';
  result: string | null;
  awaiting: string | null;
  processInstanceKey: string | null;
  processDefinitionKey?: string | null;
  applicant: Record<string, unknown>;
  regionCode: string | null;
  /** 受理地 by name */
  regionName?: string | null;
  submittedAt: string;
  startedAt: string | null;
  concludedAt: string | null;
  currentSteps?: CurrentStep[];
  timeline?: TimelineEntry[];
  materials?: unknown[];
  visitedElements?: string[];
  mayReadPersonalData?: boolean;
  /** case-level operations the rules allow this user (server-evaluated) */
  actions?: string[];
  suspension?: { since: string; by: string | null; byName?: string | null; reason: string; procedure: string | null; clockPaused: boolean } | null;
  termination?: { kind: 'withdrawn' | 'statutory'; reason: string; by: string | null; byName?: string | null; at: string | null } | null;
  /** the application form as filed (schema of the item version it was filed under) and approval forms of decided steps */
  applicationForm?: { itemVersion: number | null; schema: FormSchema | null; data: Record<string, unknown> } | null;
  approvalForms?: Array<{ userTaskKey: string; elementId: string; name: string; completedBy: string | null; decision: string | null; schema: FormSchema | null; data: Record<string, unknown> }>;
}

export interface Clock {
  id: string;
  kind: 'decision' | 'promise' | 'step';
  userTaskKey: string | null;
  limitDays: number;
  startedOn: string;
  dueOn: string;
  provisional: boolean;
  state: 'running' | 'paused' | 'stopped';
  level: Level;
  pausedDays: number;
  extendedDays: number;
  workingDaysLeft: number | null;
}

export interface ProcessDefinition {
  definitionKey: string;
  bpmnProcessId: string;
  version: number;
  resourceName: string;
  deployedAt: string;
  ownerDepartment?: string | null;
  mayDeploy?: boolean;
}
