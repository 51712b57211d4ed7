import { type Config, ConfigError, loadConfig } from './config.js';
import { loadDotEnv } from './env-file.js';
import { startServer } from './server.js';

let config: Config;
try {
  loadDotEnv();
} catch (error) {
  console.error(`Configuration error — .env: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration error — ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const server = await startServer(config).catch((error: unknown) => {
  console.error('The server could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

console.log(`Async chat is running at ${server.url}`);
for (const line of server.summary) console.log(`  ${line}`);

let signals = 0;
const shutdown = (signal: NodeJS.Signals) => {
  signals += 1;
  if (signals > 1) process.exit(1); // a second Ctrl-C: do not wait for the grace period
  server.logger.info({ signal }, 'shutting down');
  server.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      server.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
