/**
 * The live side: one socket.io connection per tab, authenticated with the current access token at
 * every (re)connect. Views subscribe to the event names the back office emits; the rooms it joins
 * are chosen by the server from the same rules as the API, so nothing here filters for security.
 */
import { reactive } from 'vue';
import { io, type Socket } from 'socket.io-client';
import { accessToken, api, restoreSession } from './api.ts';

export const live = reactive({ connected: false });
let socket: Socket | null = null;

export function connectLive(): Socket {
  if (socket) return socket;
  socket = io({ auth: (cb) => cb({ token: accessToken() }), transports: ['websocket'] });
  socket.on('connect', () => (live.connected = true));
  socket.on('disconnect', (reason) => {
    live.connected = false;
    // the server drops a socket when its token expires or the session ends: reconnect only with a
    // fresh token (after a logout the refresh fails and the app goes to the login page)
    if (reason === 'io server disconnect') void restoreSession().then((ok) => ok && socket?.connect());
  });
  // A rejected handshake is not retried by socket.io itself: most often the access token expired
  // while the tab slept, so let the API refresh it, then connect again.
  socket.on('connect_error', () => {
    live.connected = false;
    setTimeout(() => {
      void api('/auth/me').then(() => socket?.connect(), () => undefined);
    }, 2000);
  });
  return socket;
}

export function disconnectLive(): void {
  socket?.disconnect();
  socket = null;
  live.connected = false;
}

/** Subscribe while a view is mounted; returns the unsubscribe function. */
export function onLive<T = Record<string, unknown>>(event: string, handler: (payload: T) => void): () => void {
  const s = connectLive();
  s.on(event, handler as (p: unknown) => void);
  return () => s.off(event, handler as (p: unknown) => void);
}

export function watchCase(caseId: string): Promise<boolean> {
  const s = connectLive();
  return new Promise((resolve) => s.emit('case.watch', caseId, (r: { ok: boolean }) => resolve(r.ok)));
}

/** Coalesce bursts of events (a batch of tasks arriving) into one reload. */
export function debounce(fn: () => void, ms = 250): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(t);
    t = setTimeout(fn, ms);
  };
}
