/**
 * The LISTEN connection dies in the middle of a batch (pg_terminate_backend, as a failover or an
 * idle-connection killer would): the listener reconnects by itself and resyncs, and subscribers
 * still end with every final status.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BuiltinLedger } from '../../../accounting/ledger/builtin-ledger.js';
import { fromGlobalId } from '../../../common/ids.js';
import { DEFAULT_WORKER_OPTIONS, TransferProcessor } from '../transfer.worker.js';
import { LISTENER_APPLICATION_NAME } from './transfer-events.js';
import { createTenant, gid, type Tenant } from '../../../testing/factories.js';
import { startTestServer, type TestServer } from '../../../testing/server.js';
import {
  createInvoices,
  exportOverApi,
  finalsInOrder,
  record,
  TRANSFER_BATCH_PROGRESS,
  wsClient,
  type WsClient,
} from '../../../testing/subscriptions.js';
import { waitForTransfers } from '../../../testing/transfers.js';

const STATUS = `subscription($org: ID!) { transferStatusChanged(organizationId: $org) { status final occurredAt resync transfer { id } } }`;
type Event = {
  transferStatusChanged: {
    status: string;
    final: boolean;
    occurredAt: string;
    resync: boolean;
    transfer: { id: string };
  };
};
type BatchEvent = {
  transferBatchProgress: {
    total: number;
    transferred: number;
    failed: number;
    queued: number;
    sending: number;
    inDoubt: number;
    status: string;
  };
};

let srv: TestServer;
let t: Tenant;
let worker: TransferProcessor;
const sockets: WsClient[] = [];

beforeAll(async () => {
  // Reconnecting takes at least 1 s here. The test sends the transfers itself (no background
  // worker), so "part of the batch before the drop, the rest while nobody listens" holds however
  // fast the engine is.
  srv = await startTestServer({
    env: { LEDGERLINK_WORKER: 'off', LEDGERLINK_LISTENER_RECONNECT_MIN_MS: '1000' },
  });
  t = await createTenant(srv.db.orm, 'listener');
  worker = new TransferProcessor(
    srv.db.orm,
    new BuiltinLedger(srv.db.orm),
    pino({ level: 'silent' }),
    DEFAULT_WORKER_OPTIONS,
  );
});

/** Sends the transfers in jobs of 50, as the background worker would. */
async function send(globalIds: string[]) {
  const ids = globalIds.map((id) => fromGlobalId(id, 'Transfer')!);
  for (let i = 0; i < ids.length; i += 50) await worker.process(ids.slice(i, i + 50));
}

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose().catch(() => {})));
  await srv?.stop();
});

it('pg_terminate_backend on the listener during a batch: subscribers still end with every final status', async () => {
  const hub = srv.app.services.transferEvents!;
  const ids = await createInvoices(srv.db.orm, t, 400);

  const subscribers = [
    wsClient(srv.url, { token: t.tokens.read }),
    wsClient(srv.url, { token: t.tokens.admin }),
  ];
  sockets.push(...subscribers);
  const recs = subscribers.map((ws) => record<Event>(ws, STATUS, { org: t.orgId }));
  while (hub.stats().organizationSubscribers < 2) await new Promise((r) => setTimeout(r, 10));

  const { batchId, transferIds } = await exportOverApi(
    srv.client({ token: t.tokens.export }),
    t.orgId,
    ids,
  );
  const progress = record<BatchEvent>(subscribers[0], TRANSFER_BATCH_PROGRESS, { batch: batchId });
  const finalsOf = (events: Event[]) =>
    new Set(
      events
        .filter((e) => e.transferStatusChanged.final)
        .map((e) => e.transferStatusChanged.transfer.id),
    );
  await send(transferIds.slice(0, 50));
  await recs[0].until((events) => finalsOf(events).size >= 10, 30_000, 'the batch under way');

  const [{ pid }] = await srv.db.sql<{ pid: number }>(
    `select pid from pg_stat_activity where application_name = $1 and datname = current_database()`,
    [LISTENER_APPLICATION_NAME],
  );
  expect(pid).toBe(await hub.listenerPid());
  const [{ terminated }] = await srv.db.sql<{ terminated: boolean }>(
    `select pg_terminate_backend($1) as terminated`,
    [pid],
  );
  expect(terminated).toBe(true);
  const finalsAtDrop = finalsOf(recs[0].events).size;
  expect(finalsAtDrop).toBeLessThan(transferIds.length);
  // The rest of the batch is sent now, while the listener is down and reconnecting.
  await send(transferIds.slice(50));

  for (const rec of recs) {
    await rec.until(
      (events) => finalsOf(events).size === transferIds.length,
      60_000,
      'every final status after the drop',
    );
  }
  await progress.done;

  const inDb = new Map(
    (await waitForTransfers(srv.db.orm, { organizationId: t.org.id })).map((x) => [
      gid('Transfer', x.id),
      x.status as string,
    ]),
  );
  for (const rec of recs) {
    const finals = finalsInOrder(
      rec.events.map((e) => ({
        transferId: e.transferStatusChanged.transfer.id,
        status: e.transferStatusChanged.status,
        occurredAt: e.transferStatusChanged.occurredAt,
      })),
    );
    expect(finals).toEqual(inDb);
    expect(rec.errors).toEqual([]);
  }
  // It was the resync that caught up: changes committed while nobody listened came from it.
  const stats = hub.stats();
  expect(stats.connected).toBe(true);
  expect(stats.reconnects).toBe(1);
  expect(stats.resyncs).toBe(1);
  expect(stats.resyncPublished).toBeGreaterThan(0);
  expect(
    recs[0].events.some((e) => e.transferStatusChanged.resync && e.transferStatusChanged.final),
  ).toBe(true);
  expect(progress.events.at(-1)!.transferBatchProgress).toMatchObject({
    total: 400,
    transferred: 400,
    queued: 0,
    sending: 0,
    inDoubt: 0,
    status: 'DONE',
  });
  // A new pid listens now.
  const [{ pid: newPid }] = await srv.db.sql<{ pid: number }>(
    `select pid from pg_stat_activity where application_name = $1 and datname = current_database()`,
    [LISTENER_APPLICATION_NAME],
  );
  expect(newPid).not.toBe(pid);
}, 120_000);
