/**
 * Event latency: from the commit of a transfer status change to its delivery at N subscribers
 * (default 100) connected over graphql-ws to another replica.
 *
 *   - replica B: a real server process (`server/src/main.ts`, API only, NODE_ENV=production) on
 *     the database; the subscribers hold one WebSocket each to it, subscribed to
 *     `transferStatusChanged` of one organization;
 *   - the change: this process plays a worker on another replica: it updates one transfer's
 *     status and calls the engine's own `notifyTransfersChanged` in one transaction; the clock
 *     starts when the transaction's work is done, right before COMMIT is sent;
 *   - a sample per subscriber per change: its receive time minus that start. Changes go one at a
 *     time, the next once every subscriber has the previous one (latency, not throughput).
 *
 * `measureEventLatency()` is what `pnpm bench` calls; `tsx bench/event-latency.ts` runs it alone
 * and prints the figures as one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../server/src/database.js';
import { createLogger } from '../../server/src/logger.js';
import { Transfer } from '../../server/src/modules/transfers/transfer.entity.js';
import {
  DocumentType,
  TransferKind,
  TransferStatus,
  TransferTrigger,
} from '../../server/src/modules/transfers/transfer.enums.js';
import { notifyTransfersChanged } from '../../server/src/modules/transfers/transfer.jobs.js';
import { initOrm, migrate } from '../../server/src/orm.js';
import { createInvoice, createTenant } from '../../server/src/testing/factories.js';
import {
  freePort,
  startReplicaProcess,
  type ReplicaProcess,
} from '../../server/src/testing/replica.js';
import { record, wsClient, type WsClient } from '../../server/src/testing/subscriptions.js';

export interface EventLatencyOptions {
  /** A Ledgerlink database (migrated here if it is not); default: a fresh embedded PostgreSQL. */
  databaseUrl?: string;
  /** Subscribers on the other replica (default 100). */
  subscribers?: number;
  /** Status changes measured (default 200), after `warmup` unmeasured ones (default 20). */
  changes?: number;
  warmup?: number;
  /** Progress lines (default: stderr). */
  log?: (message: string) => void;
}

export interface EventLatencyResult {
  eventP50Ms: number;
  eventP99Ms: number;
  eventMaxMs: number;
  /** subscribers × changes */
  eventSamples: number;
  eventSubscribers: number;
}

const STATUS = `subscription($org: ID!) { transferStatusChanged(organizationId: $org) { status occurredAt transfer { id attempts } } }`;
type Event = {
  transferStatusChanged: {
    status: string;
    occurredAt: string;
    transfer: { id: string; attempts: number };
  };
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export async function measureEventLatency(
  opts: EventLatencyOptions = {},
): Promise<EventLatencyResult> {
  const subscribers = opts.subscribers ?? 100;
  const changes = opts.changes ?? 200;
  const warmup = opts.warmup ?? 20;
  const say = opts.log ?? ((m: string) => process.stderr.write(`[event-latency] ${m}\n`));
  const log = createLogger('warn', 'event-latency');

  let dataDir: string | undefined;
  let stopDb = async () => {};
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-event-latency-'));
    // Run as root, embedded PostgreSQL runs as its own user, which must reach the data below.
    fs.chmodSync(dataDir, 0o755);
    const db = await openDatabase({ dataDir, port: await freePort(), database: 'events', log });
    databaseUrl = db.url;
    stopDb = db.stop;
  }
  const orm = await initOrm(databaseUrl, log, 4);
  let replica: ReplicaProcess | undefined;
  const sockets: WsClient[] = [];
  try {
    await migrate(orm, log);
    const tenant = await createTenant(orm, `latency-${Date.now().toString(36)}`);
    const invoice = await createInvoice(orm.em.fork(), tenant);
    const em = orm.em.fork();
    const transfer = em.create(Transfer, {
      organization: tenant.org,
      documentType: DocumentType.INVOICE,
      invoice,
      documentVersion: 1,
      kind: TransferKind.POST,
      trigger: TransferTrigger.MANUAL,
      status: TransferStatus.QUEUED,
    });
    await em.flush();

    say(`starting replica B and ${subscribers} subscribers`);
    replica = await startReplicaProcess(databaseUrl, {
      LEDGERLINK_WORKER: 'off',
      NODE_ENV: 'production',
      // Every simulated subscriber uses the one read token.
      LEDGERLINK_WS_MAX_SOCKETS_PER_CALLER: String(subscribers + 10),
    });
    const started = new Map<number, number>();
    const samples: number[] = [];
    const seen = new Map<number, number>();
    let measuring = false;
    const waiters = new Map<number, () => void>();
    for (let i = 0; i < subscribers; i++) {
      const ws = wsClient(replica.graphqlUrl, { token: tenant.tokens.read });
      sockets.push(ws);
      record<Event>(
        ws,
        STATUS,
        { org: tenant.orgId },
        {
          keep: false,
          onEvent: (e) => {
            const at = performance.now();
            // Each change sets the transfer's attempts to its own number.
            const change = e.transferStatusChanged.transfer.attempts;
            if (!started.has(change)) return;
            if (measuring) samples.push(at - started.get(change)!);
            const n = (seen.get(change) ?? 0) + 1;
            seen.set(change, n);
            if (n === subscribers) waiters.get(change)?.();
          },
        },
      );
    }
    const statuses = [TransferStatus.SENDING, TransferStatus.RETRYING];
    const change = async (n: number, timeoutMs: number) => {
      const delivered = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `change ${n} reached ${seen.get(n) ?? 0} of ${subscribers} subscribers in ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
        waiters.set(n, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await orm.em.fork().transactional(async (tx) => {
        await tx
          .getConnection()
          .execute(
            `update transfer set status = ?, attempts = ?, updated_at = now() where id = ?`,
            [statuses[n % 2], n, transfer.id],
            'run',
            tx.getTransactionContext(),
          );
        await notifyTransfersChanged(tx, [
          { organizationId: tenant.org.id, transferId: transfer.id, batchId: null },
        ]);
        started.set(n, performance.now());
      });
      await delivered;
    };

    // Every subscriber is subscribed once a change reaches them all; then the warm-up.
    const deadline = Date.now() + 60_000;
    for (let n = 1, reachedAll = 0; reachedAll <= warmup; n++) {
      try {
        await change(n, 1_000);
        reachedAll++;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
    say(`measuring ${changes} changes`);
    measuring = true;
    for (let n = warmup + 1_000; n < warmup + 1_000 + changes; n++) {
      await change(n, 10_000);
      await new Promise((r) => setTimeout(r, 5));
    }
    measuring = false;

    samples.sort((a, b) => a - b);
    return {
      eventP50Ms: round(percentile(samples, 50)),
      eventP99Ms: round(percentile(samples, 99)),
      eventMaxMs: round(samples[samples.length - 1]),
      eventSamples: samples.length,
      eventSubscribers: subscribers,
    };
  } finally {
    await Promise.all(sockets.map((s) => s.dispose().catch(() => {})));
    await replica?.stop();
    await orm.close(true);
    await stopDb();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureEventLatency()
    .then((result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
