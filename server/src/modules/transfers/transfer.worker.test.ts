// The worker sends a claim's invoice POSTs in one ledger call (postInvoices). One refused invoice
// must fail alone, with its reason; an answer lost for the whole call must leave every invoice of
// it in doubt, to be found by key, each posted exactly once.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountingOutcomeUnknown,
  type AccountingSystem,
} from '../../accounting/accounting-system.js';
import { BuiltinLedger } from '../../accounting/ledger/builtin-ledger.js';
import { fromGlobalId } from '../../common/ids.js';
import { createInvoice, createTenant, gid, type Tenant } from '../../testing/factories.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { DEFAULT_WORKER_OPTIONS, TransferProcessor } from './transfer.worker.js';

const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id } userErrors { code message } } }`;

describe('the worker posts invoices in batches', () => {
  let srv: TestServer;
  let t: Tenant;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'batcher');
  });
  afterAll(() => srv?.stop());

  async function exportInvoices(accountCodes: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const accountCode of accountCodes) {
      const invoice = await createInvoice(srv.db.orm.em.fork(), t, {
        lines: [{ netAmount: '100.00', accountCode }],
      });
      ids.push(invoice.id);
    }
    const res = await srv.client({ token: t.tokens.export })(EXPORT, {
      input: {
        organizationId: t.orgId,
        invoiceIds: ids.map((id) => gid('PurchaseInvoice', id)),
        idempotencyKey: randomUUID(),
      },
    });
    expect(res.data!.exportInvoices.userErrors).toEqual([]);
    return res.data!.exportInvoices.transfers.map((x: { id: string }) =>
      fromGlobalId(x.id, 'Transfer'),
    );
  }

  const states = async (ids: string[]) =>
    (
      await srv.db.sql<{ id: string; status: string; codes: string[] | null; entries: number }>(
        `select t.id, t.status, (select array_agg(e->>'code') from jsonb_array_elements(t.errors) e) as codes,
                (select count(*)::int from ledger.entry l where l.idempotency_key = t.id::text) as entries
           from transfer t where t.id = any($1::uuid[])`,
        [ids],
      )
    ).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));

  it('a refused invoice fails alone with its reason; the others of the call are transferred', async () => {
    const ids = await exportInvoices(['4010', '4000', '4010', '4010', '4000', '4010']);
    const calls: number[] = [];
    const ledger = new BuiltinLedger(srv.db.orm);
    const accounting = new Proxy(ledger, {
      get(target, prop, receiver) {
        if (prop === 'postInvoices')
          return (...args: Parameters<AccountingSystem['postInvoices']>) => {
            calls.push(args[1].length);
            return target.postInvoices(...args);
          };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as AccountingSystem;
    const worker = new TransferProcessor(srv.db.orm, accounting, pino({ level: 'silent' }));
    await worker.process(ids);
    expect(calls).toEqual([6]);
    const rows = await states(ids);
    expect(rows.map((r) => r.status)).toEqual([
      'TRANSFERRED',
      'FAILED',
      'TRANSFERRED',
      'TRANSFERRED',
      'FAILED',
      'TRANSFERRED',
    ]);
    expect(rows[1].codes).toEqual(['ACCOUNT_NOT_POSTABLE']);
    expect(rows.map((r) => r.entries)).toEqual([1, 0, 1, 1, 0, 1]);
  });

  it('a lost answer for the whole call leaves every invoice in doubt; reconciling posts none twice', async () => {
    const ids = await exportInvoices(['4010', '4010', '4000', '4010']);
    const ledger = new BuiltinLedger(srv.db.orm);
    let lose = true;
    const accounting = new Proxy(ledger, {
      get(target, prop, receiver) {
        if (prop === 'postInvoices')
          return async (...args: Parameters<AccountingSystem['postInvoices']>) => {
            const answer = await target.postInvoices(...args);
            if (!lose) return answer;
            lose = false;
            throw new AccountingOutcomeUnknown('the answer was lost');
          };
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as AccountingSystem;
    const opts = { ...DEFAULT_WORKER_OPTIONS, reconcileDelayMs: 0 };
    const worker = new TransferProcessor(srv.db.orm, accounting, pino({ level: 'silent' }), opts);
    await worker.process(ids);
    expect((await states(ids)).map((r) => [r.status, r.entries])).toEqual([
      ['IN_DOUBT', 1],
      ['IN_DOUBT', 1],
      ['IN_DOUBT', 0],
      ['IN_DOUBT', 1],
    ]);
    await worker.process(ids);
    const rows = await states(ids);
    expect(rows.map((r) => [r.status, r.entries])).toEqual([
      ['TRANSFERRED', 1],
      ['TRANSFERRED', 1],
      ['FAILED', 0],
      ['TRANSFERRED', 1],
    ]);
    const [{ reconciled }] = await srv.db.sql<{ reconciled: number }>(
      `select count(*)::int as reconciled from audit_event where action = 'transfer.reconciled' and entity_id = any($1::uuid[])`,
      [ids],
    );
    expect(reconciled).toBe(3);
  });
});
