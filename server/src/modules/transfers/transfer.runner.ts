import type { MikroORM } from '@mikro-orm/postgresql';
import { run, type Runner } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AccountingSystem } from '../../accounting/accounting-system.js';
import { workerLogger } from '../../orm.js';
import type { ConnectedAccounting } from '../accounting-connections/connected-accounting.js';
import { connectionTasks } from '../accounting-connections/connection.jobs.js';
import { purgeExpired, RETENTION_CRONTAB, RETENTION_TASK } from '../maintenance/retention.js';
import { TRANSFER_TASK } from './transfer.jobs.js';
import {
  DEFAULT_WORKER_OPTIONS,
  TransferProcessor,
  type TransferWorkerOptions,
} from './transfer.worker.js';

export interface TransferWorker {
  processor: TransferProcessor;
  /** graphile-worker's connection pool (ours, so that metrics can read its use). */
  pool: pg.Pool;
  stop(): Promise<void>;
}

export interface TransferWorkerConfig extends TransferWorkerOptions {
  /** graphile-worker jobs run at once in this process. */
  jobConcurrency: number;
  sweepIntervalMs: number;
  /** Per-organization connections: their master data refresh and drift check run here too. */
  connections?: ConnectedAccounting;
}

export const DEFAULT_TRANSFER_WORKER_CONFIG: TransferWorkerConfig = {
  ...DEFAULT_WORKER_OPTIONS,
  jobConcurrency: 4,
  sweepIntervalMs: 10_000,
};

/**
 * Runs the transfer worker in this process: graphile-worker takes jobs (SKIP LOCKED, woken by
 * LISTEN/NOTIFY), and a sweeper recovers transfers orphaned by dead workers. Many processes
 * may run it against one database.
 */
export async function startTransferWorker(
  orm: MikroORM,
  accounting: AccountingSystem,
  log: Logger,
  config: TransferWorkerConfig = DEFAULT_TRANSFER_WORKER_CONFIG,
): Promise<TransferWorker> {
  const processor = new TransferProcessor(
    orm,
    accounting,
    log.child({ component: 'transfer-worker' }),
    config,
  );
  // graphile-worker's own default size (maxPoolSize 10); it ends only pools it made itself.
  const connectionJobs = config.connections
    ? connectionTasks(orm, config.connections, log.child({ component: 'accounting-connections' }))
    : { crontab: '', taskList: {} };
  const pool = new pg.Pool({ connectionString: orm.config.get('clientUrl'), max: 10 });
  const runner: Runner = await run({
    pgPool: pool,
    concurrency: config.jobConcurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: workerLogger(log),
    // Housekeeping (idempotency keys, old sessions, idle rate-limit buckets): once an hour across all workers.
    crontab: [RETENTION_CRONTAB, connectionJobs.crontab].filter(Boolean).join('\n'),
    taskList: {
      ...connectionJobs.taskList,
      [RETENTION_TASK]: async () => {
        const purged = await purgeExpired(orm);
        log.info({ purged }, 'retention: expired rows deleted');
      },
      [TRANSFER_TASK]: async (payload) => {
        const ids = (payload as { transferIds?: unknown }).transferIds;
        if (!Array.isArray(ids)) return;
        await processor.process(ids.filter((x): x is string => typeof x === 'string'));
      },
    },
  }).catch(async (err: unknown) => {
    await pool.end();
    throw err;
  });
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const result = await processor.sweep();
      if (result.orphaned || result.requeued)
        log.info(result, 'transfer sweeper recovered transfers');
    } catch (err) {
      log.warn({ err }, 'transfer sweep failed');
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), config.sweepIntervalMs);
  void sweep();
  return {
    processor,
    pool,
    async stop() {
      clearInterval(timer);
      await runner.stop();
      await pool.end();
    },
  };
}
