import { startApplication } from './application.js';
import { ConfigError, loadConfig } from './config.js';
import { EmbeddedPostgresError } from './embedded-postgres.js';
import { createLogger } from './logger.js';

async function main() {
  const started = Date.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let app;
  try {
    app = await startApplication(config, log);
  } catch (err) {
    if (err instanceof EmbeddedPostgresError) {
      // What went wrong and what to do, in one line: not a stack trace.
      log.fatal({ hint: err.hint }, err.message);
      process.exit(1);
    }
    throw err;
  }
  log.info(
    {
      port: app.port,
      database: config.databaseUrl ? 'external' : 'embedded',
      startupMs: Date.now() - started,
    },
    `Ledgerlink is ready at http://localhost:${app.port}/ (GraphQL at /graphql)`,
  );

  let signals = 0;
  const shutdown = async (signal: string) => {
    if (++signals > 1) return;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took over 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    await app.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
