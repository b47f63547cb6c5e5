// An in-doubt transfer whose look-ups fail must stay in doubt, however often they fail: its first
// send may well have committed, so FAILED (or a fresh send counted as a retry) would be a lie and
// invite a second document. Built-in ledger behind the fault injector, real PostgreSQL.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountingOutcomeUnknown,
  type AccountingSystem,
} from '../../accounting/accounting-system.js';
import { FaultInjectingAccounting } from '../../accounting/faults/index.js';
import { BuiltinLedger } from '../../accounting/ledger/builtin-ledger.js';
import { fromGlobalId } from '../../common/ids.js';
import { createInvoice, createTenant, gid, type Tenant } from '../../testing/factories.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { DEFAULT_WORKER_OPTIONS, TransferProcessor } from './transfer.worker.js';

const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id } userErrors { code message } } }`;
const TRANSFER = `query($id: ID!) { node(id: $id) { ... on Transfer { status errors { code message } } } }`;

const OPTS = { ...DEFAULT_WORKER_OPTIONS, maxAttempts: 2, reconcileDelayMs: 0 };
const silent = pino({ level: 'silent' });

describe('an in-doubt transfer whose look-ups fail', () => {
  let srv: TestServer;
  let t: Tenant;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'indoubt');
  });
  afterAll(() => srv?.stop());

  async function exportOne(): Promise<string> {
    const invoice = await createInvoice(srv.db.orm.em.fork(), t, {
      lines: [{ netAmount: '120.00', accountCode: '4010' }],
    });
    const res = await srv.client({ token: t.tokens.export })(EXPORT, {
      input: {
        organizationId: t.orgId,
        invoiceIds: [gid('PurchaseInvoice', invoice.id)],
        idempotencyKey: randomUUID(),
      },
    });
    expect(res.data!.exportInvoices.userErrors).toEqual([]);
    const [transfer] = res.data!.exportInvoices.transfers as { id: string }[];
    return fromGlobalId(transfer.id, 'Transfer')!;
  }

  const state = async (id: string) => {
    const [row] = await srv.db.sql<{
      status: string;
      attempts: number;
      errors: { code: string; message: string; lookupFailures?: number }[];
      next_attempt_at: Date | null;
      document_status: string;
      entries: number;
      jobs: number;
    }>(
      `select t.status, t.attempts, t.errors, t.next_attempt_at, i.transfer_status as document_status,
              (select count(*)::int from ledger.entry l where l.idempotency_key = t.id::text) as entries,
              (select count(*)::int from graphile_worker._private_jobs j
                where (j.payload::jsonb)->'transferIds' ? t.id::text
                  and j.run_at >= t.next_attempt_at - interval '1 second') as jobs
         from transfer t join purchase_invoice i on i.id = t.invoice_id where t.id = $1`,
      [id],
    );
    return row;
  };

  it('stays IN_DOUBT with the look-up error past the attempt limit, then adopts its one entry', async () => {
    const id = await exportOne();

    // The post commits in the ledger, its answer is lost.
    const lost = new FaultInjectingAccounting(new BuiltinLedger(srv.db.orm), 'lostAck=1');
    await new TransferProcessor(srv.db.orm, lost, silent, OPTS).process([id]);
    expect(await state(id)).toMatchObject({ status: 'IN_DOUBT', entries: 1, attempts: 1 });

    // Every look-up fails, more times than the attempt limit allows sends.
    const blind = new FaultInjectingAccounting(new BuiltinLedger(srv.db.orm), 'lookup=1');
    const worker = new TransferProcessor(srv.db.orm, blind, silent, OPTS);
    const failures = OPTS.maxAttempts * 3;
    for (let n = 1; n <= failures; n++) {
      await worker.process([id]);
      const s = await state(id);
      expect(s.status).toBe('IN_DOUBT');
      expect(s.document_status).toBe('IN_DOUBT');
      expect(s.entries).toBe(1);
      // Look-ups are not sends: the attempts stay those of the first send.
      expect(s.attempts).toBe(1);
      expect(s.errors).toHaveLength(1);
      expect(s.errors[0]).toMatchObject({ code: 'IN_DOUBT_LOOKUP_FAILED', lookupFailures: n });
      expect(s.errors[0].message).toContain('injected fault: findByIdempotencyKey failed');
      // The next look-up is scheduled, later and later (equal-jitter backoff: at least half of
      // base·2^(n-1)), and its job is there for it.
      const wait = s.next_attempt_at!.getTime() - Date.now();
      expect(wait).toBeGreaterThan(
        Math.min(OPTS.retryCapMs, OPTS.retryBaseMs * 2 ** (n - 1)) / 2 - 1_000,
      );
      expect(s.jobs).toBeGreaterThanOrEqual(1);
    }
    expect(blind.lookupFaults).toBe(failures);

    // What a user sees: the transfer is in doubt, with the reason and the last look-up error.
    const res = await srv.client({ token: t.tokens.export })(TRANSFER, {
      id: gid('Transfer', id),
    });
    expect(res.data!.node).toMatchObject({
      status: 'IN_DOUBT',
      errors: [{ code: 'IN_DOUBT_LOOKUP_FAILED' }],
    });

    // The ledger answers again: the entry of the first send is adopted, nothing is sent again.
    const ledger = new BuiltinLedger(srv.db.orm);
    await new TransferProcessor(srv.db.orm, ledger, silent, OPTS).process([id]);
    const done = await state(id);
    expect(done).toMatchObject({
      status: 'TRANSFERRED',
      document_status: 'TRANSFERRED',
      entries: 1,
      errors: [],
    });

    const history = await srv.db.sql<{ action: string }>(
      `select action from audit_event where entity_id = $1 and action like 'transfer.%' order by at, id`,
      [id],
    );
    const actions = history.map((h) => h.action);
    expect(actions).not.toContain('transfer.failed');
    expect(actions).not.toContain('transfer.retrying');
    expect(actions.filter((a) => a === 'transfer.in_doubt')).toHaveLength(failures + 1);
    expect(actions.at(-1)).toBe('transfer.reconciled');
  });

  it('when the look-up finally answers "not there", the transfer is sent, once', async () => {
    const id = await exportOne();
    // The connection drops before the post reaches the ledger: in doubt, and not in the ledger.
    const ledger = new BuiltinLedger(srv.db.orm);
    const dropped = new Proxy(ledger, {
      get(target, prop, receiver) {
        if (prop === 'postInvoice')
          return () => Promise.reject(new AccountingOutcomeUnknown('connection reset'));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as AccountingSystem;
    await new TransferProcessor(srv.db.orm, dropped, silent, OPTS).process([id]);
    expect(await state(id)).toMatchObject({ status: 'IN_DOUBT', entries: 0 });

    // Look-ups failing past the attempt limit leave it in doubt.
    const blind = new FaultInjectingAccounting(new BuiltinLedger(srv.db.orm), 'lookup=1');
    const worker = new TransferProcessor(srv.db.orm, blind, silent, OPTS);
    for (let n = 1; n <= OPTS.maxAttempts + 2; n++) await worker.process([id]);
    expect(await state(id)).toMatchObject({ status: 'IN_DOUBT', entries: 0 });

    // Then the ledger answers "not there": it is sent, and posted once.
    await new TransferProcessor(srv.db.orm, ledger, silent, OPTS).process([id]);
    expect(await state(id)).toMatchObject({ status: 'TRANSFERRED', entries: 1, errors: [] });
  });
});
