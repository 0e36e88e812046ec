/**
 * Bare Zeebe, no back office: process instances created with @camunda8/sdk (gRPC) and user tasks
 * completed through the broker's REST API, exactly the two calls licence-desk's gateway makes. The
 * user-task keys come from the broker's exporter, which posts to a tiny HTTP endpoint here (the
 * exporter's URL is fixed when the broker starts, so the bench gives that port to the back office in
 * one phase and to this endpoint in the other).
 */
import http from 'node:http';
import { Camunda8 } from '@camunda8/sdk';
import JSONbig from 'json-bigint';

const parser = JSONbig({ storeAsString: true, strict: false });

interface TaskSeen {
  userTaskKey: string;
  elementId: string;
}

/**
 * Receives exporter batches. In 'bare' mode it hands out each instance's user tasks in log order; in
 * 'office' mode it forwards every batch to the back office and answers with the office's status
 * (timing how long the office took). Listening for the whole run means the exporter never meets a
 * closed port when the bench switches sides, so it never falls into its retry back-off.
 */
export class BareIngest {
  private server: http.Server | null = null;
  mode: 'bare' | 'office' = 'bare';
  officeUrl = '';
  /** per forwarded batch: milliseconds the office took to answer, and records in it */
  readonly officeMs: number[] = [];
  readonly officeSizes: number[] = [];
  private readonly queued = new Map<string, TaskSeen[]>();
  private readonly waiting = new Map<string, (t: TaskSeen) => void>();
  batches = 0;
  records = 0;
  /** answer each batch this much later (to mimic a slower ingest) */
  delayMs = 0;

  async listen(port: number): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.mode === 'office') {
          const body = Buffer.concat(chunks).toString('utf8');
          const t0 = performance.now();
          fetch(`${this.officeUrl}/internal/engine/records`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' } }).then(
            (r) => {
              this.officeMs.push(performance.now() - t0);
              this.officeSizes.push((body.match(/"valueType"/g) ?? []).length);
              res.writeHead(r.status).end();
            },
            () => res.writeHead(503).end(),
          );
          return;
        }
        try {
          const records = parser.parse(Buffer.concat(chunks).toString('utf8')) as Array<{ valueType: string; intent: string; recordType: string; key: string; value: Record<string, unknown> }>;
          this.batches++;
          this.records += records.length;
          for (const r of records) {
            if (r.recordType !== 'EVENT' || r.valueType !== 'USER_TASK' || r.intent !== 'CREATED') continue;
            const pik = String(r.value.processInstanceKey);
            const t = { userTaskKey: String(r.value.userTaskKey ?? r.key), elementId: String(r.value.elementId) };
            const w = this.waiting.get(pik);
            if (w) {
              this.waiting.delete(pik);
              w(t);
            } else this.queued.set(pik, [...(this.queued.get(pik) ?? []), t]);
          }
          if (this.delayMs > 0) setTimeout(() => res.writeHead(204).end(), this.delayMs);
          else res.writeHead(204).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', () => resolve());
    });
  }

  nextTask(processInstanceKey: string, timeoutMs = 60_000): Promise<TaskSeen> {
    const q = this.queued.get(processInstanceKey);
    if (q && q.length > 0) {
      const t = q.shift() as TaskSeen;
      if (q.length === 0) this.queued.delete(processInstanceKey);
      return Promise.resolve(t);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(processInstanceKey);
        reject(new Error(`no user task for instance ${processInstanceKey} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(processInstanceKey, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** The same client settings the back office's gateway uses (backend/engine/gateway.ts). */
export function bareClients(grpcAddress: string, restAddress: string) {
  const c8 = new Camunda8({
    ZEEBE_GRPC_ADDRESS: grpcAddress,
    ZEEBE_REST_ADDRESS: restAddress,
    CAMUNDA_SECURE_CONNECTION: false,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_OAUTH_DISABLED: true,
    ZEEBE_GRPC_CLIENT_RETRY: false,
    CAMUNDA_LOG_LEVEL: 'none',
    ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
  } as ConstructorParameters<typeof Camunda8>[0]);
  return { zeebe: c8.getZeebeGrpcApiClient(), rest: c8.getCamundaRestClient() };
}

