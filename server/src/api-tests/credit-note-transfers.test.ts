/**
 * Credit notes through the transfer engine, whose rules are unchanged: exported exactly once as
 * the mirror of an invoice (kind CREDIT_NOTE in the ledger, accounts payable debited), beside an
 * invoice of the same number; corrected (reversal + repost), removed with a reversal, placed by
 * the period rule; a refund exported as a payment with bank debited.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceStatus, PurchaseInvoice } from '../modules/invoices/invoice.entity.js';
import { DocumentKind } from '../modules/invoices/invoice.enums.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../testing/server.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../testing/transfers.js';
import { key, ok, PAY } from './write-api.helpers.js';

const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id kind status } userErrors { code message field } } }`;
const EXPORT_PAYMENTS = `mutation($input: ExportPaymentsInput!) { exportPayments(input: $input) {
  transfers { id kind status } userErrors { code message field } } }`;
const DOC = `query($id: ID!) { invoice(id: $id) { kind transferStatus ledgerOutOfDate
  ledgerEntry { id kind reference total documentDate postingDate shifted lines { accountCode vatCode debit credit } }
  transfers { kind status } } }`;
const REMOVE = `mutation($input: RemoveInvoiceInput!) { removeInvoice(input: $input) {
  invoice { status } transfer { kind } userErrors { code } } }`;

type Cell = [string, string | null, string, string];
const cells = (entry: {
  lines: { accountCode: string; vatCode: string | null; debit: string; credit: string }[];
}): Cell[] => entry.lines.map((l) => [l.accountCode, l.vatCode, l.debit, l.credit]);

describe('credit notes through the transfer engine', () => {
  let srv: TestServer;
  let t: Tenant;
  let accountant: GqlClient;
  const today = new Date().toISOString().slice(0, 10);
  const thisYear = new Date().getUTCFullYear();

  beforeAll(async () => {
    srv = await startTestServer({ env: FAST_WORKER_ENV });
    t = await createTenant(srv.db.orm, 'credit');
    accountant = srv.client({ token: t.tokens.export });
  });
  afterAll(() => srv?.stop());

  const exportIds = async (ids: string[]) => {
    const res = await accountant(EXPORT, {
      input: { organizationId: t.orgId, invoiceIds: ids, idempotencyKey: randomUUID() },
    });
    expect(res.data!.exportInvoices.userErrors).toEqual([]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    return res.data!.exportInvoices.transfers as { kind: string }[];
  };
  const doc = async (inv: PurchaseInvoice) =>
    (await accountant(DOC, { id: gid('PurchaseInvoice', inv.id) })).data!.invoice;
  const creditNote = (spec: Parameters<typeof createInvoice>[2] = {}) =>
    createInvoice(srv.db.orm.em.fork(), t, {
      kind: DocumentKind.CREDIT_NOTE,
      billDate: today,
      lines: [{ netAmount: '-40.00' }],
      ...spec,
    });
  const liveEntries = (reference: string) =>
    srv.db.sql<{ kind: string; reversed: boolean }>(
      `select kind, reversed_by_entry_id is not null as reversed from ledger.entry
        where organization_id = $1 and reference = $2 order by created_at`,
      [t.org.id, reference],
    );

  it('exports a credit note once, as the mirror of an invoice, beside the invoice with the same number', async () => {
    const em = srv.db.orm.em.fork();
    const invoice = await createInvoice(em, t, {
      billDate: today,
      invoiceNumber: 'N-100',
      lines: [{ netAmount: '40.00' }],
    });
    const credit = await creditNote({ invoiceNumber: 'N-100', creditedInvoice: invoice });
    const transfers = await exportIds([invoice, credit].map((d) => gid('PurchaseInvoice', d.id)));
    expect(transfers.map((x) => x.kind)).toEqual(['POST', 'POST']);
    const [inv, cn] = [await doc(invoice), await doc(credit)];
    expect(cn).toMatchObject({
      kind: 'CREDIT_NOTE',
      transferStatus: 'TRANSFERRED',
      ledgerEntry: { kind: 'CREDIT_NOTE', reference: 'N-100', total: '50.20' },
    });
    expect(cells(cn.ledgerEntry)).toEqual([
      ['4010', 'VAT255', '0.00', '40.00'],
      ['1763', 'VAT255', '0.00', '10.20'],
      ['2871', null, '50.20', '0.00'],
    ]);
    expect(inv.ledgerEntry.kind).toBe('INVOICE');
    expect(cells(inv.ledgerEntry)).toEqual(
      cells(cn.ledgerEntry).map(([a, v, d, c]) => [a, v, c, d]),
    );
    // Exactly once: exporting again is refused, the ledger keeps one live entry of each kind.
    const again = await accountant(EXPORT, {
      input: {
        organizationId: t.orgId,
        invoiceIds: [gid('PurchaseInvoice', credit.id)],
        idempotencyKey: randomUUID(),
      },
    });
    expect(again.data!.exportInvoices.userErrors.map((e: { code: string }) => e.code)).toEqual([
      'ALREADY_TRANSFERRED',
    ]);
    expect(await liveEntries('N-100')).toEqual([
      { kind: 'INVOICE', reversed: false },
      { kind: 'CREDIT_NOTE', reversed: false },
    ]);
  });

  it('a posting change of a transferred credit note is a CORRECTION: reversal and repost, still a credit note', async () => {
    const credit = await creditNote();
    await exportIds([gid('PurchaseInvoice', credit.id)]);
    await srv.db.sql(`update invoice_line set account_code = '7300' where invoice_id = $1`, [
      credit.id,
    ]);
    await srv.db.sql(
      `update purchase_invoice set posting_version = posting_version + 1 where id = $1`,
      [credit.id],
    );
    expect((await doc(credit)).ledgerOutOfDate).toBe(true);
    const transfers = await exportIds([gid('PurchaseInvoice', credit.id)]);
    expect(transfers.map((x) => x.kind)).toEqual(['CORRECTION']);
    const after = await doc(credit);
    expect(after.ledgerOutOfDate).toBe(false);
    expect(cells(after.ledgerEntry)[0]).toEqual(['7300', 'VAT255', '0.00', '40.00']);
    expect(await liveEntries(credit.invoiceNumber)).toEqual([
      { kind: 'CREDIT_NOTE', reversed: true },
      { kind: 'REVERSAL', reversed: false },
      { kind: 'CREDIT_NOTE', reversed: false },
    ]);
  });

  it('removing a transferred credit note with alsoRemoveFromAccounting reverses its entry', async () => {
    const credit = await creditNote();
    await exportIds([gid('PurchaseInvoice', credit.id)]);
    const admin = await srv.login(t.users.admin.email, TEST_PASSWORD);
    const removed = await admin(REMOVE, {
      input: {
        invoiceId: gid('PurchaseInvoice', credit.id),
        alsoRemoveFromAccounting: true,
        idempotencyKey: randomUUID(),
      },
    });
    expect(removed.data!.removeInvoice).toMatchObject({
      invoice: { status: 'REMOVED' },
      transfer: { kind: 'REVERSAL' },
      userErrors: [],
    });
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const entries = await liveEntries(credit.invoiceNumber);
    expect(entries).toEqual([
      { kind: 'CREDIT_NOTE', reversed: true },
      { kind: 'REVERSAL', reversed: false },
    ]);
    const [reversal] = await srv.db.sql<{ account_code: string; debit: string; credit: string }>(
      `select l.account_code, l.debit::text, l.credit::text from ledger.entry e join ledger.entry_line l on l.entry_id = e.id
        where e.organization_id = $1 and e.reference = $2 and e.kind = 'REVERSAL' and l.account_code = '2871'`,
      [t.org.id, credit.invoiceNumber],
    );
    // The reversal takes the payable back out: credited as the original was debited.
    expect(reversal).toEqual({ account_code: '2871', debit: '0.00', credit: '50.20' });
  });

  it('the period rule places a credit note dated in a closed period in the next open one', async () => {
    const year = thisYear - 1;
    await srv.db.sql(
      `update ledger.period set status = 'CLOSED' where organization_id = $1 and name = $2`,
      [t.org.id, `${year}-03`],
    );
    const credit = await creditNote({ billDate: `${year}-03-31` });
    await exportIds([gid('PurchaseInvoice', credit.id)]);
    expect((await doc(credit)).ledgerEntry).toMatchObject({
      kind: 'CREDIT_NOTE',
      documentDate: `${year}-03-31`,
      postingDate: `${year}-04-01`,
      shifted: true,
    });
  });

  it('exports a refund of a credit note as a payment: bank debited, accounts payable credited', async () => {
    const credit = await creditNote({ status: InvoiceStatus.APPROVED });
    await exportIds([gid('PurchaseInvoice', credit.id)]);
    const writer = srv.client({ token: t.tokens.write });
    const refund = await ok(writer, PAY, {
      invoiceId: gid('PurchaseInvoice', credit.id),
      amount: '-50.20',
      paymentDate: today,
      source: 'MANUAL',
      idempotencyKey: key(),
    });
    const res = await accountant(EXPORT_PAYMENTS, {
      input: {
        organizationId: t.orgId,
        paymentIds: [refund.payment.id],
        idempotencyKey: randomUUID(),
      },
    });
    expect(res.data!.exportPayments.userErrors).toEqual([]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const got = await accountant(
      `query($id: ID!) { node(id: $id) { ... on Payment { transferStatus ledgerEntry { kind total lines { accountCode debit credit } } } } }`,
      { id: refund.payment.id },
    );
    expect(got.data!.node).toMatchObject({
      transferStatus: 'TRANSFERRED',
      ledgerEntry: { kind: 'PAYMENT', total: '50.20' },
    });
    expect(
      got.data!.node.ledgerEntry.lines.map(
        (l: { accountCode: string; debit: string; credit: string }) => [
          l.accountCode,
          l.debit,
          l.credit,
        ],
      ),
    ).toEqual([
      ['2871', '0.00', '50.20'],
      ['1910', '50.20', '0.00'],
    ]);
  });
});
