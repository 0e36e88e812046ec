// mocha's Spec reporter, which also writes the run's counts to a file for scripts/run.mjs, so the
// runner can print one total across stages: `--reporter-option countFile=PATH`. Failures include
// those of before/after hooks (mocha counts a failed hook in stats.failures); skipped = pending.
//
// After the run, a test process must end by itself (mocha runs without --exit): whatever a test
// left open (a socket, a server, a timer) would keep it alive forever. If it is still running
// `graceMs` after the last test, this names what is still open and ends it as failed.
import fs from 'node:fs';
import Mocha from 'mocha';

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

export default class CountingSpec extends Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const { countFile, graceMs = '30000' } = options.reporterOption ?? options.reporterOptions ?? {};
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = this.stats;
      if (countFile) fs.writeFileSync(countFile, `${JSON.stringify({ passed: passes, failed: failures, skipped: pending })}\n`);
      setTimeout(() => {
        const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
        console.error(`licence-desk: the test process did not end ${Number(graceMs) / 1000} s after its last test; still open: ${open.join(', ') || 'nothing listed'} — a test left something running`);
        process.on('exit', () => (process.exitCode = 1)); // after mocha's own exit handler, which sets the failure count (0)
        process.exit(1);
      }, Number(graceMs)).unref();
    });
  }
}
