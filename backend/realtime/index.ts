/**
 * socket.io on the API's HTTP server. Connections authenticate at the handshake through the same
 * identity seam as HTTP; each socket joins its user room and its group rooms. Domain events fan out
 * to rooms through `roomsFor` — the one place the authorization issue filters who hears what.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Identity } from '../context.ts';
import type { DomainEvent, DomainEvents } from '../events.ts';
import { identityFrom } from '../http/identity.ts';
import type { Logger } from '../log.ts';

export const userRoom = (id: string) => `user:${id}`;
export const groupRoom = (g: string) => `group:${g}`;

/** Who may hear an event: the task's candidates and assignee; the case's submitter for cases. */
export function roomsFor(e: DomainEvent): string[] {
  switch (e.type) {
    case 'task.created':
    case 'task.claimed':
    case 'task.unclaimed':
    case 'task.completed':
    case 'task.canceled':
      return [...e.task.candidateGroups.map(groupRoom), ...e.task.candidateUsers.map(userRoom), ...(e.task.assignee ? [userRoom(e.task.assignee)] : [])];
    case 'case.concluded':
    case 'case.started':
    case 'case.submitted':
      return [`case:${e.caseId}`];
  }
}

export function mountRealtime(http: HttpServer, events: DomainEvents, log: Logger): { io: Server; close(): Promise<void> } {
  const io = new Server(http, { path: '/socket.io', serveClient: false, cors: { origin: false } });
  io.use((socket, next) => {
    try {
      const a = socket.handshake.auth as { userId?: unknown; groups?: unknown };
      socket.data.identity = identityFrom(a.userId ?? socket.handshake.headers['x-user-id'], a.groups ?? socket.handshake.headers['x-user-groups']);
      next();
    } catch (err) {
      next(err as Error);
    }
  });
  io.on('connection', (socket) => {
    const who = socket.data.identity as Identity;
    void socket.join([userRoom(who.userId), ...who.groups.map(groupRoom)]);
    // Following one case's conclusion (e.g. the window clerk who submitted it).
    socket.on('case.watch', (caseId: unknown) => {
      if (typeof caseId === 'string' && /^[0-9a-f-]{36}$/.test(caseId)) void socket.join(`case:${caseId}`);
    });
  });
  const unsubscribe = events.subscribe((e) => {
    const rooms = roomsFor(e);
    if (rooms.length === 0) return;
    const { type, ...payload } = e;
    io.to(rooms).emit(type, payload);
    log.debug({ type, rooms: rooms.length }, 'event fanned out');
  });
  return {
    io,
    close: async () => {
      unsubscribe();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
    },
  };
}
