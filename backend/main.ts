/** Entry point of one back-office process (the start script runs it after the broker is up). */
import { ConfigError, loadConfig } from '../config/index.ts';
import { startBackOffice } from './server.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`licence-desk: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const office = await startBackOffice(config, { processMetrics: true });
  const shutdown = () => {
    office.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error('licence-desk failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
