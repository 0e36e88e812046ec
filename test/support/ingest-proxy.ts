/**
 * Sits between the broker's exporter and the back office under test, on the fixed port the test
 * broker's exporter posts to. It forwards every batch unchanged, keeps a copy (for replay tests),
 * and can be told to lose its answer after forwarding — the exporter then redelivers a batch the
 * back office already committed, exactly as after a crash between commit and acknowledgement.
 */
import http from 'node:http';

export class IngestProxy {
  target: string | null = null;
  readonly batches: string[] = [];
  private loseAnswers = 0;
  private server: http.Server | null = null;

  /** The next `n` forwarded batches are answered 503 although the back office committed them. */
  loseNextAnswers(n: number): void {
    this.loseAnswers = n;
  }

  get answersStillToLose(): number {
    return this.loseAnswers;
  }

  async listen(port: number): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.forward(Buffer.concat(chunks).toString('utf8'), req.headers.authorization ?? '').then(
          (status) => {
            res.writeHead(status).end();
          },
          () => {
            res.writeHead(503).end();
          },
        );
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', () => resolve());
    });
  }

  private async forward(body: string, authorization: string): Promise<number> {
    if (!this.target) return 503;
    const res = await fetch(`${this.target}/internal/engine/records`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization } });
    if (res.status === 204) this.batches.push(body);
    if (res.status === 204 && this.loseAnswers > 0) {
      this.loseAnswers--;
      return 503;
    }
    return res.status;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
