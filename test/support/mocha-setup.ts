/**
 * Loaded before the test files (scripts/run.mjs passes it to mocha with --require). mocha only
 * re-emits an unhandled rejection from test code, which then goes unnoticed; node:test failed the
 * test on it. Thrown from here it becomes an uncaught exception, which mocha fails the running test
 * (or hook) with.
 */
process.on('unhandledRejection', (reason) => {
  throw reason;
});
