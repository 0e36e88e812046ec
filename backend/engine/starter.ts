/**
 * Starts the process of every submitted case, exactly once, with several back-office instances and
 * crashes in between. The case row is the outbox:
 *   1. lease it (conditional UPDATE of next_start_at: only one instance wins a given attempt);
 *   2. on a retry, ask the engine for an instance already running under the case id (the business
 *      key) and link that one; otherwise start the process with the case id as business key;
 *   3. link the returned instance (conditional on none yet).
 * If we crash between 2 and 3, the feed's `instance.started` (which carries the business key) links
 * the instance anyway (modules/ingest). Should two instances still come to exist, whichever is
 * linked second is cancelled as a duplicate, so one survives.
 */
import { PollingLoop } from '../polling.ts';
import type { Ctx } from '../context.ts';
import type { CaseRow } from '../modules/cases/records.ts';
import { linkInstance } from '../modules/cases/commands.ts';
import { processVariables } from '../modules/cases/service.ts';
import { itemAsFiled } from '../modules/catalogue/service.ts';
import { EngineError } from './port.ts';

const MAX_BACKOFF_MS = 30_000;

export class CaseStarter {
  private readonly loop: PollingLoop;

  constructor(private readonly ctx: Ctx) {
    this.loop = new PollingLoop('case starter', ctx.config.STARTER_POLL_MS, () => ctx.metrics.timeSweep('case_starter', () => this.sweep()), ctx.log);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Cases whose start is due (new, or retry after back-off or an expired lease). */
  async sweep(): Promise<number> {
    const due = await this.ctx.db('cases').where({ status: 'submitted' }).andWhere('next_start_at', '<=', this.ctx.clock.now()).orderBy('next_start_at').limit(20).pluck('id');
    let started = 0;
    for (const id of due) if (await this.startNow(String(id))) started++;
    return started;
  }

  async startNow(caseId: string): Promise<boolean> {
    const { db, clock, config } = this.ctx;
    const now = clock.now();
    const leased = await db('cases')
      .where({ id: caseId, status: 'submitted' })
      .andWhere('next_start_at', '<=', now)
      .update({ next_start_at: now + config.STARTER_LEASE_SECONDS * 1000, start_attempts: db.raw('start_attempts + 1') });
    const row = await db('cases').where({ id: caseId }).first<CaseRow>();
    if (!row) return false;
    if (leased === 0) return row.status !== 'submitted';
    const log = this.ctx.log.child({ caseId, caseNo: row.case_no });
    const item = await itemAsFiled(db, row.item_code, row.item_version);
    if (!item) throw new Error(`case ${caseId} refers to missing item ${row.item_code}`);
    let key: string;
    let definitionKey: string;
    try {
      const running = Number(row.start_attempts) > 1 ? (await this.ctx.engine.instancesOf(caseId))[0] : undefined;
      ({ instanceId: key, definitionId: definitionKey } =
        running ?? (await this.ctx.engine.start({ processId: row.bpmn_process_id, version: row.process_version, businessKey: caseId, variables: processVariables(row, item) })));
    } catch (err) {
      const attempts = Number(row.start_attempts);
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempts, 16));
      const reason = err instanceof EngineError ? `${err.kind}: ${err.message}` : String(err);
      await db('cases').where({ id: caseId, status: 'submitted' }).update({ next_start_at: clock.now() + backoff, last_start_error: reason.slice(0, 1000) });
      log.warn({ attempts, backoffMs: backoff, reason }, 'process start failed; will retry');
      return false;
    }
    const outcome = await db.transaction((trx) => linkInstance(trx, caseId, key, clock.now(), definitionKey));
    if (outcome.kind === 'linked') this.ctx.events.publish(outcome.event);
    if (outcome.kind === 'duplicate') await cancelDuplicate(this.ctx, caseId, key);
    log.info({ processInstanceKey: key, outcome: outcome.kind }, 'process instance started');
    return true;
  }
}

export async function cancelDuplicate(ctx: Ctx, caseId: string, instanceId: string): Promise<void> {
  try {
    await ctx.engine.terminate(instanceId, 'duplicate instance of a case');
    ctx.log.warn({ caseId, instanceId }, 'cancelled a duplicate process instance of a case');
  } catch (err) {
    if (err instanceof EngineError && err.kind === 'not_found') return;
    throw err;
  }
}
