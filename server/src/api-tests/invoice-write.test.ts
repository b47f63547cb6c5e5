import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onDomainEvent, type DomainEvents } from '../common/domain-events.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { createInvoice, createTenant, gid, type Tenant } from '../testing/factories.js';
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
  POST,
  UPDATE_POSTING,
} from './write-api.helpers.js';

describe('invoice write API: create, posting, post', () => {
  let srv: TestServer;
  let a: Tenant;
  let b: Tenant;
  let writer: GqlClient;
  const postingChanged: DomainEvents['invoice.posting_changed'][] = [];

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    a = await createTenant(srv.db.orm, 'alpha');
    b = await createTenant(srv.db.orm, 'beta');
    writer = srv.client({ token: a.tokens.write });
    onDomainEvent('invoice.posting_changed', async (_em, event) => {
      postingChanged.push(event);
    });
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

  describe('updatePosting', () => {
    const draft = async () =>
      (await ok(writer, CREATE, invoiceInput(a.orgId, supplier(a)))).invoice;

    it('replaces the lines, computes omitted VAT half-up from the code, and records before/after', async () => {
      const inv = await draft();
      await ok(writer, UPDATE_POSTING, { invoiceId: inv.id, version: 1, lines: BALANCED_LINES });
      const payload = await ok(writer, UPDATE_POSTING, {
        invoiceId: inv.id,
        version: 2,
        lines: [
          { accountCode: '7300', costUnitCode: null, vatCode: 'VAT135', netAmount: '3.00' }, // 0.405 → 0.41 (half-up, not half-even)
          { accountCode: '7300', vatCode: 'VAT255', netAmount: '33.33' }, // 8.49915 → 8.50
          { accountCode: '7300', vatCode: 'EURC', netAmount: '10.00' }, // reverse charge: the supplier charges no VAT
          { accountCode: '7300', vatCode: 'VAT0', netAmount: '-2.00', vatAmount: '0.00' },
        ],
      });
      expect(payload.invoice.version).toBe(3);
      expect(payload.invoice.postingVersion).toBe(1);
      expect(payload.invoice.lines.map((l: { vatAmount: string }) => l.vatAmount)).toEqual([
        '0.41',
        '8.50',
        '0.00',
        '0.00',
      ]);
      expect(payload.invoice.lines.map((l: { position: number }) => l.position)).toEqual([
        0, 1, 2, 3,
      ]);
      // Not adding up yet is a warning on an unposted invoice, not an error.
      expect(payload.warnings.map((w: { code: string }) => w.code)).toEqual([
        'UNBALANCED',
        'UNBALANCED',
      ]);
      const history = (await writer(INVOICE, { id: inv.id })).data!.invoice.history.nodes;
      expect(history[0].action).toBe('invoice.posting_changed');
      expect(history[0].details.before).toHaveLength(2);
      expect(history[0].details.before[0]).toMatchObject({
        accountCode: '4010',
        netAmount: '60.00',
      });
      expect(history[0].details.after).toHaveLength(4);
      expect(history[0].details.after[0]).toMatchObject({ accountCode: '7300', vatAmount: '0.41' });
    });

    it('saves lines with master-data problems and returns them as warnings', async () => {
      const inv = await draft();
      const payload = await ok(writer, UPDATE_POSTING, {
        invoiceId: inv.id,
        version: 1,
        lines: [
          { accountCode: '9999', costUnitCode: 'ADM', vatCode: 'VAT255', netAmount: '20.00' },
          {
            accountCode: '4000',
            costUnitCode: 'OLD',
            vatCode: 'VAT14',
            netAmount: '20.00',
            vatAmount: '2.80',
          },
          {
            accountCode: '7390',
            costUnitCode: 'NOPE',
            vatCode: 'VAT255',
            netAmount: '60.00',
            vatAmount: '17.60',
          },
        ],
      });
      expect(payload.invoice.lines).toHaveLength(3);
      expect(
        payload.warnings.map(
          (w: { code: string; field: string[] }) => `${w.code}@${w.field.join('.')}`,
        ),
      ).toEqual([
        'ACCOUNT_NOT_FOUND@lines.0.accountCode',
        'ACCOUNT_NOT_POSTABLE@lines.1.accountCode',
        'COST_UNIT_INVALID@lines.1.costUnitCode',
        'VAT_CODE_INVALID@lines.1.vatCode',
        'ACCOUNT_NOT_POSTABLE@lines.2.accountCode',
        'COST_UNIT_INVALID@lines.2.costUnitCode',
      ]);
    });

    it('a stale version gives STALE_VERSION and writes nothing', async () => {
      const inv = await draft();
      await ok(writer, UPDATE_POSTING, { invoiceId: inv.id, version: 1, lines: BALANCED_LINES });
      const stale = await expectNoChange(srv.db, () =>
        mutate(writer, UPDATE_POSTING, {
          invoiceId: inv.id,
          version: 1,
          lines: [BALANCED_LINES[0]],
        }),
      );
      expect(stale.userErrors).toEqual([
        { code: 'STALE_VERSION', message: expect.stringContaining('now 2'), field: ['version'] },
      ]);
      expect(stale.invoice).toBeNull();
    });

    it('refuses bad lines with field paths, and a VAT amount it cannot compute', async () => {
      const inv = await draft();
      const payload = await expectNoChange(srv.db, () =>
        mutate(writer, UPDATE_POSTING, {
          invoiceId: inv.id,
          version: 1,
          lines: [
            { accountCode: '4010', vatCode: 'NOSUCH', netAmount: '10.00' },
            { accountCode: ' ', vatCode: 'VAT255', netAmount: '0.00', vatAmount: '0.00' },
            {
              accountCode: '4010',
              vatCode: 'VAT255',
              netAmount: '1.00',
              description: 'd'.repeat(501),
            },
          ],
        }),
      );
      expect(payload.userErrors.map((e) => e.field!.join('.'))).toEqual([
        'lines.0.vatAmount',
        'lines.1.accountCode',
        'lines.1.netAmount',
        'lines.2.description',
      ]);
      expect(new Set(codes(payload))).toEqual(new Set(['VALIDATION']));
    });

    it('refuses while a transfer of the invoice is in flight (TRANSFER_IN_PROGRESS)', async () => {
      const em = srv.db.orm.em.fork();
      const inv = await createInvoice(em, a, { status: InvoiceStatus.APPROVED });
      await srv.db.sql(`update purchase_invoice set transfer_status = 'SENDING' where id = $1`, [
        inv.id,
      ]);
      const payload = await expectNoChange(srv.db, () =>
        mutate(writer, UPDATE_POSTING, {
          invoiceId: gid('PurchaseInvoice', inv.id),
          version: 1,
          lines: BALANCED_LINES,
        }),
      );
      expect(codes(payload)).toEqual(['TRANSFER_IN_PROGRESS']);
    });

    it('on a posted invoice: lines must keep adding up; a change bumps postingVersion and raises invoice.posting_changed', async () => {
      const em = srv.db.orm.em.fork();
      const inv = await createInvoice(em, a, {
        status: InvoiceStatus.APPROVED,
        ledgerVersion: 1,
        lines: [{ netAmount: '100.00' }],
      });
      const id = gid('PurchaseInvoice', inv.id);
      const unbalanced = await expectNoChange(srv.db, () =>
        mutate(writer, UPDATE_POSTING, {
          invoiceId: id,
          version: 1,
          lines: [{ accountCode: '7300', vatCode: 'VAT255', netAmount: '90.00' }],
        }),
      );
      expect(unbalanced.userErrors.map((e) => [e.code, e.field])).toEqual([
        ['UNBALANCED', ['lines', 'netAmount']],
        ['UNBALANCED', ['lines', 'vatAmount']],
      ]);
      expect(postingChanged.filter((e) => e.invoiceId === inv.id)).toEqual([]);

      const moved = await ok(writer, UPDATE_POSTING, {
        invoiceId: id,
        version: 1,
        lines: [
          { accountCode: '7300', costUnitCode: 'SAL', vatCode: 'VAT255', netAmount: '50.00' },
          { accountCode: '6800', costUnitCode: 'ADM', vatCode: 'VAT255', netAmount: '50.00' },
        ],
      });
      expect(moved.invoice).toMatchObject({
        posted: true,
        postingVersion: 2,
        version: 2,
        documentNumber: inv.documentNumber,
      });
      expect(moved.warnings).toEqual([]);
      expect(postingChanged.filter((e) => e.invoiceId === inv.id)).toEqual([
        expect.objectContaining({
          organizationId: a.org.id,
          postingVersion: 2,
          userId: null,
          requestId: expect.any(String),
        }),
      ]);
      // Saving the same lines again changes nothing.
      const same = await ok(writer, UPDATE_POSTING, {
        invoiceId: id,
        version: 2,
        lines: [
          {
            accountCode: '7300',
            costUnitCode: 'SAL',
            vatCode: 'VAT255',
            netAmount: '50.00',
            vatAmount: '12.75',
          },
          { accountCode: '6800', costUnitCode: 'ADM', vatCode: 'VAT255', netAmount: '50.00' },
        ],
      });
      expect(same.invoice).toMatchObject({ version: 2, postingVersion: 2 });
      const ledger = await writer(`query($id: ID!) { invoice(id: $id) { ledgerOutOfDate } }`, {
        id,
      });
      expect(ledger.data!.invoice.ledgerOutOfDate).toBe(true);
    });
  });

  describe('postInvoice', () => {
    const withLines = async (
      lines: unknown[],
      overrides: Record<string, unknown> = {},
      tenant = a,
    ) => {
      const c = srv.client({ token: tenant.tokens.write });
      const created = await ok(
        c,
        CREATE,
        invoiceInput(tenant.orgId, supplier(tenant), { lines, ...overrides }),
      );
      return created.invoice;
    };

    it('refuses an invoice without lines or whose lines do not add up, with field paths, writing nothing', async () => {
      const empty = await withLines([]);
      const noLines = await expectNoChange(srv.db, () =>
        mutate(writer, POST, { invoiceId: empty.id, version: 1 }),
      );
      expect(noLines.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['lines'] },
      ]);

      const off = await withLines([
        { accountCode: '4010', vatCode: 'VAT255', netAmount: '100.00', vatAmount: '25.49' },
      ]);
      const unbalanced = await expectNoChange(srv.db, () =>
        mutate(writer, POST, { invoiceId: off.id, version: 1 }),
      );
      expect(unbalanced.userErrors).toEqual([
        {
          code: 'UNBALANCED',
          message: expect.stringContaining('difference 0.01'),
          field: ['lines', 'vatAmount'],
        },
      ]);
      expect(unbalanced.invoice).toBeNull();
    });

    it('posts, numbers, records invoice.posted, and refuses to post twice or at a stale version', async () => {
      const t = await createTenant(srv.db.orm, 'posting');
      const c = srv.client({ token: t.tokens.write });
      const inv = await withLines(BALANCED_LINES, {}, t);
      const posted = await ok(c, POST, { invoiceId: inv.id, version: 1 });
      expect(posted.invoice).toMatchObject({
        posted: true,
        documentNumber: 1,
        fiscalYear: 2026,
        version: 2,
      });
      const again = await expectNoChange(srv.db, () =>
        mutate(c, POST, { invoiceId: inv.id, version: 2 }),
      );
      expect(codes(again)).toEqual(['INVALID_STATE']);
      const stale = await expectNoChange(srv.db, () =>
        mutate(c, POST, { invoiceId: inv.id, version: 1 }),
      );
      expect(codes(stale)).toEqual(['STALE_VERSION']);
      const history = (await c(INVOICE, { id: inv.id })).data!.invoice.history.nodes;
      expect(history[0]).toMatchObject({
        action: 'invoice.posted',
        details: { documentNumber: 1, fiscalYear: 2026 },
      });

      // The fiscal year of the bill date picks the sequence; each organization has its own.
      const older = await withLines(
        BALANCED_LINES,
        { billDate: '2025-12-31', dueDate: '2026-01-30' },
        t,
      );
      expect((await ok(c, POST, { invoiceId: older.id, version: 1 })).invoice).toMatchObject({
        documentNumber: 1,
        fiscalYear: 2025,
      });
      const next = await withLines(BALANCED_LINES, {}, t);
      expect((await ok(c, POST, { invoiceId: next.id, version: 1 })).invoice).toMatchObject({
        documentNumber: 2,
        fiscalYear: 2026,
      });
    });

    it('gives gapless document numbers to 20 concurrent postings, skipping none for refused ones', async () => {
      const t = await createTenant(srv.db.orm, 'gapless');
      const c = srv.client({ token: t.tokens.write });
      const good = await Promise.all(
        Array.from({ length: 20 }, () => withLines(BALANCED_LINES, {}, t)),
      );
      const bad = await Promise.all(
        Array.from({ length: 4 }, () => withLines([BALANCED_LINES[0]], {}, t)),
      );
      const all = [...good, ...bad].sort(() => Math.random() - 0.5);
      const results = await Promise.all(
        all.map((inv) => mutate(c, POST, { invoiceId: inv.id, version: 1 })),
      );
      const numbers = results.filter((r) => r.invoice).map((r) => r.invoice.documentNumber);
      expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(results.filter((r) => codes(r)[0] === 'UNBALANCED')).toHaveLength(4);
      const [seq] = await srv.db.sql(
        `select next_number from document_sequence where organization_id = $1 and kind = 'INVOICE' and fiscal_year = 2026`,
        [t.org.id],
      );
      expect(seq.next_number).toBe(21);
      const rows = await srv.db.sql(
        `select document_number from purchase_invoice where organization_id = $1 and posted order by 1`,
        [t.org.id],
      );
      expect(rows.map((r) => r.document_number)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });
  });

  it('rejects a change of a removed invoice', async () => {
    const em = srv.db.orm.em.fork();
    const inv = await createInvoice(em, a, { status: InvoiceStatus.DRAFT, posted: false });
    await srv.db.sql(
      `update purchase_invoice set status = 'REMOVED', removed_at = now() where id = $1`,
      [inv.id],
    );
    const payload = await expectNoChange(srv.db, () =>
      mutate(writer, UPDATE_POSTING, {
        invoiceId: gid('PurchaseInvoice', inv.id),
        version: 1,
        lines: BALANCED_LINES,
      }),
    );
    expect(codes(payload)).toEqual(['INVALID_STATE']);
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
