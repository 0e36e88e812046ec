/**
 * Domain events, raised by domain modules after their transaction commits. Realtime fan-out (and
 * later audit and notifications) subscribe here; nothing in a domain module knows about sockets.
 */
import { EventEmitter } from 'node:events';

export interface TaskSummary {
  userTaskKey: string;
  caseId: string;
  caseNo: string;
  itemCode: string;
  elementId: string;
  elementName: string;
  candidateGroups: string[];
  candidateUsers: string[];
  assignee: string | null;
  /** region codes from province down to the task's county: who supervises it */
  regions: string[];
}

export type DomainEvent =
  | { type: 'task.created'; task: TaskSummary }
  | { type: 'task.claimed'; task: TaskSummary }
  | { type: 'task.unclaimed'; task: TaskSummary }
  | { type: 'task.completed'; task: TaskSummary; decision: string | null; completedBy: string | null }
  | { type: 'task.canceled'; task: TaskSummary }
  /** 退回 / 撤回 / 转办 / 委派 / 收回 (operations module): `affects` are the users it concerns beyond the task's rooms */
  | { type: 'task.operated'; op: string; task: TaskSummary; actor: string; reason: string; affects: string[] }
  | {
      type: 'deadline.level';
      caseId: string;
      caseNo: string;
      clockId: string;
      kind: 'decision' | 'promise' | 'step';
      level: 'warning' | 'yellow' | 'red';
      dueOn: string;
      userTaskKey: string | null;
      candidateGroups: string[];
      assignee: string | null;
      regions: string[];
    }
  | { type: 'task.urged'; urgingId: number; caseId: string; caseNo: string; userTaskKey: string; message: string; urgedBy: string | null; /** the urger's display name, for the holder's banner */ urgedByName?: string | null; recipients: string[]; regions: string[] }
  | { type: 'notification.new'; userId: string; notificationId: number; kind: string; caseId: string | null; data: Record<string, unknown> }
  | { type: 'case.submitted'; caseId: string; caseNo: string; itemCode: string; regions: string[] }
  | { type: 'case.started'; caseId: string; caseNo: string; processInstanceKey: string; regions: string[] }
  /** 挂起 / 激活 / 终止: the holders of its open steps, the case's watchers and supervisors hear it */
  | { type: 'case.suspended' | 'case.resumed' | 'case.terminated'; caseId: string; caseNo: string; by: string; reason: string; candidateGroups: string[]; assignees: string[]; regions: string[] }
  /** 附件: a file added to a case, for the case page's watchers, the holders of its open steps and its supervisors */
  | { type: 'attachment.added'; caseId: string; caseNo: string; attachmentId: number; name: string; userTaskKey: string | null; by: string; candidateGroups: string[]; assignees: string[]; regions: string[] }
  | { type: 'rectification.level'; rectificationId: number; caseId: string; caseNo: string; level: 'yellow' | 'red'; unitCode: string; dueOn: string; regions: string[] }
  | { type: 'session.ended'; userId: string; reason: 'logout' | 'password' | 'reset' | 'disabled' | 'roles' | 'moved' }
  /** 核实 / 答复 / 整改 recorded: the board and the rectification page of the same people refresh */
  | { type: 'rectification.changed'; rectificationId: number; caseId: string; state: string; unitCode: string; regions: string[] }
  | { type: 'case.concluded'; caseId: string; caseNo: string; itemCode: string; result: string | null; regions: string[] };

/** Region codes of a case or task row, province first. */
export const regionsOf = (r: { province_code?: string | null; city_code?: string | null; county_code?: string | null }): string[] =>
  [r.province_code, r.city_code, r.county_code].filter((c): c is string => typeof c === 'string' && c !== '');

export class DomainEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  publish(events: DomainEvent | DomainEvent[]): void {
    for (const e of Array.isArray(events) ? events : [events]) this.emitter.emit('event', e);
  }

  subscribe(listener: (e: DomainEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
