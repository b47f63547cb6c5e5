// A worker owns a SENDING transfer only through the claim it made. When it is too slow (a long GC
// pause, a stalled network) the sweeper declares the transfer orphaned and another worker claims
// it again; the slow worker's late outcome must then change nothing.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountingTransientError,
  type AccountingSystem,
} from '../../accounting/accounting-system.js';
import { BuiltinLedger } from '../../accounting/ledger/builtin-ledger.js';
import { fromGlobalId } from '../../common/ids.js';
import { createInvoice, createTenant, gid, type Tenant } from '../../testing/factories.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { DEFAULT_WORKER_OPTIONS, TransferProcessor } from './transfer.worker.js';

const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id } userErrors { code message } } }`;

/** The built-in ledger, but each postInvoice waits until the test lets it go on (or fail). */
function gatedLedger(ledger: BuiltinLedger) {
  const gates: { reached: () => void; release: (fail?: Error) => void }[] = [];
  const waiting: Promise<void>[] = [];
  const accounting = new Proxy(ledger, {
    get(target, prop, receiver) {
      if (prop !== 'postInvoice') return Reflect.get(target, prop, receiver) as unknown;
      return async (...args: Parameters<AccountingSystem['postInvoice']>) => {
        const gate = gates.shift();
        if (!gate) return target.postInvoice(...args);
        const failure = await new Promise<Error | undefined>((resolve) => {
          gate.release = resolve;
          gate.reached();
        });
        if (failure) throw failure;
        return target.postInvoice(...args);
      };
    },
  });
  /** Arms a gate for the next call; resolves with its release once a call is waiting at it. */
  const arm = () => {
    let reached!: () => void;
    const arrived = new Promise<void>((r) => (reached = r));
    const gate = { reached, release: (() => {}) as (fail?: Error) => void };
    gates.push(gate);
    waiting.push(arrived);
    return arrived.then(() => gate.release);
  };
  return { accounting: accounting as AccountingSystem, arm };
}

describe('a transfer belongs to the claim that is sending it', () => {
  let srv: TestServer;
  let t: Tenant;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'owner');
  });
  afterAll(() => srv?.stop());

  const state = async (id: string) => {
    const [row] = await srv.db.sql<{ status: string; claim_token: string | null }>(
      `select status, claim_token from transfer where id = $1`,
      [id],
    );
    return row;
  };

  it("a slow worker's late outcome does not overwrite the worker that took the transfer over", async () => {
    const invoice = await createInvoice(srv.db.orm.em.fork(), t, {
      billDate: new Date().toISOString().slice(0, 10),
    });
    const res = await srv.client({ token: t.tokens.export })(EXPORT, {
      input: {
        organizationId: t.orgId,
        invoiceIds: [gid('PurchaseInvoice', invoice.id)],
        idempotencyKey: randomUUID(),
      },
    });
    expect(res.data!.exportInvoices.userErrors).toEqual([]);
    const transferId = fromGlobalId(res.data!.exportInvoices.transfers[0].id, 'Transfer')!;

    const { accounting, arm } = gatedLedger(new BuiltinLedger(srv.db.orm));
    const opts = { ...DEFAULT_WORKER_OPTIONS, staleAfterMs: 100, heartbeatMs: 3_600_000 };
    const log = pino({ level: 'silent' });
    const slow = new TransferProcessor(srv.db.orm, accounting, log, opts);
    const other = new TransferProcessor(srv.db.orm, accounting, log, opts);

    // The slow worker claims and stalls in the call; its heartbeat never comes.
    const slowAtGate = arm();
    const slowRun = slow.process([transferId]);
    const releaseSlow = await slowAtGate;
    const slowClaim = await state(transferId);
    expect(slowClaim.status).toBe('SENDING');
    expect(slowClaim.claim_token).not.toBeNull();

    // The sweeper presumes it dead; another worker claims the transfer and is sending it.
    await new Promise((r) => setTimeout(r, 300));
    expect((await other.sweep()).orphaned).toBe(1);
    expect(await state(transferId)).toMatchObject({ status: 'IN_DOUBT', claim_token: null });
    const otherAtGate = arm();
    const otherRun = other.process([transferId]);
    const releaseOther = await otherAtGate;
    const otherClaim = await state(transferId);
    expect(otherClaim.status).toBe('SENDING');
    expect(otherClaim.claim_token).not.toBe(slowClaim.claim_token);

    // The slow worker wakes up with a transient failure: recording it would say RETRYING while
    // the other worker is mid-send. It must change nothing.
    releaseSlow(new AccountingTransientError('connection reset'));
    await slowRun;
    expect(await state(transferId)).toEqual(otherClaim);
    const [{ retrying }] = await srv.db.sql<{ retrying: string }>(
      `select count(*) as retrying from audit_event where entity_id = $1 and action = 'transfer.retrying'`,
      [transferId],
    );
    expect(Number(retrying)).toBe(0);

    // The owner's outcome lands, once.
    releaseOther();
    await otherRun;
    expect(await state(transferId)).toEqual({ status: 'TRANSFERRED', claim_token: null });
    const [{ entries }] = await srv.db.sql<{ entries: string }>(
      `select count(*) as entries from ledger.entry where organization_id = $1 and idempotency_key = $2`,
      [t.org.id, transferId],
    );
    expect(Number(entries)).toBe(1);
  });
});
