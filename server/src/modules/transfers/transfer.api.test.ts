import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitDomainEvent } from '../../common/domain-events.js';
import { fromGlobalId } from '../../common/ids.js';
import { ActorType } from '../audit/audit-event.entity.js';
import { InvoiceLine, InvoiceStatus, PurchaseInvoice } from '../invoices/invoice.entity.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../../testing/transfers.js';
import { Transfer, TransferReport, TransferSettings } from './transfer.entity.js';
import { ClosedPeriodPolicy, ExportMode } from './transfer.enums.js';

const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  batch { id total } transfers { id status kind trigger invoice { id } } userErrors { code message field } } }`;

const INVOICE = `query($id: ID!) { invoice(id: $id) { id status transferStatus ledgerOutOfDate
  lastTransferError { code message } lastTransferErrors { code field }
  ledgerEntry { id journal reference accountName documentDate postingDate shifted period { name } total
    lines { accountCode costUnitCode vatCode debit credit } }
  transfers { id kind status trigger attempts originalDate postingDate errors { code }
    performer { __typename ... on SystemActor { name onBehalfOf { email } } ... on User { email } } }
  history(first: 50) { nodes { action actor { __typename } details } } } }`;

describe('transfer engine over the API', () => {
  let srv: TestServer;
  let t: Tenant;
  let accountant: GqlClient;
  const thisYear = new Date().getUTCFullYear();
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    srv = await startTestServer({ env: FAST_WORKER_ENV });
    t = await createTenant(srv.db.orm, 'engine');
    accountant = srv.client({ token: t.tokens.export });
  });
  afterAll(() => srv?.stop());

  const exportIds = (ids: string[], key = randomUUID(), client = accountant) =>
    client(EXPORT, { input: { organizationId: t.orgId, invoiceIds: ids, idempotencyKey: key } });

  async function ledgerCount(reference: string) {
    const [row] = await srv.db.sql<{ n: string }>(
      `select count(*) as n from ledger.entry where organization_id = $1 and reference = $2 and kind = 'INVOICE' and reversed_by_entry_id is null`,
      [t.org.id, reference],
    );
    return Number(row.n);
  }

  it('exports three invoices; each reaches TRANSFERRED with its ledger entry and history', async () => {
    const em = srv.db.orm.em.fork();
    const invoices = [
      await createInvoice(em, t, {
        billDate: today,
        lines: [
          { netAmount: '100.00' },
          { netAmount: '40.00', accountCode: '6800', costUnitCode: 'SAL' },
        ],
      }),
      await createInvoice(em, t, { billDate: today }),
      await createInvoice(em, t, {
        billDate: today,
        status: InvoiceStatus.IN_CIRCULATION,
        stage: t.stages[2],
      }),
    ];
    const ids = invoices.map((i) => gid('PurchaseInvoice', i.id));
    const res = await exportIds(ids);
    expect(res.data!.exportInvoices.userErrors).toEqual([]);
    expect(res.data!.exportInvoices.batch.total).toBe(3);
    expect(
      res.data!.exportInvoices.transfers.map((x: { invoice: { id: string } }) => x.invoice.id),
    ).toEqual(ids);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });

    const got = (await accountant(INVOICE, { id: ids[0] })).data!.invoice;
    expect(got.transferStatus).toBe('TRANSFERRED');
    expect(got.ledgerEntry).toMatchObject({
      journal: 'ITEM_INVOICES',
      reference: invoices[0].invoiceNumber,
      accountName: 'SUP-1',
      documentDate: today,
      postingDate: today,
      shifted: false,
      total: '175.70',
    });
    // Expense lines with cost units, VAT receivable, accounts payable credited with the gross.
    const lines = got.ledgerEntry.lines;
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          accountCode: '4010',
          costUnitCode: 'ADM',
          debit: '100.00',
          credit: '0.00',
        }),
        expect.objectContaining({
          accountCode: '6800',
          costUnitCode: 'SAL',
          debit: '40.00',
          credit: '0.00',
        }),
        expect.objectContaining({ accountCode: '1763', debit: '35.70', credit: '0.00' }),
        expect.objectContaining({ accountCode: '2871', debit: '0.00', credit: '175.70' }),
      ]),
    );
    expect(got.transfers[0]).toMatchObject({
      kind: 'POST',
      status: 'TRANSFERRED',
      trigger: 'MANUAL',
      attempts: 1,
      originalDate: today,
      postingDate: today,
    });
    const actions = got.history.nodes.map((n: { action: string }) => n.action);
    expect(actions).toEqual(expect.arrayContaining(['transfer.queued', 'transfer.transferred']));
    expect(await ledgerCount(invoices[0].invoiceNumber)).toBe(1);

    const tab = await accountant(
      `query($org: ID!) { invoices(organizationId: $org, tab: TRANSFERRED) { nodes { id } } }`,
      { org: t.orgId },
    );
    expect(tab.data!.invoices.nodes.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining(ids),
    );
  });

  it('double clicks, two tabs and two partners exporting at once produce one posting', async () => {
    const em = srv.db.orm.em.fork();
    const inv = await createInvoice(em, t, { billDate: today });
    const id = gid('PurchaseInvoice', inv.id);
    const other = await srv.login(t.users.accountant.email, TEST_PASSWORD);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        exportIds([id], randomUUID(), i % 2 ? other : accountant),
      ),
    );
    const accepted = results.filter((r) => r.data!.exportInvoices.transfers.length === 1);
    expect(accepted).toHaveLength(1);
    for (const r of results.filter((r) => r !== accepted[0])) {
      expect(['TRANSFER_IN_PROGRESS', 'ALREADY_TRANSFERRED']).toContain(
        r.data!.exportInvoices.userErrors[0].code,
      );
      expect(r.data!.exportInvoices.userErrors[0].field).toEqual(['invoiceIds', '0']);
    }
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    expect(await ledgerCount(inv.invoiceNumber)).toBe(1);
    const again = await exportIds([id]);
    expect(again.data!.exportInvoices.userErrors[0].code).toBe('ALREADY_TRANSFERRED');
  });

  it('idempotency keys: same key and input → the same result; other input → IDEMPOTENCY_KEY_REUSED', async () => {
    const em = srv.db.orm.em.fork();
    const a = await createInvoice(em, t, { billDate: today });
    const b = await createInvoice(em, t, { billDate: today });
    const key = randomUUID();
    const first = await exportIds([gid('PurchaseInvoice', a.id)], key);
    const second = await exportIds([gid('PurchaseInvoice', a.id)], key);
    expect(second.data!.exportInvoices.batch.id).toBe(first.data!.exportInvoices.batch.id);
    expect(second.data!.exportInvoices.transfers.map((x: { id: string }) => x.id)).toEqual(
      first.data!.exportInvoices.transfers.map((x: { id: string }) => x.id),
    );
    const reused = await exportIds([gid('PurchaseInvoice', b.id)], key);
    expect(reused.data!.exportInvoices.userErrors).toEqual([
      { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String), field: ['idempotencyKey'] },
    ]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
  });

  it('explains every ineligible invoice at its index and queues the rest', async () => {
    const em = srv.db.orm.em.fork();
    const ok = await createInvoice(em, t, { billDate: today });
    const draft = await createInvoice(em, t, { status: InvoiceStatus.DRAFT });
    const unnumbered = await createInvoice(em, t, {
      status: InvoiceStatus.APPROVED,
      posted: true,
      numbered: false,
    });
    const circulating = await createInvoice(em, t, {
      status: InvoiceStatus.IN_CIRCULATION,
      stage: t.stages[0],
    });
    const foreignTenant = await createTenant(srv.db.orm, 'engine-foreign');
    const foreign = await createInvoice(em, foreignTenant, {});
    const res = await exportIds([
      gid('PurchaseInvoice', draft.id),
      gid('PurchaseInvoice', ok.id),
      gid('PurchaseInvoice', unnumbered.id),
      gid('PurchaseInvoice', circulating.id),
      gid('PurchaseInvoice', foreign.id),
      'garbage',
      gid('PurchaseInvoice', ok.id),
    ]);
    const p = res.data!.exportInvoices;
    expect(p.transfers).toHaveLength(1);
    const byIndex = (i: number) =>
      p.userErrors
        .filter((e: { field: string[] }) => e.field[1] === String(i))
        .map((e: { code: string }) => e.code);
    expect(byIndex(0)).toEqual(
      expect.arrayContaining(['NOT_POSTED', 'NO_DOCUMENT_NUMBER', 'NOT_APPROVED']),
    );
    expect(byIndex(2)).toEqual(['NO_DOCUMENT_NUMBER']);
    expect(byIndex(3)).toEqual(['NOT_APPROVED']);
    expect(byIndex(4)).toEqual(['NOT_FOUND']);
    expect(byIndex(5)).toEqual(['NOT_FOUND']);
    expect(byIndex(6)).toEqual(['VALIDATION']);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
  });

  it('only accountants, admins and export tokens may transfer', async () => {
    const em = srv.db.orm.em.fork();
    const inv = await createInvoice(em, t, { billDate: today });
    for (const token of [t.tokens.read, t.tokens.write, t.tokens.admin]) {
      const res = await exportIds(
        [gid('PurchaseInvoice', inv.id)],
        randomUUID(),
        srv.client({ token }),
      );
      expect(res.data!.exportInvoices.userErrors[0].code).toBe('FORBIDDEN');
    }
    const count = await em.count(Transfer, { invoice: inv.id });
    expect(count).toBe(0);
  });

  it('reports every problem at once, keeps the invoice transferable with the reason, and a retry after fixing succeeds', async () => {
    const em = srv.db.orm.em.fork();
    const inv = await createInvoice(em, t, {
      billDate: `${thisYear}-03-10`,
      lines: [
        { netAmount: '10.00', vatCode: 'VAT14', vatRate: '14.00' },
        { netAmount: '10.00', accountCode: '7390' },
        { netAmount: '10.00', accountCode: '4000', costUnitCode: 'OLD' },
        { netAmount: '10.00', accountCode: '9999' },
      ],
    });
    const id = gid('PurchaseInvoice', inv.id);
    const res = await exportIds([id]);
    const [transfer] = await waitForTransfers(srv.db.orm, {
      organizationId: t.org.id,
      ids: [fromGlobalId(res.data!.exportInvoices.transfers[0].id, 'Transfer')!],
    });
    expect(transfer.status).toBe('FAILED');
    const codes = transfer.errors.map((e) => e.code).sort();
    expect(codes).toEqual(
      thisYear >= 2026
        ? [
            'ACCOUNT_NOT_FOUND',
            'ACCOUNT_NOT_POSTABLE',
            'ACCOUNT_NOT_POSTABLE',
            'COST_UNIT_INVALID',
            'VAT_CODE_INVALID',
          ]
        : [
            'ACCOUNT_NOT_FOUND',
            'ACCOUNT_NOT_POSTABLE',
            'ACCOUNT_NOT_POSTABLE',
            'COST_UNIT_INVALID',
          ],
    );
    const got = (await accountant(INVOICE, { id })).data!.invoice;
    expect(got.transferStatus).toBe('FAILED');
    // The reason shown is the transfer's first one, and every reason is listed.
    expect(got.lastTransferError).toEqual({
      code: transfer.errors[0].code,
      message: transfer.errors[0].message,
    });
    expect(got.lastTransferErrors.map((e: { code: string }) => e.code).sort()).toEqual(codes);
    const tab = await accountant(
      `query($org: ID!) { invoices(organizationId: $org, tab: TRANSFERABLE, first: 100) { nodes { id } } }`,
      { org: t.orgId },
    );
    expect(tab.data!.invoices.nodes.map((n: { id: string }) => n.id)).toContain(id);
    // A report names the document and every reason.
    const report = await em.findOneOrFail(TransferReport, { batch: transfer.batch!.id });
    expect(report.notTransferred).toBe(1);
    expect(report.items[0].invoiceId).toBe(inv.id);
    expect(report.items[0].errors).toHaveLength(codes.length);

    // Fix the posting (as updatePosting would) and retry.
    await em.nativeUpdate(
      InvoiceLine,
      { invoice: inv.id },
      { accountCode: '4010', costUnitCode: 'ADM', vatCode: 'VAT255' },
    );
    await em
      .getConnection()
      .execute(`update invoice_line set vat_amount = 2.55 where invoice_id = ?`, [inv.id]);
    await em
      .getConnection()
      .execute(
        `update purchase_invoice set vat_amount = 10.20, gross_amount = 50.20 where id = ?`,
        [inv.id],
      );
    const retry = await accountant(
      `mutation($input: RetryTransferInput!) { retryTransfer(input: $input) { transfer { id status } userErrors { code } } }`,
      { input: { transferId: gid('Transfer', transfer.id), idempotencyKey: randomUUID() } },
    );
    expect(retry.data!.retryTransfer.userErrors).toEqual([]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    expect((await accountant(INVOICE, { id })).data!.invoice.transferStatus).toBe('TRANSFERRED');
  });

  describe('period rule', () => {
    it('shifts a bill date in a closed period to the first day of the next open period, keeping both dates', async () => {
      const em = srv.db.orm.em.fork();
      const year = thisYear - 1;
      await srv.db.sql(
        `update ledger.period set status = 'CLOSED' where organization_id = $1 and name in ($2, $3)`,
        [t.org.id, `${year}-05`, `${year}-06`],
      );
      const inv = await createInvoice(em, t, { billDate: `${year}-05-31` });
      await exportIds([gid('PurchaseInvoice', inv.id)]);
      const [tr] = await waitForTransfers(srv.db.orm, {
        organizationId: t.org.id,
        ids: [(await em.findOneOrFail(PurchaseInvoice, inv.id)).lastTransferId!],
      });
      expect(tr).toMatchObject({
        status: 'TRANSFERRED',
        originalDate: `${year}-05-31`,
        postingDate: `${year}-07-01`,
      });
      const got = (await accountant(INVOICE, { id: gid('PurchaseInvoice', inv.id) })).data!.invoice;
      expect(got.ledgerEntry).toMatchObject({
        documentDate: `${year}-05-31`,
        postingDate: `${year}-07-01`,
        shifted: true,
        period: { name: `${year}-07` },
      });
    });

    it('BLOCK fails with PERIOD_LOCKED, and the lock date counts as closed', async () => {
      const em = srv.db.orm.em.fork();
      await em.nativeUpdate(
        TransferSettings,
        { organization: t.org.id },
        { closedPeriodPolicy: ClosedPeriodPolicy.BLOCK },
      );
      const year = thisYear - 1;
      await srv.db.sql(`update ledger.settings set ap_lock_date = $2 where organization_id = $1`, [
        t.org.id,
        `${year}-08-15`,
      ]);
      const closed = await createInvoice(em, t, { billDate: `${year}-05-02` });
      const locked = await createInvoice(em, t, { billDate: `${year}-08-15` });
      const open = await createInvoice(em, t, { billDate: `${year}-08-16` });
      await exportIds([closed, locked, open].map((i) => gid('PurchaseInvoice', i.id)));
      await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
      const status = async (inv: PurchaseInvoice) =>
        em.fork().findOneOrFail(Transfer, {
          id: (await em.fork().findOneOrFail(PurchaseInvoice, inv.id)).lastTransferId!,
        });
      expect((await status(closed)).errors.map((e) => e.code)).toEqual(['PERIOD_LOCKED']);
      expect((await status(locked)).errors.map((e) => e.code)).toEqual(['PERIOD_LOCKED']);
      expect((await status(open)).status).toBe('TRANSFERRED');
      await em.nativeUpdate(
        TransferSettings,
        { organization: t.org.id },
        { closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN },
      );
      await srv.db.sql(
        `update ledger.settings set ap_lock_date = null where organization_id = $1`,
        [t.org.id],
      );
    });
  });

  it('export mode BATCH puts invoices in Batch Invoices', async () => {
    const em = srv.db.orm.em.fork();
    await em.nativeUpdate(
      TransferSettings,
      { organization: t.org.id },
      { exportMode: ExportMode.BATCH },
    );
    const inv = await createInvoice(em, t, { billDate: today });
    await exportIds([gid('PurchaseInvoice', inv.id)]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const got = (await accountant(INVOICE, { id: gid('PurchaseInvoice', inv.id) })).data!.invoice;
    expect(got.ledgerEntry.journal).toBe('BATCH_INVOICES');
    const found = await accountant(
      `query($org: ID!, $ref: String) { ledgerEntries(organizationId: $org, journal: BATCH_INVOICES, reference: $ref) { totalCount nodes { reference } } }`,
      { org: t.orgId, ref: inv.invoiceNumber },
    );
    expect(found.data!.ledgerEntries).toEqual({
      totalCount: 1,
      nodes: [{ reference: inv.invoiceNumber }],
    });
    await em.nativeUpdate(
      TransferSettings,
      { organization: t.org.id },
      { exportMode: ExportMode.ITEM },
    );
  });

  it('a posting change after transfer is exported as a CORRECTION: reversal and repost', async () => {
    const em = srv.db.orm.em.fork();
    const inv = await createInvoice(em, t, { billDate: today });
    const id = gid('PurchaseInvoice', inv.id);
    await exportIds([id]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const before = (await accountant(INVOICE, { id })).data!.invoice.ledgerEntry.id;
    await em
      .getConnection()
      .execute(`update invoice_line set account_code = '7300' where invoice_id = ?`, [inv.id]);
    await em
      .getConnection()
      .execute(`update purchase_invoice set posting_version = posting_version + 1 where id = ?`, [
        inv.id,
      ]);
    expect((await accountant(INVOICE, { id })).data!.invoice.ledgerOutOfDate).toBe(true);
    const res = await exportIds([id]);
    expect(res.data!.exportInvoices.transfers[0].kind).toBe('CORRECTION');
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const after = (await accountant(INVOICE, { id })).data!.invoice;
    expect(after.ledgerOutOfDate).toBe(false);
    expect(after.ledgerEntry.id).not.toBe(before);
    expect(
      after.ledgerEntry.lines.some((l: { accountCode: string }) => l.accountCode === '7300'),
    ).toBe(true);
    const entries = await srv.db.sql<{ kind: string; reversed: boolean }>(
      `select kind, reversed_by_entry_id is not null as reversed from ledger.entry where organization_id = $1 and reference = $2 order by created_at`,
      [t.org.id, inv.invoiceNumber],
    );
    expect(entries).toEqual([
      { kind: 'INVOICE', reversed: true },
      { kind: 'REVERSAL', reversed: false },
      { kind: 'INVOICE', reversed: false },
    ]);
  });

  it('removing a transferred invoice makes the caller choose: keep the entry, or reverse it', async () => {
    const em = srv.db.orm.em.fork();
    const keep = await createInvoice(em, t, { billDate: today });
    const reverse = await createInvoice(em, t, { billDate: today });
    await exportIds([keep, reverse].map((i) => gid('PurchaseInvoice', i.id)));
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const REMOVE = `mutation($input: RemoveInvoiceInput!) { removeInvoice(input: $input) {
      invoice { status } transfer { kind status } warnings { code } userErrors { code } } }`;
    const kept = await accountant(REMOVE, {
      input: {
        invoiceId: gid('PurchaseInvoice', keep.id),
        alsoRemoveFromAccounting: false,
        idempotencyKey: randomUUID(),
      },
    });
    expect(kept.data!.removeInvoice.userErrors).toEqual([{ code: 'FORBIDDEN' }]);
    const admin = await srv.login(t.users.admin.email, TEST_PASSWORD);
    const kept2 = await admin(REMOVE, {
      input: {
        invoiceId: gid('PurchaseInvoice', keep.id),
        alsoRemoveFromAccounting: false,
        idempotencyKey: randomUUID(),
      },
    });
    expect(kept2.data!.removeInvoice).toMatchObject({
      invoice: { status: 'REMOVED' },
      transfer: null,
      warnings: [{ code: 'STILL_IN_ACCOUNTING' }],
      userErrors: [],
    });
    expect(await ledgerCount(keep.invoiceNumber)).toBe(1);
    const reversed = await admin(REMOVE, {
      input: {
        invoiceId: gid('PurchaseInvoice', reverse.id),
        alsoRemoveFromAccounting: true,
        idempotencyKey: randomUUID(),
      },
    });
    expect(reversed.data!.removeInvoice).toMatchObject({
      invoice: { status: 'REMOVED' },
      transfer: { kind: 'REVERSAL' },
      userErrors: [],
    });
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    expect(await ledgerCount(reverse.invoiceNumber)).toBe(0);
    const history = await srv.db.sql<{ details: { keptInLedger: boolean } }>(
      `select details from audit_event where invoice_id = $1 and action = 'invoice.removed'`,
      [keep.id],
    );
    expect(history[0].details.keptInLedger).toBe(true);
  });

  it('automatic transfer: a save at a flagged stage by a user with accounting rights queues an AUTOMATIC transfer in the same transaction', async () => {
    const em = srv.db.orm.em.fork();
    await em.nativeUpdate(
      TransferSettings,
      { organization: t.org.id },
      { autoTransferInvoices: true },
    );
    const inv = await createInvoice(em, t, { billDate: today, status: InvoiceStatus.APPROVED });
    const byApprover = await createInvoice(em, t, {
      billDate: today,
      status: InvoiceStatus.APPROVED,
    });
    const save = (invoiceId: string, userId: string) =>
      srv.db.orm.em.fork().transactional((tx) =>
        emitDomainEvent(tx, 'invoice.stage_saved', {
          organizationId: t.org.id,
          invoiceId,
          stageId: t.stages[2].id,
          transferFromThisStep: true,
          approved: true,
          actor: { type: ActorType.USER, userId },
          userId,
          requestId: null,
        }),
      );
    await save(inv.id, t.users.accountant.id);
    await save(byApprover.id, t.users.approver.id);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const got = (await accountant(INVOICE, { id: gid('PurchaseInvoice', inv.id) })).data!.invoice;
    expect(got.transfers[0]).toMatchObject({
      trigger: 'AUTOMATIC',
      status: 'TRANSFERRED',
      performer: {
        __typename: 'SystemActor',
        name: 'Automatic transfer',
        onBehalfOf: { email: t.users.accountant.email },
      },
    });
    const skipped = (await accountant(INVOICE, { id: gid('PurchaseInvoice', byApprover.id) })).data!
      .invoice;
    expect(skipped.transfers).toEqual([]);
    expect(skipped.history.nodes.map((n: { action: string }) => n.action)).toContain(
      'transfer.automatic_not_started',
    );
    await em.nativeUpdate(
      TransferSettings,
      { organization: t.org.id },
      { autoTransferInvoices: false },
    );
  });

  it('recovers a transfer left SENDING by a dead worker: in doubt, found by key, transferred once', async () => {
    const em = srv.db.orm.em.fork();
    const inv = await createInvoice(em, t, { billDate: today });
    // Simulate: the worker claimed it and posted to the ledger, then died before recording.
    const transferId = randomUUID();
    await srv.db.sql(
      `insert into transfer (id, organization_id, created_at, updated_at, document_type, invoice_id, document_version, kind, status,
         trigger, attempts, heartbeat_at, original_date, errors)
       values ($1, $2, now(), now(), 'INVOICE', $3, 1, 'POST', 'SENDING', 'MANUAL', 1, now() - interval '1 hour', $4, '[]')`,
      [transferId, t.org.id, inv.id, today],
    );
    await srv.db.sql(
      `update purchase_invoice set transfer_status = 'SENDING', last_transfer_id = $1 where id = $2`,
      [transferId, inv.id],
    );
    const lines = await em.find(InvoiceLine, { invoice: inv.id });
    await srv.app.services.accounting.postInvoice(t.org.id, {
      idempotencyKey: transferId,
      documentKind: 'INVOICE',
      journal: 'ITEM_INVOICES',
      supplierAccountName: 'SUP-1',
      reference: inv.invoiceNumber,
      documentDate: today,
      closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
      currency: 'EUR',
      grossAmount: inv.grossAmount,
      description: null,
      lines: lines.map((l) => ({
        accountCode: l.accountCode,
        costUnitCode: l.costUnitCode ?? null,
        vatCode: l.vatCode,
        netAmount: l.netAmount,
        vatAmount: l.vatAmount,
        description: null,
      })),
    });
    const [done] = await waitForTransfers(
      srv.db.orm,
      { organizationId: t.org.id, ids: [transferId] },
      15_000,
    );
    expect(done.status).toBe('TRANSFERRED');
    expect(await ledgerCount(inv.invoiceNumber)).toBe(1);
    const actions = (
      await srv.db.sql<{ action: string }>(
        `select action from audit_event where entity_id = $1 order by at`,
        [transferId],
      )
    ).map((r) => r.action);
    // Doubt, the claim that checks the ledger first (the "sent" step), then the reconciliation.
    expect(actions).toEqual(['transfer.in_doubt', 'transfer.sent', 'transfer.reconciled']);
  });
});
