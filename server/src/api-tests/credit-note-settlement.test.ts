/**
 * The open amount with credit notes: offsets (a credit note set against an invoice of its
 * supplier), refunds (negative payments of a credit note), the supplier's balance, history, and
 * every refusal leaving the database as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { DocumentKind } from '../modules/invoices/invoice.enums.js';
import { createInvoice, createTenant, gid, type Tenant } from '../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../testing/server.js';
import { codes, expectNoChange, key, mutate, ok, PAY } from './write-api.helpers.js';

const OFFSET = `mutation($input: OffsetCreditNoteInput!) { offsetCreditNote(input: $input) {
  offset { id amount offsetDate creditNote { id } invoice { id } }
  creditNote { id openAmount offsetAmount } invoice { id openAmount offsetAmount }
  userErrors { code message field } } }`;
const DOC = `query($id: ID!) { invoice(id: $id) { kind grossAmount paidAmount offsetAmount openAmount
  offsets { id amount } supplier { openAmount }
  history(first: 50) { nodes { action details } } } }`;
const REMOVE = `mutation($input: RemoveInvoiceInput!) { removeInvoice(input: $input) { invoice { id status } userErrors { code message } } }`;

describe('credit notes: offsets, refunds and open amounts', () => {
  let srv: TestServer;
  let a: Tenant;
  let writer: GqlClient;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    a = await createTenant(srv.db.orm, 'alpha', { supplierCount: 4 });
    writer = srv.client({ token: a.tokens.write });
  });
  afterAll(() => srv?.stop());

  /** A posted invoice of 125.50 and a posted credit note of -50.20 of one supplier. */
  async function pair(supplierIndex: number) {
    const em = srv.db.orm.em.fork();
    const supplier = a.suppliers[supplierIndex];
    const invoice = await createInvoice(em, a, { supplier, status: InvoiceStatus.APPROVED });
    const creditNote = await createInvoice(em, a, {
      supplier,
      status: InvoiceStatus.APPROVED,
      kind: DocumentKind.CREDIT_NOTE,
      creditedInvoice: invoice,
      lines: [{ netAmount: '-40.00' }],
    });
    return {
      invoiceId: gid('PurchaseInvoice', invoice.id),
      creditNoteId: gid('PurchaseInvoice', creditNote.id),
    };
  }
  const doc = async (id: string) => (await writer(DOC, { id })).data!.invoice;

  it('nets a credit note against an invoice: both open amounts shrink, the supplier balance stays', async () => {
    const { invoiceId, creditNoteId } = await pair(0);
    expect(await doc(creditNoteId)).toMatchObject({
      kind: 'CREDIT_NOTE',
      grossAmount: '-50.20',
      openAmount: '-50.20',
      offsetAmount: '0.00',
      supplier: { openAmount: '75.30' },
    });
    const input = { creditNoteId, invoiceId, idempotencyKey: key() };
    const payload = await ok(writer, OFFSET, input);
    expect(payload.offset).toMatchObject({
      amount: '50.20',
      offsetDate: today,
      creditNote: { id: creditNoteId },
      invoice: { id: invoiceId },
    });
    expect(payload.invoice).toMatchObject({ openAmount: '75.30', offsetAmount: '50.20' });
    expect(payload.creditNote).toMatchObject({ openAmount: '0.00', offsetAmount: '-50.20' });
    // Same key, same input: the same offset, nothing new.
    const again = await ok(writer, OFFSET, input);
    expect(again.offset.id).toBe(payload.offset.id);

    const inv = await doc(invoiceId);
    expect(inv).toMatchObject({
      paidAmount: '0.00',
      offsetAmount: '50.20',
      openAmount: '75.30',
      offsets: [{ id: payload.offset.id, amount: '50.20' }],
      supplier: { openAmount: '75.30' },
    });
    const cn = await doc(creditNoteId);
    expect(cn.offsets).toEqual([{ id: payload.offset.id, amount: '50.20' }]);
    for (const [d, role, open] of [
      [inv, 'invoice', '75.30'],
      [cn, 'creditNote', '0.00'],
    ] as const) {
      const events = d.history.nodes.filter(
        (n: { action: string }) => n.action === 'invoice.offset',
      );
      expect(events).toEqual([
        {
          action: 'invoice.offset',
          details: expect.objectContaining({
            role,
            amount: '50.20',
            openAmount: open,
            invoiceId,
            creditNoteId,
          }),
        },
      ]);
    }

    // Nothing left to offset; the invoice can be paid only what is still open.
    const more = await expectNoChange(srv.db, () =>
      mutate(writer, OFFSET, { creditNoteId, invoiceId, amount: '0.01', idempotencyKey: key() }),
    );
    expect(codes(more)).toEqual(['OVERPAYMENT']);
    const overpay = await expectNoChange(srv.db, () =>
      mutate(writer, PAY, {
        invoiceId,
        amount: '75.31',
        paymentDate: today,
        source: 'MANUAL',
        idempotencyKey: key(),
      }),
    );
    expect(codes(overpay)).toEqual(['OVERPAYMENT']);
    await ok(writer, PAY, {
      invoiceId,
      amount: '75.30',
      paymentDate: today,
      source: 'MANUAL',
      idempotencyKey: key(),
    });
    expect(await doc(invoiceId)).toMatchObject({
      openAmount: '0.00',
      supplier: { openAmount: '0.00' },
    });
  });

  it('offsets part of a credit note; the rest is refunded by a negative payment', async () => {
    const { invoiceId, creditNoteId } = await pair(1);
    await ok(writer, OFFSET, { creditNoteId, invoiceId, amount: '30.00', idempotencyKey: key() });
    expect(await doc(creditNoteId)).toMatchObject({ openAmount: '-20.20', offsetAmount: '-30.00' });
    const positive = await expectNoChange(srv.db, () =>
      mutate(writer, PAY, {
        invoiceId: creditNoteId,
        amount: '20.20',
        paymentDate: today,
        source: 'MANUAL',
        idempotencyKey: key(),
      }),
    );
    expect(positive.userErrors).toEqual([
      expect.objectContaining({
        code: 'VALIDATION',
        field: ['amount'],
        message: expect.stringMatching(/refund.*negative/),
      }),
    ]);
    const tooMuch = await expectNoChange(srv.db, () =>
      mutate(writer, PAY, {
        invoiceId: creditNoteId,
        amount: '-20.21',
        paymentDate: today,
        source: 'MANUAL',
        idempotencyKey: key(),
      }),
    );
    expect(codes(tooMuch)).toEqual(['OVERPAYMENT']);
    const refund = await ok(writer, PAY, {
      invoiceId: creditNoteId,
      amount: '-20.20',
      paymentDate: today,
      source: 'MANUAL',
      idempotencyKey: key(),
    });
    expect(refund.payment.amount).toBe('-20.20');
    expect(await doc(creditNoteId)).toMatchObject({
      paidAmount: '-20.20',
      offsetAmount: '-30.00',
      openAmount: '0.00',
    });
    // A negative payment of an invoice is still refused.
    const negative = await expectNoChange(srv.db, () =>
      mutate(writer, PAY, {
        invoiceId,
        amount: '-1.00',
        paymentDate: today,
        source: 'MANUAL',
        idempotencyKey: key(),
      }),
    );
    expect(codes(negative)).toEqual(['VALIDATION']);
    // Invoice 125.50 − 30.00 offset; the credit note is settled: the supplier is owed 95.50.
    expect(await doc(invoiceId)).toMatchObject({
      openAmount: '95.50',
      supplier: { openAmount: '95.50' },
    });
  });

  it('refuses swapped kinds, another supplier, an unposted document and an amount above either side', async () => {
    const { invoiceId, creditNoteId } = await pair(2);
    const other = await pair(3);
    const em = srv.db.orm.em.fork();
    const draftCredit = await createInvoice(em, a, {
      supplier: a.suppliers[2],
      status: InvoiceStatus.DRAFT,
      kind: DocumentKind.CREDIT_NOTE,
      lines: [{ netAmount: '-10.00' }],
    });
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ creditNoteId: invoiceId, invoiceId: creditNoteId }, 'VALIDATION', ['creditNoteId']],
      [{ creditNoteId, invoiceId: other.invoiceId }, 'VALIDATION', ['invoiceId']],
      [
        { creditNoteId: gid('PurchaseInvoice', draftCredit.id), invoiceId },
        'NOT_POSTED',
        ['creditNoteId'],
      ],
      [{ creditNoteId, invoiceId, amount: '50.21' }, 'OVERPAYMENT', ['amount']],
      [{ creditNoteId, invoiceId, amount: '-5.00' }, 'VALIDATION', ['amount']],
      [{ creditNoteId, invoiceId: gid('Supplier', a.suppliers[0].id) }, 'NOT_FOUND', ['invoiceId']],
    ];
    for (const [input, code, field] of cases) {
      const payload = await expectNoChange(srv.db, () =>
        mutate(writer, OFFSET, { ...input, idempotencyKey: key() }),
      );
      expect(
        payload.userErrors.map((e) => [e.code, e.field]),
        JSON.stringify(input),
      ).toEqual([[code, field]]);
      expect(payload.offset).toBeNull();
    }
    const viewer = srv.client({ token: a.tokens.read });
    const forbidden = await mutate(viewer, OFFSET, {
      creditNoteId,
      invoiceId,
      idempotencyKey: key(),
    });
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
  });

  it('releases an offset when its credit note is removed', async () => {
    const { invoiceId, creditNoteId } = await pair(2);
    await ok(writer, OFFSET, { creditNoteId, invoiceId, idempotencyKey: key() });
    expect((await doc(invoiceId)).openAmount).toBe('75.30');
    await ok(writer, REMOVE, {
      invoiceId: creditNoteId,
      alsoRemoveFromAccounting: false,
      idempotencyKey: key(),
    });
    expect(await doc(invoiceId)).toMatchObject({ offsetAmount: '0.00', openAmount: '125.50' });
  });
});
