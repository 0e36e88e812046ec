/**
 * A back office in a child process of bench/live-push.ts, so its event loop is its own. It starts
 * like any other (startBackOffice) and, when told over IPC, publishes domain events through its own
 * `ctx.events` — the very bus the feed's ingest and the task commands publish on — stamped with the
 * time of publication so the clients can measure event-to-receipt.
 */
import { loadConfig } from '../../config/index.ts';
import { startBackOffice } from '../../backend/server.ts';
import type { DomainEvent } from '../../backend/events.ts';

const now = () => performance.timeOrigin + performance.now();

const office = await startBackOffice(loadConfig(process.env));
process.send?.({ ready: office.url });

process.on('message', (m: { fire?: { seq: number; group: string }; stop?: boolean }) => {
  if (m.stop) {
    void office.stop().then(() => process.exit(0));
    return;
  }
  if (!m.fire) return;
  const t = now();
  const event: DomainEvent = {
    type: 'task.created',
    task: {
      userTaskKey: String(9_000_000_000 + m.fire.seq),
      caseId: '00000000-0000-4000-8000-000000000000',
      caseNo: `BENCH${m.fire.seq}`,
      itemCode: '000117002000',
      elementId: 'county_review',
      elementName: JSON.stringify({ seq: m.fire.seq, t }),
      candidateGroups: [m.fire.group],
      candidateUsers: [],
      assignee: null,
      regions: ['JN', 'JN-01', 'JN-01-01'],
    },
  };
  office.ctx.events.publish(event);
  // how long the synchronous part of the fan-out (socket.io encoding and writes) held the loop
  process.send?.({ published: m.fire.seq, emitMs: now() - t });
});
