/**
 * Idempotency wherever money moves: every such mutation requires a key (checked on the built
 * schema), and the ones not covered by their own module's tests (exportPayments, retryTransfer,
 * removeInvoice, removeFromAccounting) replay, refuse a reused key and let one of concurrent
 * duplicates win here.
 */
import { randomUUID } from 'node:crypto';
import { getNamedType, isInputObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, type NodeTypeName } from '../common/ids.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { createSchema } from '../schema.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../testing/server.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../testing/transfers.js';

/** Every mutation that creates something or moves money. */
const MONEY_MOVING = [
  'createPurchaseInvoice',
  'recordPayment',
  'exportInvoices',
  'exportPayments',
  'retryTransfer',
  'removeInvoice',
  'removeFromAccounting',
  'removeInvoicesFromAccounting',
];

const UE = 'userErrors { code message field }';

type Payload = { batch?: { id: string } | null; transfer?: { id: string } | null };

describe('idempotency', () => {
  let srv: TestServer;
  let t: Tenant;
  let accountant: GqlClient;
  const inLedger: string[] = [];
  const failed: string[] = [];
  const payments: string[] = [];
  const count = async (table: string) =>
    (await srv.db.sql<{ n: number }>(`select count(*)::int as n from ${table}`))[0].n;

  beforeAll(async () => {
    srv = await startTestServer({ env: { ...FAST_WORKER_ENV } });
    t = await createTenant(srv.db.orm, 'idem');
    accountant = await srv.login('accountant@idem.test', TEST_PASSWORD);
    const em = srv.db.orm.em.fork();
    const good = [];
    for (let i = 0; i < 5; i++)
      good.push(await createInvoice(em, t, { status: InvoiceStatus.APPROVED }));
    const bad = [];
    for (let i = 0; i < 2; i++)
      bad.push(
        await createInvoice(em, t, {
          status: InvoiceStatus.APPROVED,
          lines: [{ accountCode: '7390', netAmount: '10.00' }],
        }),
      );
    const res = await accountant(
      `mutation($i: ExportInvoicesInput!) { exportInvoices(input: $i) { transfers { id } ${UE} } }`,
      {
        i: {
          organizationId: t.orgId,
          invoiceIds: [...good, ...bad].map((x) => gid('PurchaseInvoice', x.id)),
          idempotencyKey: randomUUID(),
        },
      },
    );
    expect(res.data!.exportInvoices.userErrors).toEqual([]);
    const transfers = await waitForTransfers(srv.db.orm, { organizationId: t.org.id }, 60_000);
    for (const x of transfers) if (x.status === 'FAILED') failed.push(gid('Transfer', x.id));
    inLedger.push(...good.map((x) => gid('PurchaseInvoice', x.id)));
    for (const invoiceId of inLedger.splice(0, 2)) {
      const p = await accountant(
        `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { payment { id } ${UE} } }`,
        {
          i: {
            invoiceId,
            amount: '5.00',
            paymentDate: new Date().toISOString().slice(0, 10),
            source: 'MANUAL',
            idempotencyKey: randomUUID(),
          },
        },
      );
      payments.push(p.data!.recordPayment.payment.id);
    }
    expect(failed).toHaveLength(2);
  }, 120_000);
  afterAll(() => srv?.stop());

  it('every money-moving mutation requires idempotencyKey: String!', async () => {
    const schema = await createSchema();
    const fields = schema.getMutationType()!.getFields();
    for (const name of MONEY_MOVING) {
      const input = getNamedType(fields[name].args.find((a) => a.name === 'input')!.type);
      expect(isInputObjectType(input), name).toBe(true);
      const key = isInputObjectType(input) ? input.getFields().idempotencyKey : undefined;
      expect(key, `${name} takes idempotencyKey`).toBeDefined();
      expect(String(key!.type), name).toBe('String!');
    }
  });

  const cases = [
    {
      name: 'exportPayments',
      doc: `mutation($i: ExportPaymentsInput!) { exportPayments(input: $i) { batch { id } transfers { id } ${UE} } }`,
      input: () => ({ organizationId: t.orgId, paymentIds: [payments.pop()!] }),
      other: () => ({ organizationId: t.orgId, paymentIds: [] as string[] }),
      id: (p: Payload) => p.batch?.id,
      node: 'TransferBatch' as NodeTypeName,
    },
    {
      name: 'retryTransfer',
      doc: `mutation($i: RetryTransferInput!) { retryTransfer(input: $i) { transfer { id } ${UE} } }`,
      input: () => ({ transferId: failed.pop()! }),
      other: () => ({ transferId: failed[0] }),
      id: (p: Payload) => p.transfer?.id,
      node: 'Transfer' as NodeTypeName,
    },
    {
      name: 'removeInvoice',
      doc: `mutation($i: RemoveInvoiceInput!) { removeInvoice(input: $i) { invoice { id status } transfer { id } ${UE} } }`,
      input: () => ({ invoiceId: inLedger.pop()!, alsoRemoveFromAccounting: true }),
      other: () => ({ invoiceId: inLedger[0], alsoRemoveFromAccounting: false }),
      id: (p: Payload) => p.transfer?.id,
      node: 'Transfer' as NodeTypeName,
    },
    {
      name: 'removeFromAccounting',
      doc: `mutation($i: RemoveFromAccountingInput!) { removeFromAccounting(input: $i) { transfer { id kind } ${UE} } }`,
      input: () => ({ invoiceId: inLedger.pop()! }),
      other: () => ({ invoiceId: inLedger[0] }),
      id: (p: Payload) => p.transfer?.id,
      node: 'Transfer' as NodeTypeName,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: same key and input → the same result, written once; same key, other input → IDEMPOTENCY_KEY_REUSED`, async () => {
      const key = randomUUID();
      const input = { ...c.input(), idempotencyKey: key };
      const before = await count('transfer');
      const first = (await accountant(c.doc, { i: input })).data![c.name];
      expect(first.userErrors).toEqual([]);
      // The first call wrote one transfer, and the id it answered names it (or its batch).
      const transfers = await count('transfer');
      expect(transfers).toBe(before + 1);
      const written = fromGlobalId(c.id(first) ?? '', c.node);
      expect(written, `${c.name} answers a ${c.node} id`).not.toBeNull();
      const named = await srv.db.sql(
        `select 1 from transfer where organization_id = $1 and (id = $2 or batch_id = $2)`,
        [t.org.id, written],
      );
      expect(named).toHaveLength(1);
      const again = (await accountant(c.doc, { i: input })).data![c.name];
      expect(c.id(again)).toBe(c.id(first));
      expect(await count('transfer')).toBe(transfers);
      const reused = (await accountant(c.doc, { i: { ...c.other(), idempotencyKey: key } })).data![
        c.name
      ];
      expect(reused.userErrors.map((e: { code: string }) => e.code)).toEqual([
        'IDEMPOTENCY_KEY_REUSED',
      ]);
      expect(await count('transfer')).toBe(transfers);
    });
  }

  it('concurrent duplicates: one runs, the others get its result', async () => {
    const doc = `mutation($i: RemoveFromAccountingInput!) { removeFromAccounting(input: $i) { transfer { id } ${UE} } }`;
    const input = { invoiceId: inLedger.pop()!, idempotencyKey: randomUUID() };
    const transfers = await count('transfer');
    const results = await Promise.all(
      Array.from({ length: 6 }, () => accountant(doc, { i: input })),
    );
    const ids = new Set(results.map((r) => r.data!.removeFromAccounting.transfer?.id));
    expect(results.map((r) => r.data!.removeFromAccounting.userErrors)).toEqual(Array(6).fill([]));
    expect(ids.size).toBe(1);
    expect(await count('transfer')).toBe(transfers + 1);
  });

  it('an export that accepts nothing keeps its key free for the retry', async () => {
    const draft = await createInvoice(srv.db.orm.em.fork(), t, {
      status: InvoiceStatus.DRAFT,
      posted: false,
    });
    const key = randomUUID();
    const doc = `mutation($i: ExportInvoicesInput!) { exportInvoices(input: $i) { batch { id } transfers { id } ${UE} } }`;
    const refused = (
      await accountant(doc, {
        i: {
          organizationId: t.orgId,
          invoiceIds: [gid('PurchaseInvoice', draft.id)],
          idempotencyKey: key,
        },
      })
    ).data!.exportInvoices;
    expect(refused.batch).toBeNull();
    expect(refused.userErrors.length).toBeGreaterThan(0);
    expect(
      (await srv.db.sql(`select 1 from idempotency_record where key = $1`, [key])).length,
    ).toBe(0);
    // Fixed, the same key exports.
    await srv.db.sql(
      `update purchase_invoice set status = 'APPROVED', posted = true, document_number = 9999, fiscal_year = extract(year from bill_date) where id = $1`,
      [draft.id],
    );
    const retried = (
      await accountant(doc, {
        i: {
          organizationId: t.orgId,
          invoiceIds: [gid('PurchaseInvoice', draft.id)],
          idempotencyKey: key,
        },
      })
    ).data!.exportInvoices;
    expect(retried.userErrors).toEqual([]);
    expect(retried.batch.id).toBeTruthy();
  });
});
