/** Live-event helpers for tests that check who hears what over socket.io. */
import { assert } from 'chai';
import type { Socket } from 'socket.io-client';

/**
 * The positive control for "this socket heard nothing": resolves once every event the server had
 * emitted to each socket before this call has arrived. It makes a round trip on each connection —
 * `case.watch` with an id that is no case id, which the server answers at once and joins no room
 * for — and a connection delivers its packets in order, so the answer comes after any event sent
 * to that socket earlier. The back office fans an event out to all its rooms in one emit, so once
 * any socket has heard it, it has been sent to every socket it was meant for.
 */
export async function drained(...sockets: Socket[]): Promise<void> {
  const answers = await Promise.all(sockets.map((s) => s.timeout(10_000).emitWithAck('case.watch', 'marker: not a case id') as Promise<{ ok: boolean }>));
  for (const a of answers) assert.deepStrictEqual(a, { ok: false }, 'the marker round trip was answered');
}
