import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onDomainEvent, type DomainEvents } from '../common/domain-events.js';
import { isoDate } from '../common/validation.js';
import { InvoiceStatus, type PurchaseInvoice } from '../modules/invoices/invoice.entity.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import type { GqlClient, GqlResult } from '../testing/server.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import {
  codes,
  expectNoChange,
  INVOICE,
  key,
  mutate,
  ok,
  PAY,
  type Data,
} from './write-api.helpers.js';

const PAYMENTS = `query($org: ID!, $first: Int, $after: String) {
  payments(organizationId: $org, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id amount paymentDate documentNumber invoice { id } }
  }
}`;

describe('payments', () => {
  let srv: TestServer;
  let t: Tenant;
  let other: Tenant;
  let writer: GqlClient;
  const recorded: DomainEvents['payment.recorded'][] = [];

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'payer');
    other = await createTenant(srv.db.orm, 'other');
    writer = srv.client({ token: t.tokens.write });
    onDomainEvent('payment.recorded', async (_em, e) => {
      recorded.push(e);
    });
  });
  afterAll(() => srv?.stop());

  // Gross 125.50 unless lines say otherwise.
  const approved = (spec: Parameters<typeof createInvoice>[2] = {}, tenant = t) =>
    createInvoice(srv.db.orm.em.fork(), tenant, { status: InvoiceStatus.APPROVED, ...spec });
  const idOf = (inv: PurchaseInvoice) => gid('PurchaseInvoice', inv.id);
  const pay = (inv: PurchaseInvoice, amount: string, extra: Record<string, unknown> = {}) => ({
    invoiceId: idOf(inv),
    amount,
    paymentDate: '2026-06-15',
    source: 'MANUAL',
    idempotencyKey: key(),
    ...extra,
  });

  it('partial payments add up, each numbered in the payment sequence, shown on the invoice and its history', async () => {
    const inv = await approved();
    const first = await ok(
      writer,
      PAY,
      pay(inv, '50.00', { source: 'BANK_STATEMENT', bankReference: ' 2026061512345 ' }),
    );
    expect(first.payment).toMatchObject({
      amount: '50.00',
      paymentDate: '2026-06-15',
      source: 'BANK_STATEMENT',
      bankReference: '2026061512345',
      documentNumber: 1,
      fiscalYear: 2026,
      invoice: { id: idOf(inv) },
    });
    const second = await ok(writer, PAY, pay(inv, '75.50'));
    expect(second.payment.documentNumber).toBe(2);

    const view = (await writer(INVOICE, { id: idOf(inv) })).data!.invoice;
    expect(view).toMatchObject({ paidAmount: '125.50', openAmount: '0.00' });
    expect(view.payments.map((p: { amount: string }) => p.amount)).toEqual(['50.00', '75.50']);
    expect(view.history.nodes.map((n: { action: string }) => n.action)).toEqual([
      'payment.recorded',
      'payment.recorded',
    ]);
    expect(view.history.nodes[1].details).toMatchObject({
      amount: '50.00',
      documentNumber: 1,
      paidAmount: '50.00',
      openAmount: '75.50',
    });
    expect(recorded.filter((e) => e.invoiceId === inv.id)).toHaveLength(2);

    // Invoice document numbers are a sequence of their own.
    const [seq] = await srv.db.sql(
      `select kind, next_number from document_sequence where organization_id = $1 and kind = 'PAYMENT'`,
      [t.org.id],
    );
    expect(seq.next_number).toBe(3);
  });

  it('refuses an overpayment and writes nothing, not even a document number', async () => {
    const inv = await approved();
    await ok(writer, PAY, pay(inv, '100.00'));
    const over = await expectNoChange(srv.db, () => mutate(writer, PAY, pay(inv, '25.51')));
    expect(over.userErrors).toEqual([
      { code: 'OVERPAYMENT', message: expect.stringContaining('25.50'), field: ['amount'] },
    ]);
    expect(over.payment).toBeNull();
    const rest = await ok(writer, PAY, pay(inv, '25.50'));
    const numbers = await srv.db.sql(
      `select document_number from payment where organization_id = $1 order by 1`,
      [t.org.id],
    );
    expect(numbers.map((r) => r.document_number)).toEqual(
      Array.from({ length: numbers.length }, (_, i) => i + 1),
    );
    expect(rest.payment.documentNumber).toBe(numbers.length);
    expect(codes(await mutate(writer, PAY, pay(inv, '0.01')))).toEqual(['OVERPAYMENT']);
  });

  it('concurrent payments of one invoice cannot together overpay it; numbers stay gapless', async () => {
    const inv = await approved(); // 125.50
    const results = await Promise.all(
      Array.from({ length: 6 }, () => mutate(writer, PAY, pay(inv, '40.00'))),
    );
    expect(results.filter((r) => r.payment)).toHaveLength(3);
    expect(results.filter((r) => codes(r)[0] === 'OVERPAYMENT')).toHaveLength(3);
    const numbers = await srv.db.sql(
      `select document_number from payment where organization_id = $1 order by 1`,
      [t.org.id],
    );
    expect(numbers.map((r) => r.document_number)).toEqual(
      Array.from({ length: numbers.length }, (_, i) => i + 1),
    );
  });

  it('needs a posted invoice that is not rejected or removed', async () => {
    const draft = await approved({ status: InvoiceStatus.DRAFT, posted: false });
    expect(
      (await expectNoChange(srv.db, () => mutate(writer, PAY, pay(draft, '1.00')))).userErrors,
    ).toEqual([{ code: 'NOT_POSTED', message: expect.any(String), field: ['invoiceId'] }]);
    // Posted and in circulation is enough: approval is not required to record a payment.
    const circulating = await approved({
      status: InvoiceStatus.IN_CIRCULATION,
      stage: t.stages[0],
    });
    await ok(writer, PAY, pay(circulating, '1.00'));
    const rejected = await approved({ status: InvoiceStatus.REJECTED });
    expect(
      codes(await expectNoChange(srv.db, () => mutate(writer, PAY, pay(rejected, '1.00')))),
    ).toEqual(['INVALID_STATE']);
    const removed = await approved();
    await srv.db.sql(
      `update purchase_invoice set status = 'REMOVED', removed_at = now() where id = $1`,
      [removed.id],
    );
    expect(
      codes(await expectNoChange(srv.db, () => mutate(writer, PAY, pay(removed, '1.00')))),
    ).toEqual(['INVALID_STATE']);
  });

  it('validates amount, date and bank reference', async () => {
    const inv = await approved();
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: '0.00' }, 'amount'],
      [{ amount: '-5.00' }, 'amount'],
      [{ amount: '1.001' }, 'amount'],
      [{ paymentDate: isoDate(3) }, 'paymentDate'],
      [{ source: 'BANK_STATEMENT', bankReference: null }, 'bankReference'],
      [{ bankReference: 'r'.repeat(201) }, 'bankReference'],
    ];
    for (const [extra, field] of cases) {
      const payload = await expectNoChange(srv.db, () =>
        mutate(writer, PAY, pay(inv, '10.00', extra)),
      );
      expect(payload.userErrors, field).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: [field] },
      ]);
    }
    const res = await writer(PAY, { input: pay(inv, '10.00', { source: 'CASH' }) });
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is idempotent: same key → one payment and the same payload; same key, other input → IDEMPOTENCY_KEY_REUSED', async () => {
    const inv = await approved();
    const input = pay(inv, '10.00');
    const first = await ok(writer, PAY, input);
    expect(await ok(writer, PAY, input)).toEqual(first);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => ok(writer, PAY, input)));
    expect(new Set(concurrent.map((r) => r.payment.id))).toEqual(new Set([first.payment.id]));
    const [{ n }] = await srv.db.sql(
      `select count(*)::int as n from payment where invoice_id = $1`,
      [inv.id],
    );
    expect(n).toBe(1);
    const reused = await expectNoChange(srv.db, () =>
      mutate(writer, PAY, { ...input, amount: '11.00' }),
    );
    expect(reused.userErrors).toEqual([
      { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String), field: ['idempotencyKey'] },
    ]);
  });

  it("another organization's invoice is NOT_FOUND", async () => {
    const foreign = await approved({}, other);
    const payload = await expectNoChange(srv.db, () => mutate(writer, PAY, pay(foreign, '1.00')));
    expect(payload.userErrors).toEqual([
      { code: 'NOT_FOUND', message: 'Invoice not found', field: ['invoiceId'] },
    ]);
  });

  it('lists payments newest first with stable paging, for readers of the organization only', async () => {
    const fresh = await createTenant(srv.db.orm, 'paged');
    const c = srv.client({ token: fresh.tokens.write });
    const inv = await approved({ lines: [{ netAmount: '1000.00' }] }, fresh);
    for (let day = 1; day <= 7; day++)
      await ok(c, PAY, pay(inv, '10.00', { paymentDate: `2026-05-0${day}` }));
    const reader = srv.client({ token: fresh.tokens.read });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: GqlResult<Data> = await reader(PAYMENTS, { org: fresh.orgId, first: 3, after });
      expect(res.errors).toBeUndefined();
      expect(res.data!.payments.totalCount).toBe(7);
      seen.push(...res.data!.payments.nodes.map((p: { paymentDate: string }) => p.paymentDate));
      after = res.data!.payments.pageInfo.hasNextPage
        ? res.data!.payments.pageInfo.endCursor
        : null;
    } while (after);
    expect(seen).toEqual([
      '2026-05-07',
      '2026-05-06',
      '2026-05-05',
      '2026-05-04',
      '2026-05-03',
      '2026-05-02',
      '2026-05-01',
    ]);

    const foreign = await srv.client({ token: t.tokens.read })(PAYMENTS, { org: fresh.orgId });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const badCursor = await reader(PAYMENTS, {
      org: fresh.orgId,
      after: Buffer.from('["not-a-date","x"]').toString('base64url'),
    });
    expect(badCursor.status).toBeLessThan(500);
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('only WRITE callers record payments (accountant, admin, write token)', async () => {
    const inv = await approved();
    const allowed = [
      await srv.login(t.users.accountant.email, TEST_PASSWORD),
      await srv.login(t.users.admin.email, TEST_PASSWORD),
      srv.client({ token: t.tokens.write }),
    ];
    const refused = [
      await srv.login(t.users.approver.email, TEST_PASSWORD),
      await srv.login(t.users.viewer.email, TEST_PASSWORD),
      srv.client({ token: t.tokens.read }),
      srv.client({ token: t.tokens.export }),
      srv.client({ token: t.tokens.admin }),
    ];
    for (const c of refused)
      expect(codes(await expectNoChange(srv.db, () => mutate(c, PAY, pay(inv, '1.00'))))).toEqual([
        'FORBIDDEN',
      ]);
    for (const c of allowed) await ok(c, PAY, pay(inv, '1.00'));
  });
});
