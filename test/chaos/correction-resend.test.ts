/**
 * A CORRECTION reverses the original entry, then posts the new one. When the post fails after
 * the reversal went through (a transient error, an answer lost), the next attempt must know
 * that the original is already reversed: whatever happens then (the period closed meanwhile,
 * the retries ran out), the invoice must not keep pointing at an entry that is reversed.
 * The simulation reaches this rarely; here it is forced, one fault at a time.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountingTransientError,
  type AccountingSystem,
  type InvoicePostingRequest,
} from '../../server/src/accounting/accounting-system.js';
import { fromGlobalId } from '../../server/src/common/ids.js';
import { createLogger } from '../../server/src/logger.js';
import {
  DEFAULT_WORKER_OPTIONS,
  TransferProcessor,
} from '../../server/src/modules/transfers/transfer.worker.js';
import {
  createInvoice,
  createTenant,
  gid,
  type Tenant,
} from '../../server/src/testing/factories.js';
import {
  startTestServer,
  type GqlClient,
  type TestServer,
} from '../../server/src/testing/server.js';
import { EXPORT_INVOICES } from '../helpers/gql.js';
import { checkInvariants, formatViolations } from '../helpers/invariants.js';
import { installLedgerClock } from '../helpers/ledger-clock.js';
import { monthStart, sqlOf, today, type Sql } from '../helpers/seed.js';

const UPDATE_POSTING = `mutation($input: UpdatePostingInput!) { updatePosting(input: $input) { invoice { id version } userErrors { code message } } }`;

describe('a correction interrupted after its reversal', () => {
  let srv: TestServer;
  let sql: Sql;
  /** Post calls with these idempotency keys fail as if the network dropped them before sending. */
  const failPosts = new Set<string>();
  let processor: (maxAttempts: number) => TransferProcessor;

  beforeAll(async () => {
    // The API only; this test runs the worker's steps itself, one at a time.
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    sql = sqlOf(srv.db);
    await installLedgerClock(sql);
    const ledger = srv.app.services.accounting;
    const flaky = new Proxy(ledger, {
      get(target, prop, receiver) {
        if (prop === 'postInvoice') {
          return async (org: string, request: InvoicePostingRequest) => {
            if (failPosts.has(request.idempotencyKey))
              throw new AccountingTransientError('injected: connection refused');
            return target.postInvoice(org, request);
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as AccountingSystem;
    const log = createLogger('silent');
    processor = (maxAttempts) =>
      new TransferProcessor(srv.db.orm, flaky, log, {
        ...DEFAULT_WORKER_OPTIONS,
        maxAttempts,
        retryBaseMs: 1,
        retryCapMs: 1,
        reconcileDelayMs: 0,
      });
  });
  afterAll(() => srv?.stop());

  /** A transferred invoice of an organization that blocks closed periods, its posting then changed. */
  async function correctionQueued(t: Tenant, billDate: string) {
    await sql(
      `update transfer_settings set auto_transfer_invoices = true, closed_period_policy = 'BLOCK' where organization_id = $1`,
      [t.org.id],
    );
    const inv = await createInvoice(srv.db.orm.em.fork(), t, {
      billDate,
      lines: [{ netAmount: '100.00' }, { netAmount: '50.00', accountCode: '6800' }],
    });
    const exporter: GqlClient = srv.client({ token: t.tokens.export });
    const res = await exporter(EXPORT_INVOICES, {
      input: {
        organizationId: t.orgId,
        invoiceIds: [gid('PurchaseInvoice', inv.id)],
        idempotencyKey: randomUUID(),
      },
    });
    const postId = fromGlobalId(res.data!.exportInvoices.transfers[0].id, 'Transfer')!;
    await processor(3).process([postId]);
    const [posted] = await sql(`select status, ledger_entry_id from transfer where id = $1`, [
      postId,
    ]);
    expect(posted.status).toBe('TRANSFERRED');

    const writer = srv.client({ token: t.tokens.write });
    const changed = await writer(UPDATE_POSTING, {
      input: {
        invoiceId: gid('PurchaseInvoice', inv.id),
        version: inv.version,
        lines: [
          {
            accountCode: '7300',
            costUnitCode: 'SAL',
            vatCode: 'VAT255',
            netAmount: '100.00',
            vatAmount: '25.50',
          },
          {
            accountCode: '6800',
            costUnitCode: 'ADM',
            vatCode: 'VAT255',
            netAmount: '50.00',
            vatAmount: '12.75',
          },
        ],
      },
    });
    expect(changed.data!.updatePosting.userErrors).toEqual([]);
    const [{ last_transfer_id: correctionId }] = await sql(
      `select last_transfer_id from purchase_invoice where id = $1`,
      [inv.id],
    );
    const [correction] = await sql(`select kind, status from transfer where id = $1`, [
      correctionId,
    ]);
    expect(correction).toEqual({ kind: 'CORRECTION', status: 'QUEUED' });
    return {
      inv,
      originalEntry: posted.ledger_entry_id as string,
      correctionId: correctionId as string,
    };
  }

  async function dueNow(transferId: string) {
    await sql(`update transfer set next_attempt_at = now() where id = $1`, [transferId]);
  }

  async function expectConsistent(t: Tenant) {
    const report = await checkInvariants(sql, [t.org.id]);
    expect(report.violations, formatViolations(report)).toEqual([]);
  }

  it('the period closes between the reversal and the retry: FAILED, and the invoice is out of the ledger', async () => {
    const t = await createTenant(srv.db.orm, 'resend-closed');
    const billDate = monthStart(today(), -1);
    const { inv, originalEntry, correctionId } = await correctionQueued(t, billDate);

    failPosts.add(correctionId);
    await processor(3).process([correctionId]);
    const [afterFirst] = await sql(`select status, attempts from transfer where id = $1`, [
      correctionId,
    ]);
    expect(afterFirst).toEqual({ status: 'RETRYING', attempts: 1 });
    const [reversal] = await sql(`select id from ledger.entry where idempotency_key = $1`, [
      `${correctionId}:reversal`,
    ]);
    expect(reversal, 'the first attempt reversed the original').toBeDefined();

    // The admin closes the invoice's month before the retry; the organization blocks closed periods.
    const [period] = await sql(
      `select id from ledger.period where organization_id = $1 and start_date = $2`,
      [t.org.id, billDate],
    );
    await srv.app.services.accounting.closePeriod(t.org.id, period.id);
    failPosts.delete(correctionId);
    await dueNow(correctionId);
    await processor(3).process([correctionId]);

    const [done] = await sql(`select status, errors from transfer where id = $1`, [correctionId]);
    expect(done.status).toBe('FAILED');
    expect(done.errors.map((e: { code: string }) => e.code)).toContain('PERIOD_LOCKED');
    const [doc] = await sql(
      `select ledger_entry_id, ledger_version, transfer_status from purchase_invoice where id = $1`,
      [inv.id],
    );
    const [original] = await sql(`select reversed_by_entry_id from ledger.entry where id = $1`, [
      originalEntry,
    ]);
    expect(original.reversed_by_entry_id).toBe(reversal.id);
    // Reversed in the ledger, so not in the ledger here: the invoice is back among those to transfer.
    expect(doc).toEqual({ ledger_entry_id: null, ledger_version: null, transfer_status: 'FAILED' });
    await expectConsistent(t);
  });

  it('the retries run out after the reversal: FAILED with TRANSIENT_EXHAUSTED, and the invoice is out of the ledger', async () => {
    const t = await createTenant(srv.db.orm, 'resend-exhausted');
    const { inv, correctionId } = await correctionQueued(t, today());

    failPosts.add(correctionId);
    await processor(2).process([correctionId]);
    await dueNow(correctionId);
    await processor(2).process([correctionId]);
    failPosts.delete(correctionId);

    const [done] = await sql(`select status, attempts, errors from transfer where id = $1`, [
      correctionId,
    ]);
    expect(done).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(done.errors.map((e: { code: string }) => e.code)).toEqual(['TRANSIENT_EXHAUSTED']);
    const [doc] = await sql(
      `select ledger_entry_id, ledger_version from purchase_invoice where id = $1`,
      [inv.id],
    );
    expect(doc).toEqual({ ledger_entry_id: null, ledger_version: null });
    await expectConsistent(t);
  });
});
