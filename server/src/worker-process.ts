import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { createAccountingSystem } from './accounting/create-accounting.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './database.js';
import { AppMetrics } from './metrics/app-metrics.js';
import { startMetricsServer } from './metrics/metrics-endpoint.js';
import { startTransferWorker } from './modules/transfers/transfer.runner.js';
import { registerAutomaticTransfers } from './modules/transfers/transfer.automation.js';

/** `pnpm ledgerlink worker`: a transfer worker without the API, until SIGINT/SIGTERM. */
export async function runWorkerProcess(
  config: Config,
  orm: MikroORM,
  log: Logger,
  db: DatabaseHandle,
): Promise<void> {
  registerAutomaticTransfers();
  const { accounting, connections } = await createAccountingSystem(orm, config);
  const worker = await startTransferWorker(orm, accounting, log, {
    ...config.worker,
    connections,
  });
  // The worker's own series (transfer latency, accounting calls) are only in this process.
  const appMetrics = new AppMetrics({ orm, log });
  appMetrics.addPool('worker', worker.pool);
  const metrics =
    config.metrics.port === undefined
      ? null
      : await startMetricsServer(appMetrics, {
          ...config.metrics,
          port: config.metrics.port,
          log,
        });
  console.error(`transfer worker running (pid ${process.pid}); stop with Ctrl-C`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.stop().catch((err) => log.error({ err }, 'error stopping the worker'));
    await metrics?.close();
    await connections.close();
    await orm.close(true).catch(() => {});
    await db.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await new Promise(() => {});
}
