/** The drills' shared constants: the demo path, the filer, the applicant, and small helpers. */
import net from 'node:net';

export const DEMO_PASSWORD = 'Demo@2026';
export const DRILL_AUTH_SECRET = 'drill-secret-drill-secret-drill-secret-0123';
export const DRILL_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
export const DRILL_AUDIT_KEYS = `a1:${Buffer.alloc(32, 8).toString('base64')}`;
export const WATER_ITEM = '000117002000';

/** The water-permit happy path: who decides which step, and how. */
export const HAPPY_PATH = [
  { element: 'window_acceptance', who: 'jn-01-01.asc.window', decision: 'accept' },
  { element: 'county_review', who: 'jn-01-01.wr.reviewer', decision: 'approve' },
  { element: 'city_review', who: 'jn-01.wr.reviewer', decision: 'approve' },
  { element: 'province_decision', who: 'jn.wr.leader', decision: 'grant' },
  { element: 'licence_delivery', who: 'jn.asc.window', decision: 'done' },
] as const;
export const FILER = 'jn-01-01.asc.window';
export const COUNTY = 'JN-01-01';
export const APPLICANT = { kind: 'person', name: '张三', idNumber: '11010519491231002X', phone: '13800138000', address: '江南省示范市一区' } as const;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
