// A payment is booked against its invoice's entry in the ledger, so it must never land after that
// entry's reversal: an invoice is not reversed while a payment of it is on its way, and a payment
// is not sent while its invoice is on its way out.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinLedger } from '../../accounting/ledger/builtin-ledger.js';
import { fromGlobalId } from '../../common/ids.js';
import { createInvoice, createTenant, gid, type Tenant } from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { DEFAULT_WORKER_OPTIONS, TransferProcessor } from './transfer.worker.js';

const UE = 'userErrors { code message field }';
const EXPORT_INVOICES = `mutation($i: ExportInvoicesInput!) { exportInvoices(input: $i) { transfers { id } ${UE} } }`;
const EXPORT_PAYMENTS = `mutation($i: ExportPaymentsInput!) { exportPayments(input: $i) { transfers { id } ${UE} } }`;
const RECORD_PAYMENT = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { payment { id transferStatus } ${UE} } }`;
const REMOVE_FROM_ACCOUNTING = `mutation($i: RemoveFromAccountingInput!) { removeFromAccounting(input: $i) { transfer { id kind } ${UE} } }`;
const SETTINGS = `mutation($i: UpdateTransferSettingsInput!) { updateTransferSettings(input: $i) { ${UE} } }`;

type Payload = { transfers?: { id: string }[]; transfer?: { id: string }; userErrors: unknown[] };

describe('payments and their invoice in the ledger', () => {
  let srv: TestServer;
  let t: Tenant;
  let exporter: GqlClient;
  let writer: GqlClient;
  let worker: TransferProcessor;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    // No background worker: the test moves each transfer itself, so "in flight" holds still.
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'payorder');
    exporter = srv.client({ token: t.tokens.export });
    writer = srv.client({ token: t.tokens.write });
    worker = new TransferProcessor(
      srv.db.orm,
      new BuiltinLedger(srv.db.orm),
      pino({ level: 'silent' }),
      DEFAULT_WORKER_OPTIONS,
    );
  });
  afterAll(() => srv?.stop());

  const call = async (client: GqlClient, doc: string, i: Record<string, unknown>) => {
    const res = await client(doc, { i: { idempotencyKey: randomUUID(), ...i } });
    expect(res.errors).toBeUndefined();
    return Object.values(res.data!)[0] as Payload;
  };
  const transferIds = (p: Payload) =>
    (p.transfers ?? [p.transfer!]).map((x) => fromGlobalId(x.id, 'Transfer')!);
  const statusOf = async (table: 'purchase_invoice' | 'payment', id: string) => {
    const [row] = await srv.db.sql<{ transfer_status: string | null; in_ledger: boolean }>(
      `select transfer_status, ledger_entry_id is not null as in_ledger from ${table} where id = $1`,
      [id],
    );
    return row;
  };

  async function invoiceInLedger() {
    const invoice = await createInvoice(srv.db.orm.em.fork(), t, {
      billDate: today,
      lines: [{ netAmount: '100.00' }],
    });
    const invoiceId = gid('PurchaseInvoice', invoice.id);
    const exported = await call(exporter, EXPORT_INVOICES, {
      organizationId: t.orgId,
      invoiceIds: [invoiceId],
    });
    expect(exported.userErrors).toEqual([]);
    await worker.process(transferIds(exported));
    expect(await statusOf('purchase_invoice', invoice.id)).toEqual({
      transfer_status: 'TRANSFERRED',
      in_ledger: true,
    });
    return { id: invoice.id, gid: invoiceId };
  }

  async function recordPayment(invoiceGid: string) {
    const recorded = (await call(writer, RECORD_PAYMENT, {
      invoiceId: invoiceGid,
      amount: '10.00',
      paymentDate: today,
      source: 'MANUAL',
    })) as Payload & { payment: { id: string; transferStatus: string | null } };
    expect(recorded.userErrors).toEqual([]);
    return recorded.payment;
  }

  it('an invoice is not reversed while a payment of it is queued for the ledger', async () => {
    const invoice = await invoiceInLedger();
    const payment = await recordPayment(invoice.gid);
    const exported = await call(exporter, EXPORT_PAYMENTS, {
      organizationId: t.orgId,
      paymentIds: [payment.id],
    });
    expect(exported.userErrors).toEqual([]);

    const refused = await call(exporter, REMOVE_FROM_ACCOUNTING, { invoiceId: invoice.gid });
    expect(refused.userErrors).toEqual([
      expect.objectContaining({ code: 'IN_USE', field: ['invoiceId'] }),
    ]);
    expect(await statusOf('purchase_invoice', invoice.id)).toEqual({
      transfer_status: 'TRANSFERRED',
      in_ledger: true,
    });

    await worker.process(transferIds(exported));
    expect(await statusOf('payment', fromGlobalId(payment.id, 'Payment')!)).toEqual({
      transfer_status: 'TRANSFERRED',
      in_ledger: true,
    });
  });

  it('a payment is not sent, by hand or automatically, while its invoice is being reversed', async () => {
    const invoice = await invoiceInLedger();
    const before = await recordPayment(invoice.gid);
    const reversal = await call(exporter, REMOVE_FROM_ACCOUNTING, { invoiceId: invoice.gid });
    expect(reversal.userErrors).toEqual([]);

    const refused = await call(exporter, EXPORT_PAYMENTS, {
      organizationId: t.orgId,
      paymentIds: [before.id],
    });
    expect(refused.userErrors).toEqual([
      expect.objectContaining({
        code: 'TRANSFER_IN_PROGRESS',
        field: ['paymentIds', '0'],
      }),
    ]);
    expect(refused.transfers).toEqual([]);

    // Automatic payment transfer is on, but a payment recorded now must wait, not race the reversal.
    const settings = await srv.client({ token: t.tokens.admin })(SETTINGS, {
      i: { organizationId: t.orgId, autoTransferPayments: true },
    });
    expect(settings.data?.updateTransferSettings).toEqual({ userErrors: [] });
    const during = await recordPayment(invoice.gid);
    expect(during.transferStatus).toBeNull();

    await worker.process(transferIds(reversal));
    expect(await statusOf('purchase_invoice', invoice.id)).toEqual({
      transfer_status: 'TRANSFERRED',
      in_ledger: false,
    });
    for (const p of [before, during])
      expect(await statusOf('payment', fromGlobalId(p.id, 'Payment')!)).toEqual({
        transfer_status: null,
        in_ledger: false,
      });
    // Now the reason is plain: the invoice is not in the ledger.
    const after = await call(exporter, EXPORT_PAYMENTS, {
      organizationId: t.orgId,
      paymentIds: [before.id],
    });
    expect(after.userErrors).toEqual([
      expect.objectContaining({ code: 'INVOICE_NOT_TRANSFERRED' }),
    ]);
  });
});
