/**
 * GraphQL subscriptions over graphql-ws on a real server: the events and their order, batch
 * progress, and who may connect and subscribe (and for how long).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../common/ids.js';
import { Membership, Role } from '../modules/organizations/organization.entity.js';
import { User } from '../modules/users/user.entity.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { TOO_MANY_SOCKETS } from './ws-server.js';
import {
  exportOverApi,
  finalsInOrder,
  record,
  TRANSFER_BATCH_PROGRESS,
  TRANSFER_STATUS_CHANGED,
  wsClient,
  type StatusEvent,
  type WsClient,
} from '../testing/subscriptions.js';
import { FAST_WORKER_ENV } from '../testing/transfers.js';

type BatchEvent = {
  transferBatchProgress: {
    id: string;
    total: number;
    queued: number;
    sending: number;
    transferred: number;
    failed: number;
    inDoubt: number;
    status: string;
  };
};

const FORBIDDEN = 4403;
/** Time for a subscribe to reach the server and be answered. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('transfer subscriptions over graphql-ws', () => {
  let srv: TestServer;
  let t: Tenant;
  let other: Tenant;
  const sockets: WsClient[] = [];
  const connect = (auth: Parameters<typeof wsClient>[1]) => {
    const ws = wsClient(srv.url, auth);
    sockets.push(ws);
    return ws;
  };
  /** Resolves once the hub has this many organization subscribers (the subscribe went through). */
  const subscribed = async (n: number) => {
    const deadline = Date.now() + 5000;
    while (srv.app.services.transferEvents!.stats().organizationSubscribers < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} subscribers`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  beforeAll(async () => {
    srv = await startTestServer({ env: FAST_WORKER_ENV });
    t = await createTenant(srv.db.orm, 'live');
    other = await createTenant(srv.db.orm, 'elsewhere');
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose().catch(() => {})));
    await srv?.stop();
  });

  it('streams every status change of the organization, in order per transfer, with document, errors and time', async () => {
    const ws = connect({ token: t.tokens.read });
    const rec = record<StatusEvent>(ws, TRANSFER_STATUS_CHANGED, { org: t.orgId });
    const elsewhere = record<StatusEvent>(
      connect({ token: other.tokens.read }),
      TRANSFER_STATUS_CHANGED,
      { org: other.orgId },
    );
    await subscribed(2);
    const em = srv.db.orm.em.fork();
    const good = [await createInvoice(em, t), await createInvoice(em, t)];
    const bad = await createInvoice(em, t, {
      lines: [{ netAmount: '10.00', accountCode: '9999' }],
    });
    const started = Date.now();
    const { batchId, transferIds } = await exportOverApi(
      srv.client({ token: t.tokens.export }),
      t.orgId,
      [...good, bad].map((i) => gid('PurchaseInvoice', i.id)),
    );
    await rec.until(
      (ev) => ev.filter((e) => e.transferStatusChanged.final).length === 3,
      15_000,
      'three final statuses',
    );

    const events = rec.events.map((e) => e.transferStatusChanged);
    const finals = finalsInOrder(
      events.map((e) => ({
        transferId: e.transfer.id,
        status: e.status,
        occurredAt: e.occurredAt,
      })),
    );
    expect(new Set(events.map((e) => e.transfer.id))).toEqual(new Set(transferIds));
    expect(finals.get(transferIds[0])).toBe('TRANSFERRED');
    expect(finals.get(transferIds[2])).toBe('FAILED');
    // Each transfer starts QUEUED (the export's own commit) and ends final.
    for (const id of transferIds) {
      const mine = events.filter((e) => e.transfer.id === id);
      expect(mine[0].status).toBe('QUEUED');
      expect(mine.at(-1)!.final).toBe(true);
    }
    const failed = events.find((e) => e.transfer.id === transferIds[2] && e.final)!;
    expect(failed).toMatchObject({
      status: 'FAILED',
      invoiceId: gid('PurchaseInvoice', bad.id),
      paymentId: null,
      resync: false,
    });
    expect(failed.errors.map((e) => e.code)).toContain('ACCOUNT_NOT_FOUND');
    const ok = events.find((e) => e.transfer.id === transferIds[0] && e.final)!;
    expect(ok).toMatchObject({
      status: 'TRANSFERRED',
      invoiceId: gid('PurchaseInvoice', good[0].id),
      errors: [],
    });
    expect((ok as unknown as { batchId: string }).batchId).toBe(batchId);
    expect(Date.parse(ok.occurredAt)).toBeGreaterThanOrEqual(started - 1000);
    // Every event is resolved in its own EntityManager: the invoice read for a final event shows
    // the final state, not what an identity map shared with the QUEUED event would still hold.
    for (const e of events.filter((x) => x.final))
      expect(e.transfer.invoice!.transferStatus).toBe(e.status);
    // Another organization's subscriber saw none of it.
    expect(elsewhere.count).toBe(0);
    rec.unsubscribe();
    elsewhere.unsubscribe();
  });

  it('batch progress: the state now, then on every change, and completes when the batch is done', async () => {
    const em = srv.db.orm.em.fork();
    const invoices = [];
    for (let i = 0; i < 60; i++) invoices.push(await createInvoice(em, t));
    invoices.push(
      await createInvoice(em, t, { lines: [{ netAmount: '10.00', accountCode: '9999' }] }),
    );
    const ws = connect({ token: t.tokens.read });
    const { batchId } = await exportOverApi(
      srv.client({ token: t.tokens.export }),
      t.orgId,
      invoices.map((i) => gid('PurchaseInvoice', i.id)),
    );
    const rec = record<BatchEvent>(ws, TRANSFER_BATCH_PROGRESS, { batch: batchId });
    await rec.done;
    const states = rec.events.map((e) => e.transferBatchProgress);
    expect(states.length).toBeGreaterThan(1);
    const last = states.at(-1)!;
    expect(last).toEqual({
      id: batchId,
      total: 61,
      queued: 0,
      sending: 0,
      transferred: 60,
      failed: 1,
      inDoubt: 0,
      status: 'DONE',
    });
    // Only the last one is done (the one before may already count everything final: counts are
    // read as each state is sent, and the DONE state follows at once); progress never goes back.
    expect(states.slice(0, -1).every((s) => s.status === 'RUNNING')).toBe(true);
    expect(states.slice(0, -2).every((s) => s.queued + s.sending + s.inDoubt > 0)).toBe(true);
    for (let i = 1; i < states.length; i++) {
      expect(states[i].transferred + states[i].failed).toBeGreaterThanOrEqual(
        states[i - 1].transferred + states[i - 1].failed,
      );
    }

    // Subscribing to a batch that is already done: its final state, then complete.
    const again = record<BatchEvent>(ws, TRANSFER_BATCH_PROGRESS, { batch: batchId });
    await again.done;
    expect(again.events.map((e) => e.transferBatchProgress)).toEqual([last]);
  });

  describe('auth', () => {
    it('refuses a socket without credentials or with a bad token at connection_init (4403)', async () => {
      for (const auth of [
        {},
        { token: 'll_not-a-token' },
        { connectionParams: { token: 'garbage' } },
      ]) {
        const ws = connect(auth);
        expect((await ws.closed).code).toBe(FORBIDDEN);
      }
    });

    it('accepts the token as connectionParams.token, and the session cookie of a same-origin page', async () => {
      const before = srv.app.services.transferEvents!.stats().organizationSubscribers;
      const viaToken = connect({ connectionParams: { token: t.tokens.read } });
      const a = record(viaToken, TRANSFER_STATUS_CHANGED, { org: t.orgId });
      const session = await srv.login(t.users.viewer.email, TEST_PASSWORD);
      const viaCookie = connect({ cookie: session.cookie, origin: srv.app.url });
      const b = record(viaCookie, TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await subscribed(before + 2);
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
      a.unsubscribe();
      b.unsubscribe();
    });

    it('ignores the session cookie when another origin opened the socket (cross-site WebSocket hijacking)', async () => {
      const session = await srv.login(t.users.admin.email, TEST_PASSWORD);
      const ws = connect({ cookie: session.cookie, origin: 'https://evil.example' });
      expect((await ws.closed).code).toBe(FORBIDDEN);
      // Outside production a loopback page on another port (the Vite dev server) may use it.
      const dev = connect({ cookie: session.cookie, origin: 'http://localhost:5173' });
      const rec = record(dev, TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await settle();
      expect(rec.errors).toEqual([]);
      rec.unsubscribe();
    });

    it("refuses another tenant's organization and batch exactly like missing ones", async () => {
      const ws = connect({ token: t.tokens.read });
      const em = srv.db.orm.em.fork();
      const theirs = await exportOverApi(srv.client({ token: other.tokens.export }), other.orgId, [
        gid('PurchaseInvoice', (await createInvoice(em, other)).id),
      ]);
      const attempts = {
        foreignOrg: record(ws, TRANSFER_STATUS_CHANGED, { org: other.orgId }),
        missingOrg: record(ws, TRANSFER_STATUS_CHANGED, {
          org: toGlobalId('Organization', randomUUID()),
        }),
        malformedOrg: record(ws, TRANSFER_STATUS_CHANGED, { org: 'nope' }),
        foreignBatch: record(ws, TRANSFER_BATCH_PROGRESS, { batch: theirs.batchId }),
        missingBatch: record(ws, TRANSFER_BATCH_PROGRESS, {
          batch: toGlobalId('TransferBatch', randomUUID()),
        }),
      };
      const errors: Record<string, unknown> = {};
      for (const [name, rec] of Object.entries(attempts)) {
        await rec.done.catch(() => {});
        expect(rec.count, name).toBe(0);
        const [err] = rec.errors as { message: string; extensions: { code: string } }[];
        errors[name] = { message: err.message, code: err.extensions.code };
      }
      expect(errors.foreignOrg).toEqual({ message: 'Organization not found', code: 'NOT_FOUND' });
      expect(errors.missingOrg).toEqual(errors.foreignOrg);
      expect(errors.malformedOrg).toEqual(errors.foreignOrg);
      expect(errors.foreignBatch).toEqual({
        message: 'Transfer batch not found',
        code: 'NOT_FOUND',
      });
      expect(errors.missingBatch).toEqual(errors.foreignBatch);
    });

    it('checks again at every subscribe: a membership removed after connecting refuses the next subscribe', async () => {
      const em = srv.db.orm.em.fork();
      const email = `member-${randomUUID().slice(0, 8)}@live.test`;
      const user = em.create(User, {
        email,
        name: 'Soon gone',
        passwordHash: t.users.viewer.passwordHash,
      });
      em.create(Membership, { organization: t.org.id, user, role: Role.VIEWER });
      await em.flush();
      const userId = user.id;
      const session = await srv.login(email, TEST_PASSWORD);
      const ws = connect({ cookie: session.cookie });
      const first = record(ws, TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await settle();
      expect(first.errors).toEqual([]);
      await srv.db.sql(`delete from membership where user_id = $1`, [userId]);
      const second = record(ws, TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await second.done.catch(() => {});
      expect((second.errors[0] as { extensions: { code: string } }).extensions.code).toBe(
        'NOT_FOUND',
      );
      first.unsubscribe();
    });

    it('closes the socket within seconds when its token is revoked', async () => {
      const em = srv.db.orm.em.fork();
      const { createApiClient } = await import('../modules/api-clients/api-client.service.js');
      const { ApiScope } = await import('../modules/api-clients/api-client.entity.js');
      const { token, client } = await createApiClient(
        em,
        t.org,
        'soon revoked',
        [ApiScope.READ],
        null,
      );
      const ws = connect({ token });
      const rec = record(ws, TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await settle();
      expect(rec.errors).toEqual([]);
      const revokedAt = Date.now();
      await srv.db.sql(`update api_client set revoked_at = now() where id = $1`, [client.id]);
      const closed = await ws.closed;
      expect(closed.code).toBe(FORBIDDEN);
      expect(closed.reason).toMatch(/revoked/);
      // The check runs every 2 s by default.
      expect(Date.now() - revokedAt).toBeLessThan(4_500);
    });

    it('closes the socket within seconds when its session logs out', async () => {
      const session = await srv.login(t.users.accountant.email, TEST_PASSWORD);
      const cookie = session.cookie;
      const ws = connect({ cookie });
      const rec = record(ws, TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await settle();
      expect(rec.errors).toEqual([]);
      const loggedOutAt = Date.now();
      const out = await session(`mutation { logout { userErrors { code } } }`);
      expect(out.data!.logout.userErrors).toEqual([]);
      expect((await ws.closed).code).toBe(FORBIDDEN);
      expect(Date.now() - loggedOutAt).toBeLessThan(4_500);
    });

    it('serves only subscriptions over the socket: queries and mutations go through HTTP', async () => {
      const ws = connect({ token: t.tokens.read });
      const rec = record(ws, `query { viewer { organizations { id } } }`, {});
      await rec.done.catch(() => {});
      expect(rec.count).toBe(0);
      expect((rec.errors[0] as { message: string }).message).toMatch(/Only subscriptions/);
    });
  });

  it('unsubscribing detaches from the hub; stopping the server closes sockets as going away (1001), promptly', async () => {
    const second = await startTestServer({ db: srv.db, env: { LEDGERLINK_WORKER: 'off' } });
    const ws = wsClient(second.url, { token: t.tokens.read });
    const hub = second.app.services.transferEvents!;
    const rec = record(ws, TRANSFER_STATUS_CHANGED, { org: t.orgId });
    const deadline = Date.now() + 5000;
    while (hub.stats().organizationSubscribers < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(hub.stats().organizationSubscribers).toBe(1);
    rec.unsubscribe();
    while (hub.stats().organizationSubscribers > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(hub.stats().organizationSubscribers).toBe(0);
    record(ws, TRANSFER_STATUS_CHANGED, { org: t.orgId });
    while (hub.stats().organizationSubscribers < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const stopping = Date.now();
    await second.stop();
    expect((await ws.closed).code).toBe(1001);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(hub.stats()).toMatchObject({ connected: false, organizationSubscribers: 0 });
  });
});

describe('sockets per token or user', () => {
  it('a caller holds at most LEDGERLINK_WS_MAX_SOCKETS_PER_CALLER sockets; others and freed slots are unaffected', async () => {
    const srv = await startTestServer({
      env: { LEDGERLINK_WORKER: 'off', LEDGERLINK_WS_MAX_SOCKETS_PER_CALLER: '2' },
    });
    const t = await createTenant(srv.db.orm, 'sockets');
    const hub = srv.app.services.transferEvents!;
    const open: WsClient[] = [];
    const connect = (token: string) => {
      const ws = wsClient(srv.url, { token });
      open.push(ws);
      return ws;
    };
    const subscribers = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (hub.stats().organizationSubscribers !== n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} subscribers`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    try {
      const first = connect(t.tokens.read);
      record(first, TRANSFER_STATUS_CHANGED, { org: t.orgId });
      record(connect(t.tokens.read), TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await subscribers(2);

      const third = connect(t.tokens.read);
      const refused = await third.closed;
      expect(refused.code).toBe(TOO_MANY_SOCKETS);
      expect(refused.reason).toMatch(/at most 2 per token or user/);

      // Another token has its own allowance.
      record(connect(t.tokens.export), TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await subscribers(3);

      // A closed socket frees its slot.
      await first.dispose();
      await subscribers(2);
      record(connect(t.tokens.read), TRANSFER_STATUS_CHANGED, { org: t.orgId });
      await subscribers(3);
    } finally {
      await Promise.all(open.map((s) => s.dispose().catch(() => {})));
      await srv.stop();
    }
  });
});
