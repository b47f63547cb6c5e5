/**
 * 200 concurrent subscribers on one replica and a 1,000-invoice batch (two exports of 500, the
 * API's cap per call): each receives every final status. One more subscriber reads nothing while
 * the batch runs and asks for large events: its server-side buffer stays bounded (coalescing
 * leaves at most one entry per transfer), and once it reads again it still gets every final.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTenant, gid, type Tenant } from '../testing/factories.js';
import { startWorkerProcess } from '../testing/replica.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import {
  createInvoices,
  exportOverApi,
  finalsInOrder,
  record,
  wsClient,
  type Recording,
  type WsClient,
} from '../testing/subscriptions.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../testing/transfers.js';

const SUBSCRIBERS = 200;
const INVOICES = 1000;

const STATUS = `subscription($org: ID!) { transferStatusChanged(organizationId: $org) { status final transfer { id } } }`;
type Event = {
  transferStatusChanged: { status: string; final: boolean; transfer: { id: string } };
};

/** The transfer eighteen times over (within the API's alias limit): ~5 KB per event, so a client that stops reading fills the socket buffers fast. */
const BIG = `subscription($org: ID!) { transferStatusChanged(organizationId: $org) { status final occurredAt transfer { id }
  ${Array.from({ length: 18 }, (_, i) => `t${i}: transfer { id documentType documentVersion kind status trigger attempts createdAt updatedAt finishedAt }`).join('\n')} } }`;
type BigEvent = {
  transferStatusChanged: {
    status: string;
    final: boolean;
    occurredAt: string;
    transfer: { id: string };
  };
};

let srv: TestServer;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
let t: Tenant;
const sockets: WsClient[] = [];

beforeAll(async () => {
  // The replica under test serves the API only; a worker process sends the transfers, as in a
  // deployment (and so the fan-out here does not starve the worker's heartbeats).
  // The stalled client below answers no pings while it reads nothing; it is not dropped for that here.
  srv = await startTestServer({
    // The crowd below shares one read token.
    env: {
      LEDGERLINK_WORKER: 'off',
      LEDGERLINK_WS_KEEPALIVE_MS: '600000',
      LEDGERLINK_WS_MAX_SOCKETS_PER_CALLER: '1000',
    },
  });
  [worker, t] = await Promise.all([
    startWorkerProcess(srv.db.url, FAST_WORKER_ENV),
    createTenant(srv.db.orm, 'crowd'),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose().catch(() => {})));
  await worker?.stop();
  await srv?.stop();
});

it(
  '200 subscribers receive every final status of a 1,000-invoice batch; a stalled one stays bounded and catches up',
  { timeout: 240_000, retry: 1 },
  async () => {
    const hub = srv.app.services.transferEvents!;
    const ids = await createInvoices(srv.db.orm, t, INVOICES);

    // Each subscriber counts the final statuses it got per transfer (keeping 200 × 3,000 events would
    // measure the test, not the server).
    const finals: Map<string, string>[] = [];
    const crowd: Recording<Event>[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const ws = wsClient(srv.url, { token: t.tokens.read });
      sockets.push(ws);
      const mine = new Map<string, string>();
      finals.push(mine);
      crowd.push(
        record<Event>(
          ws,
          STATUS,
          { org: t.orgId },
          {
            keep: false,
            onEvent: (e) => {
              if (e.transferStatusChanged.final)
                mine.set(e.transferStatusChanged.transfer.id, e.transferStatusChanged.status);
            },
          },
        ),
      );
    }
    const slowWs = wsClient(srv.url, { token: t.tokens.read });
    sockets.push(slowWs);
    const slow = record<BigEvent>(slowWs, BIG, { org: t.orgId });
    while (hub.stats().organizationSubscribers < SUBSCRIBERS + 1)
      await new Promise((r) => setTimeout(r, 20));
    // The slow client stops reading its socket: the server's writes back up, and its buffer grows.
    slowWs.socket()!.pause();

    const exports = [
      await exportOverApi(srv.client({ token: t.tokens.export }), t.orgId, ids.slice(0, 500)),
    ];
    exports.push(
      await exportOverApi(srv.client({ token: t.tokens.export }), t.orgId, ids.slice(500)),
    );
    const transferIds = new Set(exports.flatMap((e) => e.transferIds));
    expect(transferIds.size).toBe(INVOICES);

    const inDb = await waitForTransfers(srv.db.orm, { organizationId: t.org.id }, 90_000);
    const expected = new Map(inDb.map((x) => [gid('Transfer', x.id), x.status as string]));
    const deadline = Date.now() + 60_000;
    while (finals.some((f) => f.size < INVOICES)) {
      if (Date.now() > deadline) {
        throw new Error(
          `subscribers with missing finals: ${finals
            .filter((f) => f.size < INVOICES)
            .map((f) => f.size)
            .join(', ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const f of finals) expect(f).toEqual(expected);
    expect(crowd.every((r) => r.errors.length === 0)).toBe(true);

    // The stalled subscriber: about three events per transfer were published to it, yet its buffer
    // never held more than one entry per transfer, and it really was behind.
    const [stalled] = hub.subscriberStats().filter((s) => s.size > 0);
    expect(stalled).toBeDefined();
    expect(stalled.pushed).toBeGreaterThanOrEqual(2 * INVOICES);
    expect(stalled.highWater).toBeGreaterThan(100);
    expect(stalled.highWater).toBeLessThanOrEqual(INVOICES);
    expect(stalled.coalesced).toBeGreaterThan(0);
    expect(stalled.overflowed).toBe(false);
    expect(hub.stats().maxBuffered).toBe(stalled.highWater);

    // Reading again, it gets every final status, in order per transfer.
    slowWs.socket()!.resume();
    await slow.until(
      (events) =>
        new Set(
          events
            .filter((e) => e.transferStatusChanged.final)
            .map((e) => e.transferStatusChanged.transfer.id),
        ).size === INVOICES,
      60_000,
      'the stalled subscriber catching up',
    );
    const slowFinals = finalsInOrder(
      slow.events.map((e) => ({
        transferId: e.transferStatusChanged.transfer.id,
        status: e.transferStatusChanged.status,
        occurredAt: e.transferStatusChanged.occurredAt,
      })),
    );
    expect(slowFinals).toEqual(expected);
    expect(slow.count).toBeLessThan(stalled.pushed);
  },
);
