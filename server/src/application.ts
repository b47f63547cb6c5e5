import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { createAccountingSystem } from './accounting/create-accounting.js';
import type { Config } from './config.js';
import type { AppServices } from './context.js';
import { openDatabase, type DatabaseHandle } from './database.js';
import { createHttpServer, type HttpServer } from './http/app.js';
import { startMetricsServer, type MetricsServer } from './metrics/metrics-endpoint.js';
import { registerAutomaticTransfers } from './modules/transfers/transfer.automation.js';
import { startTransferWorker, type TransferWorker } from './modules/transfers/transfer.runner.js';
import { initOrm, migrate } from './orm.js';
import { TransferEventHub } from './modules/transfers/events/transfer-events.js';

registerAutomaticTransfers();

export interface RunningApplication {
  services: AppServices;
  http: HttpServer;
  worker: TransferWorker | null;
  /** `/metrics` on LEDGERLINK_METRICS_PORT, when set. */
  metricsServer: MetricsServer | null;
  port: number;
  url: string;
  /** Graceful shutdown, in order: HTTP and WebSocket (drained), event listener, worker, ORM pool, embedded PostgreSQL. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Wires one Ledgerlink process: database → migrations → (demo data) → accounting system →
 * HTTP/GraphQL. `pnpm start` and the API tests both use it.
 */
export async function startApplication(config: Config, log: Logger): Promise<RunningApplication> {
  let db: DatabaseHandle | undefined;
  let orm: MikroORM | undefined;
  let transferEvents: TransferEventHub | undefined;
  let metricsServer: MetricsServer | null = null;
  let demoAccountsIq: { close(): Promise<void> } | null = null;
  try {
    db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log,
    });
    orm = await initOrm(db.url, log, 30);
    const applied = await migrate(orm, log);
    if (applied.length) log.info({ applied }, 'migrations applied');
    if (config.seed === 'demo') {
      const { seedDemoData } = await import('./seeders/demo.seeder.js');
      if (await seedDemoData(orm, {})) log.info('demo data seeded into the empty database');
    }
    const { accounting, connections } = await createAccountingSystem(orm, config);
    if (config.demoAccountsIq) {
      const { startDemoAccountsIq } =
        await import('./modules/accounting-connections/demo-accountsiq.js');
      demoAccountsIq = await startDemoAccountsIq(orm, connections, log);
    }
    transferEvents = new TransferEventHub({
      connectionString: db.url,
      orm,
      log: log.child({ component: 'transfer-events' }),
      subscriberBuffer: config.realtime.subscriberBuffer,
      pingIntervalMs: config.realtime.listenerPingMs,
      reconnectMinMs: config.realtime.listenerReconnectMinMs,
      reconnectMaxMs: config.realtime.listenerReconnectMaxMs,
      resyncMarginMs: config.realtime.resyncMarginMs,
    });
    await transferEvents.start();
    const services: AppServices = { config, orm, accounting, connections, log, transferEvents };
    const http = await createHttpServer(services);
    const port = await http.listen(config.port);
    if (config.metrics.port !== undefined)
      metricsServer = await startMetricsServer(http.metrics, {
        ...config.metrics,
        port: config.metrics.port,
        log,
      });
    const worker = config.runWorker
      ? await startTransferWorker(orm, accounting, log, { ...config.worker, connections })
      : null;
    if (worker) http.metrics.addPool('worker', worker.pool);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        // Closing HTTP drains the WebSocket server too (its Apollo drain plugin); then the listener.
        await http.close().catch((err) => log.error({ err }, 'error closing http'));
        await transferEvents!
          .stop()
          .catch((err) => log.error({ err }, 'error stopping the transfer event listener'));
        await worker
          ?.stop()
          .catch((err) => log.error({ err }, 'error stopping the transfer worker'));
        await metricsServer?.close();
        await connections.close();
        await demoAccountsIq?.close();
        await orm!.close(true).catch((err) => log.error({ err }, 'error closing database pool'));
        await db!.stop().catch((err) => log.error({ err }, 'error stopping embedded postgres'));
      })());
    return { services, http, worker, metricsServer, port, url: `http://127.0.0.1:${port}`, stop };
  } catch (err) {
    await metricsServer?.close();
    await demoAccountsIq?.close().catch(() => {});
    await transferEvents?.stop().catch(() => {});
    await orm?.close(true).catch(() => {});
    await db?.stop().catch(() => {});
    throw err;
  }
}
