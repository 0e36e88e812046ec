/** autocannon against one endpoint, with p95 computed from every response (autocannon reports p97.5). */
import autocannon from 'autocannon';
import { percentile } from './common.ts';

export interface EndpointFigures {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

export async function hammer(o: { label: string; url: string; token: string; connections: number; durationS: number; method?: 'GET' | 'POST' }): Promise<EndpointFigures> {
  const times: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: o.url,
        method: o.method ?? 'GET',
        connections: o.connections,
        duration: o.durationS,
        headers: { authorization: `Bearer ${o.token}` },
      },
      (err: unknown, result: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  return {
    label: o.label,
    requests: r.requests.total,
    rps: r.requests.average,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

export function figuresRow(f: EndpointFigures): string {
  const n = (x: number) => x.toFixed(1).padStart(7);
  return `  ${f.label.padEnd(52)} ${n(f.p50)} ${n(f.p95)} ${n(f.p99)} ${n(f.max)}  ${String(Math.round(f.rps)).padStart(6)}/s  ${f.non2xx + f.errors ? `(${f.non2xx} non-2xx, ${f.errors} errors)` : ''}`;
}

export const figuresHeader = () => `  ${'endpoint'.padEnd(52)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}  ${'req/s'.padStart(8)}   (ms)`;
