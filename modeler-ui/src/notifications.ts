/** The stored inbox (催办, warnings, 督办), kept current by `notification.new` pushes. */
import { reactive } from 'vue';
import { api } from './api.ts';
import { onLive } from './live.ts';

export interface Notice {
  id: number;
  kind: string;
  caseId: string | null;
  userTaskKey: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  read: boolean;
}

export const inbox = reactive<{ unread: number; items: Notice[] }>({ unread: 0, items: [] });
let off: (() => void) | null = null;

export async function loadInbox(): Promise<void> {
  const r = await api<{ unread: number; items: Notice[] }>('/notifications');
  inbox.unread = r.unread;
  inbox.items = r.items;
}

export function followInbox(): void {
  off?.();
  off = onLive<{ notificationId: number; kind: string; caseId: string | null; data: Record<string, unknown> }>('notification.new', (n) => {
    inbox.items.unshift({ id: n.notificationId, kind: n.kind, caseId: n.caseId, userTaskKey: null, data: n.data, createdAt: new Date().toISOString(), read: false });
    inbox.unread += 1;
  });
}

export function stopInbox(): void {
  off?.();
  off = null;
  inbox.unread = 0;
  inbox.items = [];
}

export async function markRead(id: number): Promise<void> {
  await api(`/notifications/${id}/read`, { method: 'POST' });
  const n = inbox.items.find((i) => i.id === id);
  if (n && !n.read) {
    n.read = true;
    inbox.unread = Math.max(0, inbox.unread - 1);
  }
}

export async function markAllRead(): Promise<void> {
  await api('/notifications/read-all', { method: 'POST' });
  for (const n of inbox.items) n.read = true;
  inbox.unread = 0;
}
