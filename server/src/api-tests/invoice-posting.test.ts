/**
 * The posting half of the invoice write API: updatePosting and postInvoice (createPurchaseInvoice,
 * duplicates and idempotency are in invoice-write.test.ts).
 */
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
  mutate,
  ok,
  POST,
  UPDATE_POSTING,
} from './write-api.helpers.js';

describe('invoice write API: posting and post', () => {
  let srv: TestServer;
  let a: Tenant;
  let writer: GqlClient;
  const postingChanged: DomainEvents['invoice.posting_changed'][] = [];

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    a = await createTenant(srv.db.orm, 'alpha');
    writer = srv.client({ token: a.tokens.write });
    onDomainEvent('invoice.posting_changed', async (_em, event) => {
      postingChanged.push(event);
    });
  });
  afterAll(() => srv?.stop());

  const supplier = (t: Tenant, i = 0) => gid('Supplier', t.suppliers[i].id);

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
});
