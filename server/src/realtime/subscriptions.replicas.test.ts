/**
 * Two real server processes on one database: replica A (this process) runs the API and the
 * transfer worker; replica B is a separate `tsx src/main.ts` process, API only. A subscriber on
 * B must see every transfer exported through A reach its final status, in order per transfer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTenant, gid, type Tenant } from '../testing/factories.js';
import { startReplicaProcess, type ReplicaProcess } from '../testing/replica.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import {
  createInvoices,
  exportOverApi,
  finalsInOrder,
  record,
  wsClient,
  type WsClient,
} from '../testing/subscriptions.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../testing/transfers.js';

const STATUS = `subscription($org: ID!) { transferStatusChanged(organizationId: $org) { status final occurredAt transfer { id } } }`;
type Event = {
  transferStatusChanged: {
    status: string;
    final: boolean;
    occurredAt: string;
    transfer: { id: string };
  };
};

let a: TestServer;
let b: ReplicaProcess | undefined;
let t: Tenant;
let ws: WsClient | undefined;

beforeAll(async () => {
  a = await startTestServer({ env: FAST_WORKER_ENV });
  [b, t] = await Promise.all([
    startReplicaProcess(a.db.url, { LEDGERLINK_WORKER: 'off' }),
    createTenant(a.db.orm, 'replicas'),
  ]);
}, 90_000);

afterAll(async () => {
  await ws?.dispose().catch(() => {});
  await b?.stop();
  await a?.stop();
});

it('a subscriber on replica B sees every transfer exported through replica A reach its final status, in order', async () => {
  ws = wsClient(b!.graphqlUrl, { token: t.tokens.read });
  const rec = record<Event>(ws, STATUS, { org: t.orgId });
  // Every 50th fails in the ledger (unknown account): FAILED is a final status too.
  const ids = await createInvoices(a.db.orm, t, 500, (i) =>
    i % 50 === 49 ? { lines: [{ netAmount: '10.00', accountCode: '9999' }] } : {},
  );
  await new Promise((r) => setTimeout(r, 200));
  expect(rec.errors).toEqual([]);

  const { transferIds } = await exportOverApi(a.client({ token: t.tokens.export }), t.orgId, ids);
  expect(transferIds).toHaveLength(500);
  const finalOf = (events: Event[]) =>
    new Set(
      events
        .filter((e) => e.transferStatusChanged.final)
        .map((e) => e.transferStatusChanged.transfer.id),
    );
  await rec.until(
    (events) => finalOf(events).size === 500,
    60_000,
    'all 500 final statuses on replica B',
  );

  const finals = finalsInOrder(
    rec.events.map((e) => ({
      transferId: e.transferStatusChanged.transfer.id,
      status: e.transferStatusChanged.status,
      occurredAt: e.transferStatusChanged.occurredAt,
    })),
  );
  const inDb = await waitForTransfers(a.db.orm, { organizationId: t.org.id });
  expect(new Map(inDb.map((x) => [gid('Transfer', x.id), x.status as string]))).toEqual(finals);
  expect([...finals.values()].filter((s) => s === 'FAILED')).toHaveLength(10);
  expect(rec.errors).toEqual([]);
}, 120_000);
