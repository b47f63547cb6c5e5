import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoice, createTenant, gid, type Tenant } from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../../testing/transfers.js';

const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id } userErrors { code } } }`;
const REVERSE_MANY = `mutation($input: RemoveInvoicesFromAccountingInput!) { removeInvoicesFromAccounting(input: $input) {
  batch { id total } transfers { id kind invoice { id } } userErrors { code field } } }`;

describe('removeInvoicesFromAccounting', () => {
  let srv: TestServer;
  let t: Tenant;
  let other: Tenant;
  let accountant: GqlClient;

  beforeAll(async () => {
    srv = await startTestServer({ env: FAST_WORKER_ENV });
    t = await createTenant(srv.db.orm, 'reverse-many');
    other = await createTenant(srv.db.orm, 'reverse-many-other');
    accountant = srv.client({ token: t.tokens.export });
  });
  afterAll(() => srv?.stop());

  const openEntries = async (references: string[]) => {
    const [row] = await srv.db.sql<{ n: string }>(
      `select count(*) as n from ledger.entry where organization_id = $1 and reference = any($2::text[])
          and kind = 'INVOICE' and reversed_by_entry_id is null`,
      [t.org.id, references],
    );
    return Number(row.n);
  };

  it('reverses many invoices in one batch and explains each refused one at its index', async () => {
    const em = srv.db.orm.em.fork();
    const inLedger = [await createInvoice(em, t), await createInvoice(em, t)];
    const notInLedger = await createInvoice(em, t);
    const foreign = await createInvoice(em.fork(), other);
    const exported = await accountant(EXPORT, {
      input: {
        organizationId: t.orgId,
        invoiceIds: inLedger.map((i) => gid('PurchaseInvoice', i.id)),
        idempotencyKey: randomUUID(),
      },
    });
    expect(exported.data!.exportInvoices.userErrors).toEqual([]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const references = inLedger.map((i) => i.invoiceNumber);
    expect(await openEntries(references)).toBe(2);

    const ids = [
      gid('PurchaseInvoice', inLedger[1].id),
      gid('PurchaseInvoice', notInLedger.id),
      gid('PurchaseInvoice', foreign.id),
      gid('PurchaseInvoice', inLedger[0].id),
      gid('PurchaseInvoice', inLedger[1].id),
    ];
    const input = { organizationId: t.orgId, invoiceIds: ids, idempotencyKey: randomUUID() };
    const res = await accountant(REVERSE_MANY, { input });
    const payload = res.data!.removeInvoicesFromAccounting;
    expect(payload.userErrors).toEqual([
      { code: 'NOT_IN_LEDGER', field: ['invoiceIds', '1'] },
      // Another organization's invoice looks exactly like a missing one.
      { code: 'NOT_FOUND', field: ['invoiceIds', '2'] },
      { code: 'VALIDATION', field: ['invoiceIds', '4'] },
    ]);
    expect(payload.batch.total).toBe(2);
    expect(
      payload.transfers.map((x: { kind: string; invoice: { id: string } }) => [
        x.kind,
        x.invoice.id,
      ]),
    ).toEqual([
      ['REVERSAL', ids[0]],
      ['REVERSAL', ids[3]],
    ]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    expect(await openEntries(references)).toBe(0);

    // The same key and input replays the result; reversing them again is refused as a whole.
    const replay = await accountant(REVERSE_MANY, { input });
    expect(replay.data!.removeInvoicesFromAccounting.batch.id).toBe(payload.batch.id);
    const again = await accountant(REVERSE_MANY, {
      input: { ...input, invoiceIds: ids.slice(0, 1), idempotencyKey: randomUUID() },
    });
    expect(again.data!.removeInvoicesFromAccounting).toMatchObject({
      batch: null,
      transfers: [],
      userErrors: [{ code: 'NOT_IN_LEDGER', field: ['invoiceIds', '0'] }],
    });
  });
});
