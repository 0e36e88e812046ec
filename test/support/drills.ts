/**
 * Fault drills, shared by the `npm test` drill files (test/integration/drill-*.test.ts) and the
 * bench scripts (bench/drills/*.ts): a back office run as a child process we can SIGKILL, a clerk
 * load that walks the water-permit happy path through the HTTP API and survives outages by retrying
 * the way a browser would (same Idempotency-Key, re-claim, re-complete), a reconciliation of our
 * tables after the fact, and a generated bad-input run. No timed assertions: figures are printed,
 * verdicts are about what was lost, doubled or answered 5xx.
 *
 * Independent of test/support/harness.ts on purpose (that one insists on the test engine's env).
 * One file per part under drills/; this index is what the drill tests and bench scripts import.
 */
export * from './drills/common.ts';
export * from './drills/child-office.ts';
export * from './drills/http.ts';
export * from './drills/clerk-load.ts';
export * from './drills/reconcile.ts';
export * from './drills/bad-input.ts';
