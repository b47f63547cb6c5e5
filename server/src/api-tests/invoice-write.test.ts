/**
 * The creating half of the invoice write API: createPurchaseInvoice, duplicate detection and
 * idempotency (updatePosting and postInvoice are in invoice-posting.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, gid, type Tenant } from '../testing/factories.js';
import type { GqlClient } from '../testing/server.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import {
  BALANCED_LINES,
  codes,
  CREATE,
  expectNoChange,
  INVOICE,
  invoiceInput,
  key,
  mutate,
  nextBillDate,
  ok,
} from './write-api.helpers.js';

describe('invoice write API: create', () => {
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
  const create = (overrides: Record<string, unknown> = {}, client = writer) =>
    mutate(client, CREATE, invoiceInput(a.orgId, supplier(a), overrides));
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await srv.db.sql<{ n: string }>(sql, params))[0].n);

  describe('createPurchaseInvoice', () => {
    it('creates a DRAFT invoice with its lines, and records invoice.created with the API client as actor', async () => {
      const payload = await ok(
        writer,
        CREATE,
        invoiceInput(a.orgId, supplier(a), { invoiceNumber: '  RF-1001 ', lines: BALANCED_LINES }),
      );
      expect(payload.invoice).toMatchObject({
        invoiceNumber: 'RF-1001',
        status: 'DRAFT',
        posted: false,
        documentNumber: null,
        version: 1,
        netAmount: '100.00',
        vatAmount: '25.50',
        grossAmount: '125.50',
        currency: 'EUR',
      });
      expect(payload.invoice.lines).toEqual([
        {
          position: 0,
          accountCode: '4010',
          costUnitCode: 'ADM',
          vatCode: 'VAT255',
          netAmount: '60.00',
          vatAmount: '15.30',
          description: 'Materials',
        },
        {
          position: 1,
          accountCode: '6800',
          costUnitCode: 'SAL',
          vatCode: 'VAT255',
          netAmount: '40.00',
          vatAmount: '10.20',
          description: 'Paper',
        },
      ]);
      expect(payload.warnings).toEqual([]);
      const inv = (await writer(INVOICE, { id: payload.invoice.id })).data!.invoice;
      expect(inv.history.nodes).toEqual([
        {
          action: 'invoice.created',
          actor: { __typename: 'ApiClient', name: 'write token' },
          details: expect.objectContaining({
            invoiceNumber: 'RF-1001',
            grossAmount: '125.50',
            lines: 2,
          }),
        },
      ]);
      const [audit] = await srv.db.sql(`select request_id from audit_event where invoice_id = $1`, [
        (await srv.db.sql(`select id from purchase_invoice where invoice_number = 'RF-1001'`))[0]
          .id,
      ]);
      expect(audit.request_id).toEqual(expect.any(String));
    });

    it('returns every validation problem with its field, and writes nothing', async () => {
      const payload = await expectNoChange(srv.db, () =>
        create({
          invoiceNumber: '   ',
          currency: 'EURO',
          billDate: '2026-03-10',
          dueDate: '2026-03-09',
          netAmount: '100.001',
          vatAmount: '-1.00',
          grossAmount: '0',
        }),
      );
      expect(payload.invoice).toBeNull();
      const byField = Object.fromEntries(
        payload.userErrors.map((e) => [e.field!.join('.'), e.code]),
      );
      expect(byField).toEqual({
        invoiceNumber: 'VALIDATION',
        currency: 'VALIDATION',
        dueDate: 'VALIDATION',
        netAmount: 'VALIDATION',
        vatAmount: 'VALIDATION',
        grossAmount: 'VALIDATION',
      });
    });

    it('checks that net + VAT = gross, the invoice number length and the currency code', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ grossAmount: '125.49' }, 'grossAmount'],
        [{ invoiceNumber: 'x'.repeat(101) }, 'invoiceNumber'],
        [{ currency: 'XYZ' }, 'currency'],
        [{ invoiceNumber: 'RF\u0000-1' }, 'invoiceNumber'],
        [{ currency: 'E1R' }, 'currency'],
        [
          { netAmount: '99999999999999.00', vatAmount: '0.00', grossAmount: '99999999999999.00' },
          'netAmount',
        ],
        [{ lines: [{ ...BALANCED_LINES[0], accountCode: '' }] }, 'lines.0.accountCode'],
        [{ lines: [{ ...BALANCED_LINES[0], netAmount: '1.234' }] }, 'lines.0.netAmount'],
      ];
      for (const [overrides, field] of cases) {
        const payload = await expectNoChange(srv.db, () => create(overrides));
        expect(
          payload.userErrors.map((e) => e.field!.join('.')),
          field,
        ).toContain(field);
        expect(codes(payload)).toContain('VALIDATION');
      }
      // Lower-case ISO codes are accepted and stored upper-case; the exact due date is fine.
      const { billDate } = nextBillDate();
      const okPayload = await ok(
        writer,
        CREATE,
        invoiceInput(a.orgId, supplier(a), { currency: 'sek', billDate, dueDate: billDate }),
      );
      expect(okPayload.invoice.currency).toBe('SEK');
    });

    it("refuses another organization's supplier and organization exactly like missing ones", async () => {
      const foreignSupplier = await expectNoChange(srv.db, () =>
        create({ supplierId: supplier(b) }),
      );
      const missingSupplier = await create({
        supplierId: gid('Supplier', '00000000-0000-4000-8000-000000000000'),
      });
      const wrongType = await create({ supplierId: a.orgId });
      expect(foreignSupplier.userErrors).toEqual([
        { code: 'NOT_FOUND', message: 'Supplier not found', field: ['supplierId'] },
      ]);
      expect(missingSupplier.userErrors).toEqual(foreignSupplier.userErrors);
      expect(wrongType.userErrors).toEqual(foreignSupplier.userErrors);

      const foreignOrg = await expectNoChange(srv.db, () =>
        mutate(writer, CREATE, invoiceInput(b.orgId, supplier(b))),
      );
      const missingOrg = await mutate(
        writer,
        CREATE,
        invoiceInput(gid('Organization', '00000000-0000-4000-8000-000000000000'), supplier(b)),
      );
      const malformedOrg = await mutate(writer, CREATE, invoiceInput('nonsense', supplier(b)));
      expect(foreignOrg.userErrors).toEqual([
        { code: 'NOT_FOUND', message: 'Organization not found', field: ['organizationId'] },
      ]);
      expect(missingOrg.userErrors).toEqual(foreignOrg.userErrors);
      expect(malformedOrg.userErrors).toEqual(foreignOrg.userErrors);
    });

    it('malformed values are GraphQL validation errors, never a 500', async () => {
      for (const overrides of [
        { netAmount: 100.5 },
        { billDate: '2026-02-30' },
        { netAmount: 'abc' },
        { lines: [{ accountCode: '4010' }] },
      ]) {
        const res = await writer(CREATE, { input: invoiceInput(a.orgId, supplier(a), overrides) });
        expect(res.status).toBeLessThan(500);
        expect(res.errors?.[0].extensions?.code).toMatch(
          /BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/,
        );
      }
    });
  });

  describe('duplicate detection', () => {
    it('refuses the same supplier and invoice number, naming the existing invoice, unless allowDuplicate', async () => {
      const first = await ok(
        writer,
        CREATE,
        invoiceInput(a.orgId, supplier(a), { invoiceNumber: 'DUP-77' }),
      );
      const again = await expectNoChange(srv.db, () =>
        create({
          invoiceNumber: ' dup-77',
          billDate: '2026-01-05',
          dueDate: '2026-01-05',
          netAmount: '1.00',
          vatAmount: '0.00',
          grossAmount: '1.00',
        }),
      );
      expect(again.userErrors).toHaveLength(1);
      expect(again.userErrors[0]).toMatchObject({
        code: 'DUPLICATE_INVOICE',
        field: ['invoiceNumber'],
      });
      expect(again.userErrors[0].message).toContain(first.invoice.id);
      expect(again.userErrors[0].message).toContain('DUP-77');

      // Another supplier may use the same number.
      await ok(writer, CREATE, invoiceInput(a.orgId, supplier(a, 1), { invoiceNumber: 'DUP-77' }));
      const allowed = await ok(
        writer,
        CREATE,
        invoiceInput(a.orgId, supplier(a), { invoiceNumber: 'DUP-77', allowDuplicate: true }),
      );
      expect(allowed.invoice.id).not.toBe(first.invoice.id);
      const inv = (await writer(INVOICE, { id: allowed.invoice.id })).data!.invoice;
      expect(inv.history.nodes[0].details.allowedDuplicateOf).toEqual([first.invoice.id]);
    });

    it('refuses the same supplier, bill date and gross amount under another number', async () => {
      const first = await ok(
        writer,
        CREATE,
        invoiceInput(a.orgId, supplier(a, 2), {
          billDate: '2026-02-14',
          dueDate: '2026-03-14',
          netAmount: '800.00',
          vatAmount: '204.00',
          grossAmount: '1004.00',
        }),
      );
      const again = await expectNoChange(srv.db, () =>
        mutate(
          writer,
          CREATE,
          invoiceInput(a.orgId, supplier(a, 2), {
            billDate: '2026-02-14',
            dueDate: '2026-02-28',
            netAmount: '1004.00',
            vatAmount: '0.00',
            grossAmount: '1004.00',
          }),
        ),
      );
      expect(again.userErrors).toEqual([
        {
          code: 'DUPLICATE_INVOICE',
          message: expect.stringContaining(first.invoice.id),
          field: ['grossAmount'],
        },
      ]);
    });

    it('lets exactly one of several concurrent creates of the same invoice through', async () => {
      const input = () => invoiceInput(a.orgId, supplier(a, 1), { invoiceNumber: 'RACE-1' });
      const results = await Promise.all(
        Array.from({ length: 6 }, () => mutate(writer, CREATE, input())),
      );
      expect(results.filter((r) => r.invoice).length).toBe(1);
      expect(results.filter((r) => codes(r)[0] === 'DUPLICATE_INVOICE').length).toBe(5);
      expect(
        await count(`select count(*) as n from purchase_invoice where invoice_number = 'RACE-1'`),
      ).toBe(1);
    });
  });

  describe('idempotency', () => {
    it('same key and input twice → one invoice and the same payload', async () => {
      const input = invoiceInput(a.orgId, supplier(a), { lines: BALANCED_LINES });
      const first = await ok(writer, CREATE, input);
      const second = await ok(writer, CREATE, input);
      expect(second).toEqual(first);
      expect(
        await count(`select count(*) as n from purchase_invoice where invoice_number = $1`, [
          input.invoiceNumber,
        ]),
      ).toBe(1);
      expect(
        await count(
          `select count(*) as n from audit_event where action = 'invoice.created' and invoice_id = (select id from purchase_invoice where invoice_number = $1)`,
          [input.invoiceNumber],
        ),
      ).toBe(1);
    });

    it('same key with other input → IDEMPOTENCY_KEY_REUSED, nothing written', async () => {
      const input = invoiceInput(a.orgId, supplier(a));
      await ok(writer, CREATE, input);
      const reused = await expectNoChange(srv.db, () =>
        mutate(writer, CREATE, { ...input, invoiceNumber: 'OTHER-1' }),
      );
      expect(reused.userErrors).toEqual([
        { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String), field: ['idempotencyKey'] },
      ]);
      expect(reused.invoice).toBeNull();
    });

    it('concurrent requests with one key → one invoice, every caller gets it', async () => {
      const input = invoiceInput(a.orgId, supplier(a));
      const results = await Promise.all(Array.from({ length: 8 }, () => ok(writer, CREATE, input)));
      expect(new Set(results.map((r) => r.invoice.id)).size).toBe(1);
      expect(
        await count(`select count(*) as n from purchase_invoice where invoice_number = $1`, [
          input.invoiceNumber,
        ]),
      ).toBe(1);
    });

    it('a refused request leaves its key free for the corrected retry', async () => {
      const input = invoiceInput(a.orgId, supplier(a), { grossAmount: '1.00' });
      expect(codes(await create(input))).toEqual(['VALIDATION']);
      const fixed = await ok(writer, CREATE, { ...input, grossAmount: '125.50' });
      expect(fixed.invoice.grossAmount).toBe('125.50');
    });

    it('a malformed key is a VALIDATION error', async () => {
      const payload = await expectNoChange(srv.db, () => create({ idempotencyKey: 'has space' }));
      expect(payload.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['idempotencyKey'] },
      ]);
    });
  });

  it('a new idempotency key per request is required only per organization', async () => {
    const shared = key();
    const inA = await ok(
      writer,
      CREATE,
      invoiceInput(a.orgId, supplier(a), { idempotencyKey: shared }),
    );
    const inB = await ok(
      srv.client({ token: b.tokens.write }),
      CREATE,
      invoiceInput(b.orgId, supplier(b), { idempotencyKey: shared }),
    );
    expect(inA.invoice.id).not.toBe(inB.invoice.id);
  });
});
