/**
 * socket.io on the API's HTTP server. A connection authenticates at the handshake with the same
 * access token as HTTP; it joins only the rooms its rules allow: its user, its candidate groups, its
 * supervision scope (supervisors), and cases it may read (on request). Domain events fan out to rooms
 * through `roomsFor`, so nobody hears about a task or case outside their remit.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Ctx, Identity } from '../context.ts';
import type { DomainEvent } from '../events.ts';
import { sessionFromToken } from '../http/identity.ts';
import { has } from '../authz/ability.ts';
import { canReadCase } from '../modules/cases/service.ts';

export const userRoom = (id: string) => `user:${id}`;
export const groupRoom = (g: string) => `group:${g}`;
export const scopeRoom = (region: string) => `scope:${region}`;
export const caseRoom = (id: string) => `case:${id}`;

/** Rooms allowed to hear an event: the task's groups and assignee, the supervisors above it. */
export function roomsFor(e: DomainEvent): string[] {
  switch (e.type) {
    case 'task.created':
    case 'task.claimed':
    case 'task.unclaimed':
    case 'task.completed':
    case 'task.canceled':
      return [
        ...e.task.candidateGroups.map(groupRoom),
        ...e.task.candidateUsers.map(userRoom),
        ...(e.task.assignee ? [userRoom(e.task.assignee)] : []),
        ...e.task.regions.map(scopeRoom),
        caseRoom(e.task.caseId),
      ];
    case 'task.operated':
      return [
        ...e.task.candidateGroups.map(groupRoom),
        ...[...new Set([...e.affects, ...(e.task.assignee ? [e.task.assignee] : [])])].map(userRoom),
        ...e.task.regions.map(scopeRoom),
        caseRoom(e.task.caseId),
      ];
    case 'case.concluded':
    case 'case.started':
    case 'case.submitted':
      return [caseRoom(e.caseId), ...e.regions.map(scopeRoom)];
    case 'case.suspended':
    case 'case.resumed':
    case 'case.terminated':
    case 'attachment.added':
      return [caseRoom(e.caseId), ...e.candidateGroups.map(groupRoom), ...e.assignees.map(userRoom), ...e.regions.map(scopeRoom)];
    case 'deadline.level':
      return [...e.candidateGroups.map(groupRoom), ...(e.assignee ? [userRoom(e.assignee)] : []), ...e.regions.map(scopeRoom), caseRoom(e.caseId)];
    case 'task.urged':
      return [...e.recipients.map(userRoom), ...e.regions.map(scopeRoom)];
    case 'notification.new':
      return [userRoom(e.userId)];
    case 'rectification.level':
    case 'rectification.changed':
      return [groupRoom(`${e.unitCode}:head`), groupRoom(`${e.unitCode}:leader`), ...e.regions.map(scopeRoom), caseRoom(e.caseId)];
    case 'session.ended':
      return []; // not news for anyone: the user's sockets are closed instead
  }
}

/** The rooms a user joins on connecting. */
export function roomsOf(who: Identity): string[] {
  return [userRoom(who.userId), ...who.groups.map(groupRoom), ...(has(who, 'supervisor') ? [scopeRoom(who.regionCode)] : [])];
}

export async function mountRealtime(http: HttpServer, ctx: Ctx): Promise<{ io: Server; close(): Promise<void> }> {
  const io = new Server(http, { path: '/socket.io', serveClient: false, cors: { origin: false } });
  // Several instances: the Redis adapter relays each emit to the sockets connected elsewhere.
  const redis = ctx.config.REDIS_URL ? await redisAdapter(ctx.config.REDIS_URL) : null;
  if (redis) io.adapter(redis.adapter);
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const header = /^Bearer\s+(\S+)$/i.exec(String(socket.handshake.headers.authorization ?? ''))?.[1];
    sessionFromToken(ctx, auth.token ?? header).then(
      ({ who, expiresAt }) => {
        socket.data.identity = who;
        socket.data.expiresAt = expiresAt;
        next();
      },
      (err: Error) => next(err),
    );
  });
  io.on('connection', (socket) => {
    const who = socket.data.identity as Identity;
    void socket.join(roomsOf(who));
    // A socket lives no longer than the token it was opened with: the client reconnects with a fresh one.
    const expiry = setTimeout(() => {
      socket.emit('session.expired', { reason: 'the access token expired: reconnect with a fresh one' });
      socket.disconnect(true);
      // never longer than a token lives (a clock set back must not keep a socket open for months)
    }, Math.min(Math.max(0, Number(socket.data.expiresAt) - ctx.clock.now()), ctx.config.ACCESS_TOKEN_TTL_SECONDS * 1000, 2 ** 31 - 1));
    socket.on('disconnect', () => clearTimeout(expiry));
    // Following one case (e.g. its page is open): only if the rules let this user read it.
    socket.on('case.watch', (caseId: unknown, ack?: (r: { ok: boolean }) => void) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      if (typeof caseId !== 'string' || !/^[0-9a-f-]{36}$/.test(caseId)) return reply({ ok: false });
      canReadCase(ctx, who, caseId).then(
        (ok) => {
          if (ok) void socket.join(caseRoom(caseId));
          reply({ ok });
        },
        () => reply({ ok: false }),
      );
    });
  });
  const unsubscribe = ctx.events.subscribe((e) => {
    if (e.type === 'session.ended') {
      // logout, password change or reset, disabled, roles changed: every socket of the account goes (other
      // tabs reconnect with their own valid tokens, and a reconnect joins the rooms its new roles allow)
      io.in(userRoom(e.userId)).disconnectSockets(true);
      return;
    }
    const rooms = roomsFor(e);
    if (rooms.length === 0) return;
    const { type, ...payload } = e;
    io.to(rooms).emit(type, payload);
  });
  return {
    io,
    close: async () => {
      unsubscribe();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      await redis?.close();
    },
  };
}

async function redisAdapter(url: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub),
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
