/**
 * The ledger's administration over the API, and what Ledgerlink keeps in step with it: the
 * audit rows and, for a moved entry, the posting date its transfer shows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../common/ids.js';
import { createInvoice, createTenant, gid, type Tenant } from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../../testing/transfers.js';

const INVOICE = `query($id: ID!) { invoice(id: $id) {
  ledgerEntry { id postingDate period { id name } }
  transfers { postingDate }
  history(first: 50) { nodes { action details } } } }`;

const PERIODS = `query($org: ID!, $year: Int) { accountingPeriods(organizationId: $org, fiscalYear: $year) {
  id name status } }`;

describe('ledger administration over the API', () => {
  let srv: TestServer;
  let t: Tenant;
  let admin: GqlClient;
  const today = new Date().toISOString().slice(0, 10);
  const thisYear = Number(today.slice(0, 4));

  beforeAll(async () => {
    srv = await startTestServer({ env: FAST_WORKER_ENV });
    t = await createTenant(srv.db.orm, 'ledger-admin');
    admin = srv.client({ token: t.tokens.admin });
  });
  afterAll(() => srv?.stop());

  const auditRows = (action: string) =>
    srv.db.sql<{ entity_type: string; entity_id: string; details: Record<string, unknown> }>(
      `select entity_type, entity_id, details from audit_event where organization_id = $1 and action = $2 order by at`,
      [t.org.id, action],
    );

  it('moves an entry: the transfer shows the new posting date, the invoice history the move', async () => {
    const invoice = await createInvoice(srv.db.orm.em.fork(), t, { billDate: today });
    const invoiceId = gid('PurchaseInvoice', invoice.id);
    const exported = await srv.client({ token: t.tokens.export })(
      `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) { userErrors { code } } }`,
      { input: { organizationId: t.orgId, invoiceIds: [invoiceId], idempotencyKey: randomUUID() } },
    );
    expect(exported.data!.exportInvoices.userErrors).toEqual([]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const before = (await admin(INVOICE, { id: invoiceId })).data!.invoice;
    const periods = (await admin(PERIODS, { org: t.orgId, year: thisYear })).data!
      .accountingPeriods as { id: string; name: string; status: string }[];
    const target = periods.find(
      (p) => p.status === 'OPEN' && p.id !== before.ledgerEntry.period.id,
    )!;

    const res = await admin(
      `mutation($input: AdjustPostingPeriodInput!) { adjustPostingPeriod(input: $input) {
        ledgerEntry { id postingDate period { name } } userErrors { code field } } }`,
      { input: { ledgerEntryId: before.ledgerEntry.id, periodId: target.id } },
    );
    expect(res.data!.adjustPostingPeriod.userErrors).toEqual([]);
    const moved = res.data!.adjustPostingPeriod.ledgerEntry;
    expect(moved.period.name).toBe(target.name);
    expect(moved.postingDate.slice(0, 7)).toBe(target.name);

    const after = (await admin(INVOICE, { id: invoiceId })).data!.invoice;
    expect(after.ledgerEntry.postingDate).toBe(moved.postingDate);
    expect(after.transfers.map((x: { postingDate: string }) => x.postingDate)).toEqual([
      moved.postingDate,
    ]);
    expect(
      after.history.nodes.find((n: { action: string }) => n.action === 'ledger.entry_moved')
        ?.details,
    ).toEqual({
      entryId: fromGlobalId(before.ledgerEntry.id, 'LedgerEntry'),
      fromPeriod: before.ledgerEntry.period.name,
      fromPostingDate: before.ledgerEntry.postingDate,
      toPeriod: target.name,
      postingDate: moved.postingDate,
    });
  });

  it('sets and clears the lock date, closes and reopens a period, each with its audit row', async () => {
    const lock = `mutation($input: SetLockDateInput!) { setLockDate(input: $input) { lockDate userErrors { code } } }`;
    const date = `${thisYear - 1}-06-30`;
    expect(
      (await admin(lock, { input: { organizationId: t.orgId, lockDate: date } })).data!.setLockDate,
    ).toEqual({ lockDate: date, userErrors: [] });
    expect(
      (await admin(lock, { input: { organizationId: t.orgId, lockDate: null } })).data!.setLockDate,
    ).toEqual({ lockDate: null, userErrors: [] });
    expect((await auditRows('ledger.lock_date_set')).map((r) => r.details)).toEqual([
      { before: null, after: date },
      { before: date, after: null },
    ]);

    const periods = (await admin(PERIODS, { org: t.orgId, year: thisYear + 1 })).data!
      .accountingPeriods as { id: string; name: string }[];
    const period = periods[periods.length - 1];
    const input = { organizationId: t.orgId, periodId: period.id };
    const close = await admin(
      `mutation($input: PeriodInput!) { closePeriod(input: $input) { period { name status } userErrors { code } } }`,
      { input },
    );
    expect(close.data!.closePeriod).toEqual({
      period: { name: period.name, status: 'CLOSED' },
      userErrors: [],
    });
    const reopen = await admin(
      `mutation($input: PeriodInput!) { reopenPeriod(input: $input) { period { status } userErrors { code } } }`,
      { input },
    );
    expect(reopen.data!.reopenPeriod).toEqual({ period: { status: 'OPEN' }, userErrors: [] });
    for (const action of ['ledger.period_closed', 'ledger.period_reopened']) {
      expect(await auditRows(action)).toEqual([
        {
          entity_type: 'AccountingPeriod',
          entity_id: expect.any(String),
          details: { period: period.name },
        },
      ]);
    }
  });

  it('a refused change writes no audit row', async () => {
    const res = await admin(
      `mutation($input: PeriodInput!) { closePeriod(input: $input) { period { name } userErrors { code field } } }`,
      { input: { organizationId: t.orgId, periodId: gid('AccountingPeriod', randomUUID()) } },
    );
    expect(res.data!.closePeriod.period).toBeNull();
    expect(res.data!.closePeriod.userErrors.length).toBeGreaterThan(0);
    expect(await auditRows('ledger.period_closed')).toHaveLength(1);
  });

  it('updates the transfer settings with an audit row of before and after', async () => {
    const res = await admin(
      `mutation($input: UpdateTransferSettingsInput!) { updateTransferSettings(input: $input) {
        transferSettings { autoTransferInvoices } userErrors { code } } }`,
      { input: { organizationId: t.orgId, autoTransferInvoices: true } },
    );
    expect(res.data!.updateTransferSettings).toEqual({
      transferSettings: { autoTransferInvoices: true },
      userErrors: [],
    });
    const [row] = await auditRows('settings.transfer_updated');
    expect(row.details).toMatchObject({
      before: { autoTransferInvoices: false },
      after: { autoTransferInvoices: true },
    });
  });
});
