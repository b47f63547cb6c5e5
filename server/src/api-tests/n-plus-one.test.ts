/**
 * No N+1: the SQL statements of a list page do not grow with the page size. Every statement
 * the server's connections send is counted (Client.query of the pg driver its ORM loaded, which
 * the ledger's connections are too), for a page of 10 and a page of 100 of the same lists.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../testing/factories.js';
import { startTestServer, type TestServer } from '../testing/server.js';

const INVOICE_PAGE = `query($org: ID!, $first: Int) {
  invoices(organizationId: $org, tab: ALL, first: $first) {
    totalCount
    nodes {
      id invoiceNumber status transferStatus ledgerOutOfDate paidAmount openAmount
      supplier { id name }
      approvalProcess { id name }
      currentStage { id name transferFromThisStep }
      lines { id accountCode }
      postingWarnings { code }
      payments { id amount }
      transfers { id status requestedBy { __typename } batch { id } }
      lastTransferErrors { code }
      transferBlockers { code }
      ledgerEntry { id reference period { id name } }
    }
  }
}`;

const TRANSFER_PAGE = `query($org: ID!, $first: Int) {
  transfers(organizationId: $org, first: $first) {
    totalCount
    nodes {
      id status kind errors { code }
      invoice { id invoiceNumber supplier { id name } }
      payment { id invoice { id invoiceNumber } }
      batch { id }
      ledgerEntry { id reference }
      requestedBy { __typename }
      performer { __typename }
    }
  }
}`;

const PAYMENT_PAGE = `query($org: ID!, $first: Int) {
  payments(organizationId: $org, first: $first) {
    nodes { id amount invoice { id invoiceNumber supplier { id name } } ledgerEntry { id } }
  }
}`;

describe('list pages cost a fixed number of SQL statements', () => {
  let srv: TestServer;
  let t: Tenant;
  let statements = 0;
  let Client: typeof pg.Client;
  let original: typeof pg.Client.prototype.query;

  beforeAll(async () => {
    srv = await startTestServer({
      // No worker polling in the background; a page of 100 with every nested list is above the
      // partner API's cost cap, which is not what this test is about.
      env: { LEDGERLINK_WORKER: 'off', LEDGERLINK_MAX_QUERY_COST: '100000' },
    });
    t = await createTenant(srv.db.orm, 'nplus1', { supplierCount: 7 });
    const org = t.org.id;
    // 120 invoices: every third at a stage, the rest approved and in the ledger, each with a
    // line, two payments, a transfer of a batch requested by a user, and its ledger entry.
    await srv.db.sql(
      `insert into ledger.period (id, organization_id, fiscal_year, name, start_date, end_date, status)
       values (gen_random_uuid(), $1::uuid, 2025, '2025-06', '2025-06-01', '2025-06-30', 'OPEN')
       on conflict (organization_id, start_date) do nothing`,
      [org],
    );
    await srv.db.sql(
      `insert into transfer_batch (id, organization_id, document_type, trigger, total, status)
       values (md5($1::uuid::text || ':b')::uuid, $1::uuid, 'INVOICE', 'MANUAL', 120, 'DONE')`,
      [org],
    );
    await srv.db.sql(
      `insert into purchase_invoice (id, organization_id, supplier_id, invoice_number, bill_date, due_date, currency,
         net_amount, vat_amount, gross_amount, status, posted, document_number, fiscal_year, approval_process_id,
         current_stage_id, ledger_version, ledger_entry_id, transfer_status, last_transfer_id, created_by_id)
       select md5($1::uuid::text || ':i:' || g)::uuid, $1::uuid, ($2::uuid[])[1 + g % cardinality($2::uuid[])], 'N1-' || g,
              '2025-06-10', '2025-06-24', 'EUR', 100, 25.5, 125.5,
              case when g % 3 = 0 then 'IN_CIRCULATION' else 'APPROVED' end, true, g, 2025, $3,
              case when g % 3 = 0 then ($4::uuid[])[1 + g % cardinality($4::uuid[])] end,
              case when g % 3 <> 0 then 1 end, case when g % 3 <> 0 then md5($1::uuid::text || ':e:' || g)::uuid end,
              case when g % 3 <> 0 then 'TRANSFERRED' end, md5($1::uuid::text || ':t:' || g)::uuid, $5
         from generate_series(1, 120) g`,
      [
        org,
        t.suppliers.map((s) => s.id),
        t.process.id,
        t.stages.map((s) => s.id),
        t.users.accountant.id,
      ],
    );
    await srv.db.sql(
      `insert into invoice_line (id, organization_id, invoice_id, position, account_code, cost_unit_code, vat_code, net_amount, vat_amount)
       select gen_random_uuid(), organization_id, id, 0, '4010', 'ADM', 'VAT255', 100, 25.5 from purchase_invoice where organization_id = $1`,
      [org],
    );
    await srv.db.sql(
      `with e as (
         insert into ledger.entry (id, organization_id, journal, kind, reference, supplier_account_name, idempotency_key,
           document_date, posting_date, period_id, currency, total)
         select i.ledger_entry_id, i.organization_id, 'ITEM_INVOICES', 'INVOICE', i.invoice_number, s.account_name, 'n1:' || i.id,
                i.bill_date, i.bill_date, p.id, 'EUR', i.gross_amount
           from purchase_invoice i join supplier s on s.id = i.supplier_id
           join ledger.period p on p.organization_id = i.organization_id and p.start_date = '2025-06-01'
          where i.organization_id = $1 and i.ledger_entry_id is not null
         returning id, organization_id, total)
       insert into ledger.entry_line (id, organization_id, entry_id, line_no, account_code, debit, credit)
       select gen_random_uuid(), e.organization_id, e.id, x.no, x.account, x.debit, x.credit
         from e, lateral (values (1, '4010', e.total, 0::numeric), (2, '2871', 0::numeric, e.total)) x(no, account, debit, credit)`,
      [org],
    );
    await srv.db.sql(
      `insert into transfer (id, organization_id, document_type, invoice_id, document_version, kind, status, trigger,
         batch_id, attempts, errors, ledger_entry_id, requested_by_user_id, finished_at)
       select last_transfer_id, organization_id, 'INVOICE', id, 1, 'POST', coalesce(transfer_status, 'FAILED'), 'MANUAL',
              md5($1::uuid::text || ':b')::uuid, 1, '[]'::jsonb, ledger_entry_id, $2, now()
         from purchase_invoice where organization_id = $1`,
      [org, t.users.accountant.id],
    );
    await srv.db.sql(
      `insert into payment (id, organization_id, invoice_id, amount, payment_date, source, document_number, fiscal_year)
       select gen_random_uuid(), organization_id, id, 50, '2025-06-20', 'MANUAL', document_number * 2 + k, 2025
         from purchase_invoice, generate_series(0, 1) k where organization_id = $1 and ledger_entry_id is not null`,
      [org],
    );
    Client = (srv.app.services.orm.em.getKnex().client as { driver: typeof pg }).driver.Client;
    original = Client.prototype.query;
    Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      statements++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
  });
  afterAll(async () => {
    if (Client) Client.prototype.query = original;
    await srv?.stop();
  });

  async function statementsFor(query: string, first: number, path: string): Promise<number> {
    const c = srv.client({ token: t.tokens.admin });
    await c(query, { org: t.orgId, first }); // warm: per-process caches (e.g. ledger planning data)
    statements = 0;
    const res = await c(query, { org: t.orgId, first });
    const counted = statements;
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect((res.data as Record<string, { nodes: unknown[] }>)[path].nodes).toHaveLength(first);
    return counted;
  }

  it('an invoice page of 100 (supplier, stage, lines, payments, paid/open, transfers, ledger entry) costs what a page of 10 does', async () => {
    const ten = await statementsFor(INVOICE_PAGE, 10, 'invoices');
    const hundred = await statementsFor(INVOICE_PAGE, 100, 'invoices');
    expect(ten).toBeGreaterThan(0);
    // Two of slack for what else the process sends (e.g. a pool's health check); N+1 adds 90.
    expect(hundred, `10 rows: ${ten} statements, 100 rows: ${hundred}`).toBeLessThanOrEqual(
      ten + 2,
    );
  });

  it('a transfer page of 100 (invoice, supplier, payment, batch, ledger entry, actors) costs what a page of 10 does', async () => {
    const ten = await statementsFor(TRANSFER_PAGE, 10, 'transfers');
    const hundred = await statementsFor(TRANSFER_PAGE, 100, 'transfers');
    expect(ten).toBeGreaterThan(0);
    // Two of slack for what else the process sends (e.g. a pool's health check); N+1 adds 90.
    expect(hundred, `10 rows: ${ten} statements, 100 rows: ${hundred}`).toBeLessThanOrEqual(
      ten + 2,
    );
  });

  it('a payment page of 100 (invoice, supplier, ledger entry) costs what a page of 10 does', async () => {
    const ten = await statementsFor(PAYMENT_PAGE, 10, 'payments');
    const hundred = await statementsFor(PAYMENT_PAGE, 100, 'payments');
    expect(ten).toBeGreaterThan(0);
    expect(hundred, `10 rows: ${ten} statements, 100 rows: ${hundred}`).toBeLessThanOrEqual(
      ten + 2,
    );
  });
});
