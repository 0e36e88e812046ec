/**
 * /metrics for the operator's Prometheus, and the HTTP latency series it reports. Metrics say how
 * much work the office does and for whom (queue depths, routes), so they are not public: with
 * METRICS_TOKEN set the scraper presents it as a bearer token; without, only clients on this
 * machine are answered (the socket's own address, never a proxy's X-Forwarded-For).
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Metrics } from '../metrics/index.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Times every request under its route template (`/api/cases/:id`), so ids do not explode the series. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpRequests.startTimer();
    res.once('finish', () => {
      const template = req.route ? `${req.baseUrl}${String(req.route.path)}` : req.path.startsWith('/api/') ? 'unmatched' : 'static';
      end({ method: req.method, route: template, status: String(res.statusCode) });
    });
    next();
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function metricsEndpoint(metrics: Metrics, token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (token) {
      const given = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      if (!sameSecret(given, token)) {
        res.status(401).set('www-authenticate', 'Bearer').type('text/plain').send('the metrics token is missing or wrong\n');
        return;
      }
    } else if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res.status(403).type('text/plain').send('metrics answer only on this machine unless METRICS_TOKEN is set\n');
      return;
    }
    metrics.text().then(({ contentType, body }) => {
      res.set('content-type', contentType).set('cache-control', 'no-store').send(body);
    }, next);
  };
}
