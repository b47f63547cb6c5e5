/**
 * Credit notes through the write and read API: the sign rule, the link to the credited invoice,
 * duplicate detection per kind, and the kind filter of the invoice list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoice, createTenant, gid, type Tenant } from '../testing/factories.js';
import type { GqlClient } from '../testing/server.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { DocumentKind } from '../modules/invoices/invoice.enums.js';
import { codes, expectNoChange, invoiceInput, mutate, ok } from './write-api.helpers.js';

const FIELDS = `id kind invoiceNumber netAmount vatAmount grossAmount status
  creditedInvoice { id invoiceNumber kind } creditNotes { id invoiceNumber }
  lines { netAmount vatAmount }`;
const CREATE = `mutation($input: CreatePurchaseInvoiceInput!) {
  createPurchaseInvoice(input: $input) { invoice { ${FIELDS} } userErrors { code message field } } }`;
const LIST = `query($org: ID!, $filter: InvoiceFilter) {
  invoices(organizationId: $org, tab: ALL, filter: $filter, first: 100) { totalCount nodes { id kind } } }`;

const CREDIT = {
  kind: 'CREDIT_NOTE',
  netAmount: '-40.00',
  vatAmount: '-10.20',
  grossAmount: '-50.20',
};

describe('credit notes: create, sign rule, link, duplicates, filter', () => {
  let srv: TestServer;
  let a: Tenant;
  let b: Tenant;
  let writer: GqlClient;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    a = await createTenant(srv.db.orm, 'alpha');
    b = await createTenant(srv.db.orm, 'beta');
    writer = srv.client({ token: a.tokens.write });
  });
  afterAll(() => srv?.stop());

  const supplier = (t: Tenant, i = 0) => gid('Supplier', t.suppliers[i].id);
  const create = (overrides: Record<string, unknown> = {}) =>
    mutate(writer, CREATE, invoiceInput(a.orgId, supplier(a), overrides));

  it('creates a credit note with negative totals and negative lines; an invoice stays INVOICE by default', async () => {
    const credit = await ok(
      writer,
      CREATE,
      invoiceInput(a.orgId, supplier(a), {
        ...CREDIT,
        lines: [{ accountCode: '4010', vatCode: 'VAT255', netAmount: '-40.00' }],
      }),
    );
    expect(credit.invoice).toMatchObject({
      kind: 'CREDIT_NOTE',
      netAmount: '-40.00',
      vatAmount: '-10.20',
      grossAmount: '-50.20',
      status: 'DRAFT',
      creditedInvoice: null,
      lines: [{ netAmount: '-40.00', vatAmount: '-10.20' }],
    });
    const invoice = await ok(writer, CREATE, invoiceInput(a.orgId, supplier(a)));
    expect(invoice.invoice.kind).toBe('INVOICE');
  });

  it.each([
    [
      'an invoice with a negative gross',
      { netAmount: '-1.00', vatAmount: '0.00', grossAmount: '-1.00' },
      ['netAmount', 'grossAmount'],
    ],
    [
      'an invoice with a zero gross',
      { netAmount: '0.00', vatAmount: '0.00', grossAmount: '0.00' },
      ['grossAmount'],
    ],
    [
      'an invoice with negative VAT',
      { netAmount: '10.00', vatAmount: '-1.00', grossAmount: '9.00' },
      ['vatAmount'],
    ],
    [
      'a credit note with positive totals',
      { ...CREDIT, netAmount: '40.00', vatAmount: '10.20', grossAmount: '50.20' },
      ['netAmount', 'vatAmount', 'grossAmount'],
    ],
    [
      'a credit note with a zero gross',
      { ...CREDIT, netAmount: '0.00', vatAmount: '0.00', grossAmount: '0.00' },
      ['grossAmount'],
    ],
    [
      'a credit note with positive VAT',
      { ...CREDIT, netAmount: '-10.00', vatAmount: '1.00', grossAmount: '-9.00' },
      ['vatAmount'],
    ],
    [
      'a credit note whose totals do not add up',
      { ...CREDIT, grossAmount: '-50.00' },
      ['grossAmount'],
    ],
  ])('refuses %s (VALIDATION, nothing written)', async (_, overrides, fields) => {
    const payload = await expectNoChange(srv.db, () => create(overrides));
    expect(codes(payload)).toEqual(fields.map(() => 'VALIDATION'));
    expect(payload.userErrors.map((e) => e.field)).toEqual(fields.map((f) => [f]));
    expect(payload.invoice).toBeNull();
  });

  it('says a negative invoice is a credit note', async () => {
    const payload = await create({ netAmount: '-1.00', vatAmount: '0.00', grossAmount: '-1.00' });
    expect(payload.userErrors[1].message).toMatch(/credit note \(kind CREDIT_NOTE\)/);
  });

  it('allows lines of either sign as long as they add up to totals of the right sign', async () => {
    const payload = await ok(
      writer,
      CREATE,
      invoiceInput(a.orgId, supplier(a), {
        ...CREDIT,
        lines: [
          { accountCode: '4010', vatCode: 'VAT255', netAmount: '-50.00' },
          { accountCode: '6800', vatCode: 'VAT255', netAmount: '10.00' },
        ],
      }),
    );
    expect(payload.invoice.lines).toEqual([
      { netAmount: '-50.00', vatAmount: '-12.75' },
      { netAmount: '10.00', vatAmount: '2.55' },
    ]);
  });

  describe('the credited invoice', () => {
    it('links a credit note to an invoice of its supplier, and the invoice lists its credit notes', async () => {
      const em = srv.db.orm.em.fork();
      const credited = await createInvoice(em, a);
      const payload = await ok(
        writer,
        CREATE,
        invoiceInput(a.orgId, supplier(a), {
          ...CREDIT,
          creditedInvoiceId: gid('PurchaseInvoice', credited.id),
        }),
      );
      expect(payload.invoice.creditedInvoice).toEqual({
        id: gid('PurchaseInvoice', credited.id),
        invoiceNumber: credited.invoiceNumber,
        kind: 'INVOICE',
      });
      const res = await writer(
        `query($id: ID!) { invoice(id: $id) { creditNotes { id invoiceNumber } } }`,
        { id: gid('PurchaseInvoice', credited.id) },
      );
      expect(res.data!.invoice.creditNotes).toEqual([
        { id: payload.invoice.id, invoiceNumber: payload.invoice.invoiceNumber },
      ]);
    });

    it("refuses another supplier's invoice, a credit note, another organization's invoice and a link from an invoice", async () => {
      const em = srv.db.orm.em.fork();
      const ofOtherSupplier = await createInvoice(em, a, { supplier: a.suppliers[1] });
      const creditNote = await createInvoice(em, a, {
        kind: DocumentKind.CREDIT_NOTE,
        lines: [{ netAmount: '-10.00' }],
      });
      const foreign = await createInvoice(em, b);
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [
          { ...CREDIT, creditedInvoiceId: gid('PurchaseInvoice', ofOtherSupplier.id) },
          'VALIDATION',
          /another supplier/,
        ],
        [
          { ...CREDIT, creditedInvoiceId: gid('PurchaseInvoice', creditNote.id) },
          'VALIDATION',
          /is a credit note/,
        ],
        [
          { ...CREDIT, creditedInvoiceId: gid('PurchaseInvoice', foreign.id) },
          'NOT_FOUND',
          /not found/,
        ],
        [
          { ...CREDIT, creditedInvoiceId: gid('Supplier', a.suppliers[0].id) },
          'NOT_FOUND',
          /not found/,
        ],
        [
          { creditedInvoiceId: gid('PurchaseInvoice', ofOtherSupplier.id) },
          'VALIDATION',
          /Only a credit note/,
        ],
      ];
      for (const [overrides, code, message] of cases) {
        const payload = await expectNoChange(srv.db, () => create(overrides));
        expect(payload.userErrors).toEqual([
          { code, message: expect.stringMatching(message), field: ['creditedInvoiceId'] },
        ]);
      }
    });
  });

  describe('duplicate detection per kind', () => {
    it('lets an invoice and a credit note share a number, refuses a second credit note with it', async () => {
      await ok(writer, CREATE, invoiceInput(a.orgId, supplier(a), { invoiceNumber: 'SAME-1' }));
      await ok(
        writer,
        CREATE,
        invoiceInput(a.orgId, supplier(a), { ...CREDIT, invoiceNumber: 'SAME-1' }),
      );
      const again = await expectNoChange(srv.db, () =>
        create({ ...CREDIT, invoiceNumber: 'same-1' }),
      );
      expect(codes(again)).toEqual(['DUPLICATE_INVOICE']);
      expect(again.userErrors[0].message).toMatch(/already has credit note SAME-1/);
    });
  });

  it('filters the invoice list by kind', async () => {
    const list = async (kind?: string[]) =>
      (await writer(LIST, { org: a.orgId, filter: kind ? { kind } : null })).data!.invoices;
    const all = await list();
    const credits = await list(['CREDIT_NOTE']);
    const invoices = await list(['INVOICE']);
    expect(credits.totalCount).toBeGreaterThan(0);
    expect(invoices.totalCount).toBeGreaterThan(0);
    expect(credits.nodes.every((n: { kind: string }) => n.kind === 'CREDIT_NOTE')).toBe(true);
    expect(invoices.nodes.every((n: { kind: string }) => n.kind === 'INVOICE')).toBe(true);
    expect(credits.totalCount + invoices.totalCount).toBe(all.totalCount);
  });
});
