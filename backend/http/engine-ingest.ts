/**
 * The exporter's door into the back office. Authenticated by a shared secret (constant-time
 * compare); answers 204 only after the batch is committed, so the exporter acknowledges records to
 * the broker only once they are durable here.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Ingest } from '../engine/ingest.ts';
import { parseRecords } from '../engine/records.ts';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function engineIngestRoutes(ctx: Ctx, ingest: Ingest): Router {
  const r = Router();
  r.post('/internal/engine/records', express.text({ type: '*/*', limit: '50mb' }), async (req, res) => {
    const auth = req.header('authorization') ?? '';
    if (!sameSecret(auth, `Bearer ${ctx.config.ENGINE_INGEST_TOKEN}`)) throw new AppError('UNAUTHENTICATED', 'engine ingest needs the shared token');
    const records = parseRecords(typeof req.body === 'string' ? req.body : '');
    const { applied, skipped } = await ingest.apply(records);
    ctx.log.debug({ applied, skipped }, 'engine records ingested');
    res.status(204).end();
  });
  return r;
}
