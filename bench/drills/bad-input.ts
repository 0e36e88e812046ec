/**
 * Drill: ≥10,000 generated malformed or hostile requests across every operation of the OpenAPI
 * document (wrong types, missing and unknown fields, huge and malformed bodies, unknown and malformed
 * ids, injection strings, forged and expired tokens, wrong content types and methods): zero 5xx, and
 * no corrupted rows — row counts change only as the accepted requests say, every cases.applicant
 * still opens, no orphan task, no unknown status, the audit hash chain intact — and our task table
 * still equal to the engine's open tasks.
 *
 *   node --import tsx bench/drills/bad-input.ts [--requests 10000] [--seed 20261122] [--concurrency 8] [--db mysql|sqlite]
 */
import { APPLICANT, badInputRun, badInputVerdict, call, COUNTY, DRILL_AUTH_SECRET, DRILL_KEYS, DRILL_AUDIT_KEYS, integrity, loginAll, sleep, WATER_ITEM } from '../../test/support/drills.ts';
import { header, line, ms, num, withCleanup } from '../lib/common.ts';
import { drillFlags, stage } from '../lib/drill.ts';
import { compareWithEngine, engineVerdictParts } from '../lib/engine-tasks.ts';

const d = drillFlags({ cases: 0, db: 'mysql', concurrency: 8 });
const REQUESTS = num(d.f, 'requests', 10_000);
const SEED = num(d.f, 'seed', 20261122);
header('drill: generated bad input', { requests: REQUESTS, seed: SEED, concurrency: d.concurrency, db: d.db });

await withCleanup(async (defer) => {
  const s = await stage(defer, { enginePort: 18099, officePort: 18110, db: d.db });
  const users = ['jn-01-01.asc.window', 'jn-01-01.wr.reviewer', 'jn-01.wr.reviewer', 'jn.wr.leader', 'jn.sup.supervisor', 'jn.wr.designer', 'jn.asc.admin'];
  const tokens = await loginAll(s.office.url, users);
  const window = tokens.get('jn-01-01.asc.window') as string;
  const c = await call<{ id: string }>(s.office.url, 'POST', '/api/cases', { token: window, body: { itemCode: WATER_ITEM, regionCode: COUNTY, applicant: APPLICANT } });
  let key: string | undefined;
  for (let i = 0; i < 100 && !key; i++) {
    key = (await call<{ items: Array<{ userTaskKey: string }> }>(s.office.url, 'GET', `/api/tasks?caseId=${c.body.id}`, { token: window })).body.items?.[0]?.userTaskKey;
    if (!key) await sleep(100);
  }
  const before = await integrity(s.db, DRILL_KEYS, DRILL_AUDIT_KEYS);
  const r = await badInputRun({ url: s.office.url, requests: REQUESTS, seed: SEED, concurrency: d.concurrency, tokens: [...tokens.values()], caseIds: [c.body.id], taskKeys: key ? [key] : [], authSecret: DRILL_AUTH_SECRET });
  await sleep(1000);
  const after = await integrity(s.db, DRILL_KEYS, DRILL_AUDIT_KEYS);
  line('sent', `${r.sent} in ${ms(r.ms)} (${Math.round(r.sent / (r.ms / 1000))} req/s)`);
  line('answers by status', [...r.byStatus.entries()].sort((x, y) => x[0] - y[0]).map(([k, v]) => `${k}×${v}`).join(' '));
  line('accepted as valid', `${r.created.cases} case submissions, ${r.created.processes} deployments`);
  line('row counts before → after', Object.keys(after.counts).map((t) => `${t} ${before.counts[t]}→${after.counts[t]}`).join(', '));
  line('applicants that no longer open', String(after.unreadableApplicants));
  line('audit hash chain', after.brokenAuditRow === null ? 'intact' : `BROKEN at row ${after.brokenAuditRow}`);
  for (const f of r.failures.slice(0, 10)) line('failure', f);
  const health = await call(s.office.url, 'GET', '/health/ready');
  line('office afterwards', `GET /health/ready → ${health.status}`);
  const check = engineVerdictParts(await compareWithEngine(s.db, [s.engine.url]));
  for (const x of check.details) line('engine check', x);
  const base = badInputVerdict(r, before, after);
  const v = { pass: base.pass && check.fail.length === 0, line: `${base.line.replace(/^VERDICT: PASS/, check.fail.length ? 'VERDICT: FAIL' : 'VERDICT: PASS')}, ${check.note}${check.fail.length ? ` (${check.fail.join('; ')})` : ''}` };
  console.log(`\n${v.line}`);
  process.exitCode = v.pass ? 0 : 1;
});
