/**
 * The series one application reads at scrape time: transfers by status and kind, queue depth and
 * the oldest stuck transfers (one SQL), open subscription sockets, and database pool use. A scrape
 * renders them after the process-wide series (registry.ts).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { TransferKind, TransferStatus } from '../modules/transfers/transfer.enums.js';
import { processRegistry } from './registry.js';

/** Use of one connection pool: connections open, idle, and requests waiting for one. */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

export type PoolReader = () => PoolUse | null;

/** The knex (tarn) pool behind the ORM. */
export function ormPool(orm: MikroORM): PoolReader {
  return () => {
    const pool = (
      orm.em.getConnection().getKnex() as {
        client?: {
          pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number };
        };
      }
    ).client?.pool;
    if (!pool) return null;
    const idle = pool.numFree();
    return { total: pool.numUsed() + idle, idle, waiting: pool.numPendingAcquires() };
  };
}

interface TransferCountRow {
  status: string;
  kind: string;
  count: number;
  oldest_seconds: number;
}

/**
 * One scan of the transfer table for all transfer gauges; the age of an IN_DOUBT or SENDING
 * transfer is measured from its updated_at (set when it entered that status; heartbeats do not
 * touch it), on the database clock.
 */
const TRANSFER_COUNTS_SQL = `select status, kind, count(*)::int as count,
       extract(epoch from now() - min(updated_at))::float8 as oldest_seconds
  from transfer group by status, kind`;

export interface AppMetricsSources {
  orm: MikroORM;
  log: Logger;
  /** Open, authenticated subscription sockets (absent: a process without the API). */
  subscriptionSockets?: () => number;
}

export class AppMetrics {
  private readonly registry = new Registry();
  private readonly pools = new Map<string, PoolReader>();
  private rendering: Promise<string> | null = null;

  private readonly transfers = this.gauge(
    'ledgerlink_transfers',
    'Transfers by status and kind, counted at scrape time',
    ['status', 'kind'],
  );
  private readonly queueDepth = this.gauge(
    'ledgerlink_transfer_queue_depth',
    'Transfers waiting to be sent (QUEUED and RETRYING)',
  );
  private readonly oldestInDoubt = this.gauge(
    'ledgerlink_transfer_oldest_in_doubt_seconds',
    'Age of the oldest IN_DOUBT transfer (0 when none)',
  );
  private readonly oldestSending = this.gauge(
    'ledgerlink_transfer_oldest_sending_seconds',
    'Age of the oldest SENDING transfer (0 when none)',
  );
  private readonly transferScrapeOk = this.gauge(
    'ledgerlink_transfer_metrics_up',
    '1 when the transfer series of this scrape could be read from the database, else 0',
  );
  private readonly sockets = this.gauge(
    'ledgerlink_subscription_sockets',
    'Open, authenticated GraphQL subscription sockets on this replica',
  );
  private readonly poolTotal = this.gauge(
    'ledgerlink_db_pool_connections',
    'Connections open in each database pool',
    ['pool'],
  );
  private readonly poolIdle = this.gauge(
    'ledgerlink_db_pool_idle_connections',
    'Idle connections in each database pool',
    ['pool'],
  );
  private readonly poolWaiting = this.gauge(
    'ledgerlink_db_pool_waiting_requests',
    'Requests waiting for a connection of each database pool',
    ['pool'],
  );

  constructor(private readonly sources: AppMetricsSources) {
    this.pools.set('orm', ormPool(sources.orm));
  }

  readonly contentType = processRegistry.contentType;

  /** Another pool to report, e.g. graphile-worker's once the worker started. */
  addPool(name: string, pool: pg.Pool): void {
    this.pools.set(name, () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }));
  }

  /**
   * The Prometheus text exposition of the process and this application. Scrapes arriving while
   * one is being rendered share it: one query, and no scrape sees another's half-set gauges.
   */
  render(): Promise<string> {
    this.rendering ??= this.renderNow().finally(() => (this.rendering = null));
    return this.rendering;
  }

  private async renderNow(): Promise<string> {
    await this.readTransfers();
    this.sockets.set(this.sources.subscriptionSockets?.() ?? 0);
    for (const gauge of [this.poolTotal, this.poolIdle, this.poolWaiting]) gauge.reset();
    for (const [pool, read] of this.pools) {
      const use = read();
      if (!use) continue;
      this.poolTotal.set({ pool }, use.total);
      this.poolIdle.set({ pool }, use.idle);
      this.poolWaiting.set({ pool }, use.waiting);
    }
    return `${await processRegistry.metrics()}\n${await this.registry.metrics()}`;
  }

  private async readTransfers(): Promise<void> {
    this.transfers.reset();
    let rows: TransferCountRow[];
    try {
      rows = await this.sources.orm.em
        .fork()
        .getConnection()
        .execute<TransferCountRow[]>(TRANSFER_COUNTS_SQL);
    } catch (err) {
      this.sources.log.warn({ err }, 'metrics: transfer counts could not be read');
      this.transferScrapeOk.set(0);
      return;
    }
    // Every status and kind, zero included: a series that vanishes at 0 breaks rate() and alerts.
    for (const status of Object.values(TransferStatus))
      for (const kind of Object.values(TransferKind)) this.transfers.set({ status, kind }, 0);
    let queued = 0;
    let inDoubt = 0;
    let sending = 0;
    for (const row of rows) {
      this.transfers.set({ status: row.status, kind: row.kind }, row.count);
      if (row.status === 'QUEUED' || row.status === 'RETRYING') queued += row.count;
      if (row.status === 'IN_DOUBT') inDoubt = Math.max(inDoubt, row.oldest_seconds);
      if (row.status === 'SENDING') sending = Math.max(sending, row.oldest_seconds);
    }
    this.queueDepth.set(queued);
    this.oldestInDoubt.set(Math.max(0, inDoubt));
    this.oldestSending.set(Math.max(0, sending));
    this.transferScrapeOk.set(1);
  }

  private gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
