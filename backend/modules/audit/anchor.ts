/**
 * The chain's head written outside the database at intervals (AUDIT_ANCHOR): appended to a file, or
 * sent to a syslog collector (RFC 5424 over UDP, facility "log audit"). An operator ships either to
 * a place the database's administrators cannot write. Verification then checks the database still
 * holds the anchored row with the anchored hash: a chain cut short or recomputed from an earlier
 * row fails even when whoever did it held the key.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ctx } from '../../context.ts';
import type { Db } from '../../db/knex.ts';

export interface Anchor {
  at: string;
  id: number;
  hash: string;
  /** why this anchor starts afresh (the chain was re-chained under the key on purpose) */
  rebase?: string;
}

export type AnchorTarget = { kind: 'off' } | { kind: 'file'; file: string } | { kind: 'syslog'; host: string; port: number };

export function anchorTarget(spec: string): AnchorTarget {
  if (spec === 'off') return { kind: 'off' };
  if (spec.startsWith('file:')) return { kind: 'file', file: path.resolve(spec.slice('file:'.length)) };
  const url = new URL(spec);
  return { kind: 'syslog', host: url.hostname, port: Number(url.port || 514) };
}

export async function headOf(db: Db): Promise<{ id: number; hash: string } | null> {
  const row = await db('audit_log').orderBy('id', 'desc').first<{ id: number | string; hash: string } | undefined>('id', 'hash');
  return row ? { id: Number(row.id), hash: row.hash } : null;
}

/** The newest anchor in a file target (null: none written yet, or a target that cannot be read back). */
export function lastAnchor(target: AnchorTarget): Anchor | null {
  if (target.kind !== 'file' || !fs.existsSync(target.file)) return null;
  const fd = fs.openSync(target.file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n').filter(Boolean).reverse();
    for (const line of lines) {
      try {
        const a = JSON.parse(line) as Anchor;
        if (Number.isInteger(a.id) && /^[0-9a-f]{64}$/.test(a.hash)) return a;
      } catch {
        // a torn first line of the window or a line someone mangled: the one before counts
      }
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

async function write(target: AnchorTarget, a: Anchor): Promise<void> {
  const line = JSON.stringify(a);
  if (target.kind === 'file') {
    fs.mkdirSync(path.dirname(target.file), { recursive: true, mode: 0o700 });
    await fs.promises.appendFile(target.file, `${line}\n`, { mode: 0o600 });
    return;
  }
  if (target.kind === 'syslog') {
    // <110>: facility 13 (log audit) × 8 + severity 6 (informational)
    const msg = Buffer.from(`<110>1 ${a.at} ${os.hostname()} licence-desk - audit-anchor - ${line}`);
    const sock = dgram.createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => sock.send(msg, target.port, target.host, (err) => (err ? reject(err) : resolve())));
    } finally {
      sock.close();
    }
  }
}

/**
 * Anchors the head when it has moved since the last anchor — but only while the database still holds
 * the last anchored row with its anchored hash: anchoring a head that no longer descends from the
 * previous anchor would launder a rewrite, so a mismatch is logged as an error and nothing is written
 * until someone has looked (the viewer's verification names the row).
 */
export class Anchorer {
  private timer: NodeJS.Timeout | null = null;
  private last: Anchor | null;
  private running: Promise<void> = Promise.resolve();
  readonly target: AnchorTarget;

  constructor(private readonly ctx: Ctx) {
    this.target = anchorTarget(ctx.config.AUDIT_ANCHOR);
    this.last = lastAnchor(this.target);
  }

  start(): void {
    if (this.target.kind === 'off' || this.timer) return;
    this.timer = setInterval(() => void this.anchorNow(), this.ctx.config.AUDIT_ANCHOR_SECONDS * 1000);
    this.timer.unref();
  }

  /**
   * Serialised: two anchors never interleave their writes. `rebase`: the chain was re-chained under
   * the key on purpose (rechainUnkeyed, itself on record), so older anchors no longer apply.
   */
  anchorNow(opts: { rebase?: string } = {}): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.target.kind === 'off') return;
      try {
        // another instance may have anchored since: the file is the truth when there is one
        const previous = this.target.kind === 'file' ? lastAnchor(this.target) : this.last;
        const head = await headOf(this.ctx.db);
        if (!head || head.hash === previous?.hash) return;
        if (previous && !opts.rebase) {
          const row = await this.ctx.db('audit_log').where({ id: previous.id }).first<{ hash: string } | undefined>('hash');
          if (row?.hash !== previous.hash) {
            this.ctx.log.error({ anchoredRow: previous.id, anchoredAt: previous.at }, 'AUDIT CHAIN REWRITTEN: the database no longer holds the last anchored audit row as anchored; no new anchor is written');
            return;
          }
        }
        const anchor: Anchor = { at: new Date(this.ctx.clock.now()).toISOString(), ...head, ...(opts.rebase ? { rebase: opts.rebase } : {}) };
        await write(this.target, anchor);
        this.last = anchor;
      } catch (err) {
        this.ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'audit anchor could not be written');
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.anchorNow();
  }
}
