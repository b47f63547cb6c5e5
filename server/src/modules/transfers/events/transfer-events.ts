/**
 * Transfer status events for this replica's subscribers, from PostgreSQL LISTEN/NOTIFY.
 *
 * Whoever changes transfers (any worker, any replica) runs `pg_notify` in the same transaction,
 * with ids only. Each replica holds one dedicated connection that LISTENs, loads every changed
 * transfer once (one query per burst, only for organizations that have subscribers here) and
 * fans the loaded change out to its local subscribers. Loads run one after another, so a
 * subscriber never sees an older status of a transfer after a newer one.
 *
 * Notifications sent while the connection is down are lost, so the listener reconnects by itself
 * (exponential backoff with jitter) and then resyncs: every transfer of a subscribed
 * organization changed since shortly before the drop is loaded again, and batch subscribers
 * recount. Changes subscribers already got are recognised and skipped.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';
import { observeTransferEventFanOut } from '../../../metrics/registry.js';
import { TRANSFER_CHANNEL } from '../transfer.jobs.js';
import { TransferStatus } from '../transfer.enums.js';
import {
  BatchSignalQueue,
  TransferEventQueue,
  type QueueStats,
  type TransferChange,
} from './subscriber-queue.js';

export const LISTENER_APPLICATION_NAME = 'ledgerlink-listener';

const FINAL_STATUSES = new Set<string>([
  TransferStatus.TRANSFERRED,
  TransferStatus.FAILED,
  TransferStatus.CANCELLED,
]);
/** Transfers loaded per query. */
const LOAD_CHUNK = 1000;
/** The row as the ORM would read it (timestamps as text), plus its times in epoch milliseconds. */
const COLUMNS = `t.*, ${['created_at', 'updated_at', 'next_attempt_at', 'finished_at']
  .map((c) => `(extract(epoch from t.${c}) * 1000)::float8 as ${c}_ms`)
  .join(', ')}`;
/** Recently delivered (transfer → status and time), to skip repeats after a resync. */
const DELIVERED_MEMORY = 100_000;

export interface TransferEventsOptions {
  connectionString: string;
  orm: MikroORM;
  log: Logger;
  /** Per-subscriber buffer bound (entries). */
  subscriberBuffer: number;
  /** How often the listener connection is checked with a round trip. */
  pingIntervalMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** How far before a connection drop the resync looks (transactions stamp updated_at at their start). */
  resyncMarginMs: number;
}

export interface TransferEventsStats {
  connected: boolean;
  notifications: number;
  loads: number;
  published: number;
  reconnects: number;
  resyncs: number;
  /** Changes a resync found that subscribers had not been sent. */
  resyncPublished: number;
  organizationSubscribers: number;
  batchSubscribers: number;
  /** The largest buffer any current subscriber has had. */
  maxBuffered: number;
}

type Triple = [string, string, string | null];

function isTriple(x: unknown): x is Triple {
  return (
    Array.isArray(x) &&
    x.length === 3 &&
    typeof x[0] === 'string' &&
    typeof x[1] === 'string' &&
    (x[2] === null || typeof x[2] === 'string')
  );
}

export class TransferEventHub {
  private client: pg.Client | null = null;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private pingTimer: NodeJS.Timeout | null = null;
  private pinging = false;
  /** When the connection was lost; cleared by the resync after reconnecting. */
  private droppedAt: number | null = null;
  private resyncFrom: number | null = null;

  private readonly organizationQueues = new Map<string, Set<TransferEventQueue>>();
  private readonly batchQueues = new Map<string, Set<BatchSignalQueue>>();
  private readonly pending = new Set<string>();
  private readonly delivered = new Map<string, string>();
  private processing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly counters = {
    notifications: 0,
    loads: 0,
    published: 0,
    reconnects: 0,
    resyncs: 0,
    resyncPublished: 0,
  };

  constructor(private readonly opts: TransferEventsOptions) {}

  /** Connects and LISTENs; fails if the database cannot be reached now (startup should fail then). */
  async start(): Promise<void> {
    await this.connect();
    this.pingTimer = setInterval(() => void this.ping(), this.opts.pingIntervalMs);
    this.pingTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const set of this.organizationQueues.values()) for (const q of [...set]) q.close();
    for (const set of this.batchQueues.values()) for (const q of [...set]) q.close();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
    await this.idle();
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** The backend pid of the listener connection (tests terminate it). */
  async listenerPid(): Promise<number | null> {
    const client = this.client;
    if (!client) return null;
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    return rows[0].pid;
  }

  stats(): TransferEventsStats {
    let organizationSubscribers = 0;
    let maxBuffered = 0;
    for (const set of this.organizationQueues.values()) {
      organizationSubscribers += set.size;
      for (const q of set) maxBuffered = Math.max(maxBuffered, q.stats().highWater);
    }
    let batchSubscribers = 0;
    for (const set of this.batchQueues.values()) batchSubscribers += set.size;
    return {
      connected: this.connected,
      ...this.counters,
      organizationSubscribers,
      batchSubscribers,
      maxBuffered,
    };
  }

  /** Buffer figures of every current organization subscriber. */
  subscriberStats(): (QueueStats & { organizationId: string })[] {
    const out: (QueueStats & { organizationId: string })[] = [];
    for (const [organizationId, set] of this.organizationQueues) {
      for (const q of set) out.push({ organizationId, ...q.stats() });
    }
    return out;
  }

  /** Every status change of every transfer of the organization, from now on. */
  subscribeOrganization(organizationId: string): TransferEventQueue {
    const queue = new TransferEventQueue(this.opts.subscriberBuffer, (q) =>
      this.detach(this.organizationQueues, organizationId, q),
    );
    this.attach(this.organizationQueues, organizationId, queue);
    return queue;
  }

  /** A signal whenever a transfer of the batch changes (and one at once, for the current state). */
  subscribeBatch(batchId: string): BatchSignalQueue {
    const queue = new BatchSignalQueue((q) => this.detach(this.batchQueues, batchId, q));
    this.attach(this.batchQueues, batchId, queue);
    return queue;
  }

  private attach<Q>(map: Map<string, Set<Q>>, key: string, queue: Q) {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(queue);
  }

  private detach<Q>(map: Map<string, Set<Q>>, key: string, queue: Q) {
    const set = map.get(key);
    if (!set) return;
    set.delete(queue);
    if (!set.size) map.delete(key);
  }

  // --- the listener connection ---------------------------------------------------------------

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (msg.channel === TRANSFER_CHANNEL) this.onNotification(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${TRANSFER_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw err;
    }
    if (this.stopping) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client, err?: Error): void {
    if (client !== this.client) return;
    this.client = null;
    this.droppedAt ??= Date.now();
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
    if (this.stopping) return;
    this.opts.log.warn(
      { err },
      'transfer event listener lost its database connection; reconnecting',
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopping) return;
    const base = Math.min(
      this.opts.reconnectMaxMs,
      this.opts.reconnectMinMs * 2 ** this.reconnectAttempt,
    );
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      try {
        await this.connect();
      } catch (err) {
        this.opts.log.warn(
          { err, attempt: this.reconnectAttempt },
          'transfer event listener could not reconnect yet',
        );
        this.scheduleReconnect();
        return;
      }
      if (this.stopping) return;
      this.reconnectAttempt = 0;
      this.counters.reconnects++;
      const droppedAt = this.droppedAt ?? Date.now();
      this.droppedAt = null;
      this.resyncFrom = Math.min(this.resyncFrom ?? droppedAt, droppedAt);
      this.opts.log.info(
        { downMs: Date.now() - droppedAt },
        'transfer event listener reconnected; resyncing subscribers',
      );
      this.kick();
    }, delay);
  }

  /** A connection can die without telling us (a dropped route): a round trip finds out. */
  private async ping(): Promise<void> {
    const client = this.client;
    if (!client || this.pinging) return;
    this.pinging = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('select 1'),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('listener ping timed out')),
            Math.max(1000, this.opts.pingIntervalMs),
          );
        }),
      ]);
    } catch (err) {
      this.lost(client, err as Error);
    } finally {
      clearTimeout(timer);
      this.pinging = false;
    }
  }

  // --- loading and fan-out -------------------------------------------------------------------

  private onNotification(payload: string | undefined): void {
    this.counters.notifications++;
    let triples: unknown;
    try {
      triples = JSON.parse(payload ?? '');
    } catch {
      triples = null;
    }
    if (!Array.isArray(triples)) {
      this.opts.log.warn(
        { payload: payload?.slice(0, 200) },
        'ignoring a malformed transfer notification',
      );
      return;
    }
    for (const t of triples) {
      if (!isTriple(t)) continue;
      const [organizationId, transferId, batchId] = t;
      if (this.organizationQueues.has(organizationId)) this.pending.add(transferId);
      if (batchId) for (const q of this.batchQueues.get(batchId) ?? []) q.signal();
    }
    this.kick();
  }

  private kick(): void {
    if (this.processing || this.stopping) return;
    if (!this.pending.size && this.resyncFrom === null) return;
    this.processing = true;
    void this.drain()
      .catch((err) => this.opts.log.error({ err }, 'transfer event processing failed'))
      .finally(() => {
        this.processing = false;
        if (!this.stopping && (this.pending.size || this.resyncFrom !== null)) this.kick();
        else for (const w of this.idleWaiters.splice(0)) w();
      });
  }

  /** Resolves when nothing is waiting to be loaded (tests and shutdown). */
  idle(): Promise<void> {
    if (!this.processing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (!this.stopping) {
      if (this.resyncFrom !== null) {
        const from = this.resyncFrom;
        this.resyncFrom = null;
        try {
          await this.resync(from);
        } catch (err) {
          this.opts.log.warn({ err }, 'resync failed; trying again');
          this.resyncFrom = Math.min(this.resyncFrom ?? from, from);
          await sleep(500);
        }
        continue;
      }
      if (!this.pending.size) return;
      const ids: string[] = [];
      for (const id of this.pending) {
        ids.push(id);
        this.pending.delete(id);
        if (ids.length === LOAD_CHUNK) break;
      }
      try {
        const rows = await this.opts.orm.em
          .fork()
          .getConnection()
          .execute<Record<string, unknown>[]>(
            `select ${COLUMNS} from transfer t where t.id in (?)`,
            [ids],
          );
        this.counters.loads++;
        await this.publish(rows, false);
      } catch (err) {
        this.opts.log.warn(
          { err, count: ids.length },
          'loading changed transfers failed; trying again',
        );
        for (const id of ids) this.pending.add(id);
        await sleep(500);
      }
    }
  }

  /** Every change since shortly before `droppedAt`, and a recount for every batch subscriber. */
  private async resync(droppedAt: number): Promise<void> {
    this.counters.resyncs++;
    for (const set of this.batchQueues.values()) for (const q of set) q.signal();
    const organizationIds = [...this.organizationQueues.keys()];
    if (!organizationIds.length) return;
    // Measured on the database clock: now() minus the time since the drop, minus the margin.
    const lookBackMs = Date.now() - droppedAt + this.opts.resyncMarginMs;
    const conn = this.opts.orm.em.fork().getConnection();
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const rows: Record<string, unknown>[] = await conn.execute<Record<string, unknown>[]>(
        `select ${COLUMNS} from transfer t
          where organization_id in (?)
            and updated_at >= now() - make_interval(secs => ?)
            ${after ? 'and (updated_at, id) > (?::timestamptz, ?::uuid)' : ''}
          order by updated_at, id limit ${LOAD_CHUNK}`,
        after
          ? [organizationIds, lookBackMs / 1000, after.at, after.id]
          : [organizationIds, lookBackMs / 1000],
      );
      this.counters.loads++;
      await this.publish(rows, true);
      if (rows.length < LOAD_CHUNK) return;
      const last = rows[rows.length - 1];
      after = { at: last.updated_at as string, id: last.id as string };
    }
  }

  private async publish(rows: Record<string, unknown>[], resync: boolean): Promise<void> {
    for (let i = 0; i < rows.length; i++) {
      // Hundreds of subscribers times a thousand rows: let sockets and timers in between.
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      const row = rows[i];
      const transferId = row.id as string;
      const status = row.status as TransferStatus;
      // updated_at comes as PostgreSQL's text (microseconds), which tells changes apart exactly.
      const key = `${status}|${row.updated_at as string}`;
      if (this.delivered.get(transferId) === key) continue;
      this.remember(transferId, key);
      const organizationId = row.organization_id as string;
      const queues = this.organizationQueues.get(organizationId);
      if (!queues) continue;
      const change: TransferChange = {
        organizationId,
        transferId,
        batchId: (row.batch_id as string | null) ?? null,
        status,
        final: FINAL_STATUSES.has(status),
        occurredAt: new Date(row.updated_at_ms as number),
        row,
        resync,
      };
      this.counters.published++;
      if (resync) this.counters.resyncPublished++;
      observeTransferEventFanOut(change.occurredAt); // metrics: lag from the change to its fan-out
      for (const q of [...queues]) q.push(change);
    }
  }

  private remember(transferId: string, key: string) {
    this.delivered.delete(transferId);
    this.delivered.set(transferId, key);
    if (this.delivered.size > DELIVERED_MEMORY) {
      const oldest = this.delivered.keys().next().value as string;
      this.delivered.delete(oldest);
    }
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
