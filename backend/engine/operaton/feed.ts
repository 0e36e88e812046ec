/**
 * The change feed from licence-desk's engine plugin (server/…/Feed*.java): rows written in the
 * engine's own transactions, read oldest first, deleted once acknowledged. This file is the one
 * place that knows the rows' shape; it hands out the port's events.
 */
import type { EngineEvent, EngineFeed, FeedBatch } from '../port.ts';
import type { OperatonClient } from './client.ts';

type Row = Record<string, unknown> & { seq: string; type: string };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Why a task ended without completion, in the port's words. */
function endReason(raw: string | null): string {
  if (!raw || raw === 'deleted') return 'deleted';
  if (/modification/i.test(raw)) return 'modification';
  return raw;
}

export function toEvent(r: Row): EngineEvent | null {
  const base = { eventId: String(r.eventId ?? `seq-${r.seq}`), at: num(r.at) ?? Date.now(), instanceId: str(r.instanceId) ?? '', businessKey: str(r.businessKey), definitionId: str(r.definitionId) };
  const task = { taskId: str(r.taskId) ?? '', elementId: str(r.elementId) ?? '' };
  switch (r.type) {
    case 'instance.started':
      return { ...base, type: 'instance.started', businessKey: base.businessKey ?? str(r.caseId) };
    case 'instance.ended':
      return { ...base, type: 'instance.ended', outcome: r.canceled === true ? 'canceled' : 'completed', reason: str(r.reason) };
    case 'task.created':
      return { ...base, ...task, type: 'task.created', name: str(r.name), candidateGroups: strings(r.candidateGroups), candidateUsers: strings(r.candidateUsers), assignee: str(r.assignee), dueAt: num(r.due) };
    case 'task.assigned':
    case 'task.updated':
      return { ...base, ...task, type: r.type, assignee: str(r.assignee), dueAt: num(r.due) };
    case 'task.completed':
      return { ...base, ...task, type: 'task.completed', decision: str(r.decision), opinion: str(r.opinion) };
    case 'task.deleted':
      return { ...base, ...task, type: 'task.canceled', reason: endReason(str(r.reason)) };
    case 'activity.started':
    case 'activity.ended':
      return { ...base, type: r.type === 'activity.started' ? 'wait.started' : 'wait.ended', elementId: str(r.elementId) ?? '' };
    case 'activity.reached':
      return { ...base, type: 'end.reached', elementId: str(r.elementId) ?? '', topLevel: r.topLevel === true };
    case 'incident.created':
      return { ...base, type: 'incident', elementId: str(r.elementId), message: str(r.message) ?? String(r.incidentType ?? 'incident') };
    default:
      return null; // unknown to this version of the back office: acknowledged and dropped
  }
}

export function operatonFeed(http: OperatonClient, timeoutMs: number): EngineFeed {
  return {
    async read({ max, waitMs }): Promise<FeedBatch> {
      const res = await http.call<{ events: Row[] }>('GET', `/licence-desk/feed?max=${max}&waitMs=${waitMs}`, undefined, { timeoutMs: waitMs + timeoutMs });
      if (res.events.length === 0) return { events: [], cursor: null };
      const events = res.events.map(toEvent).filter((e): e is EngineEvent => e !== null);
      return { events, cursor: res.events.map((r) => r.seq).join(',') };
    },
    async ack(cursor) {
      const ids = cursor.split(',').filter(Boolean);
      if (ids.length > 0) await http.call('POST', '/licence-desk/feed/ack', { ids });
    },
  };
}
