/**
 * Set-based seeding for the scale bench: one organization's invoices in a few INSERT … SELECT
 * statements over generate_series, in the demo's mix of states, with what the long lists read
 * (a line per invoice, transfers, ledger entries and lines, payments, audit history, transfer
 * reports, members). Ids are md5-derived from (organization, n) so invoices, transfers and
 * entries point at each other without a second pass over the rows.
 *
 * The mix, by n mod 100: 0–4 DRAFT; 5–19 IN_CIRCULATION (stages in turn); 20–34 APPROVED,
 * to be transferred; 35 APPROVED with a FAILED transfer; 36–37 REJECTED; 38–39 REMOVED;
 * 40–99 TRANSFERRED (in the ledger), 40–69 of those paid.
 */
import type { Sql } from '../helpers/seed.js';

export interface ScaleTenant {
  organizationId: string;
  processId: string;
  stageIds: string[];
  supplierIds: string[];
  /** Distinguishes the organizations' invoice numbers (the search term names one of them). */
  prefix: string;
}

export interface SeedCounts {
  invoices: number;
  transfers: number;
  ledgerEntries: number;
  payments: number;
  auditEvents: number;
  members: number;
}

/** A uuid derived from the organization ($1) and the row number `g`, per kind of row. */
const id = (kind: string) => `md5($1::text || ':${kind}:' || g)::uuid`;

export async function seedScaleOrganization(
  sql: Sql,
  t: ScaleTenant,
  n: number,
  opts: { members: number; historyEvery: number; transfersPerInvoice: number },
): Promise<SeedCounts> {
  const p = [t.organizationId, t.processId, t.stageIds, t.supplierIds, n, t.prefix];
  // Periods for every bill date used (2024–2026), where createTenant made none.
  await sql(
    `insert into ledger.period (id, organization_id, fiscal_year, name, start_date, end_date, status)
     select gen_random_uuid(), $1, extract(year from m)::int, to_char(m, 'YYYY-MM'), m::date, (m + interval '1 month - 1 day')::date, 'OPEN'
       from generate_series(date '2024-01-01', date '2026-12-01', interval '1 month') m
     on conflict (organization_id, start_date) do nothing`,
    [t.organizationId],
  );
  await sql(
    `insert into purchase_invoice (id, organization_id, created_at, updated_at, supplier_id, invoice_number, bill_date,
       due_date, currency, net_amount, vat_amount, gross_amount, status, posted, document_number, fiscal_year,
       approval_process_id, current_stage_id, version, posting_version, ledger_version, ledger_entry_id,
       transfer_status, last_transfer_id, removed_at)
     select ${id('i')}, $1::uuid, c.created, c.created, ($4::uuid[])[1 + g % cardinality($4::uuid[])],
            $6 || lpad(g::text, 7, '0'), c.bill, c.bill + 14, 'EUR', c.net, round(c.net * 0.255, 2),
            c.net + round(c.net * 0.255, 2), c.status, c.k >= 5, case when c.k >= 5 then g end,
            case when c.k >= 5 then extract(year from c.bill)::int end, case when c.k >= 5 then $2::uuid end,
            case when c.status = 'IN_CIRCULATION' then ($3::uuid[])[1 + g % cardinality($3::uuid[])] end,
            1, 1, case when c.k >= 40 then 1 end, case when c.k >= 40 then ${id('e')} end,
            case when c.k >= 40 then 'TRANSFERRED' when c.k = 35 then 'FAILED' end,
            case when c.k >= 40 or c.k = 35 then ${id('t')} end,
            case when c.k in (38, 39) then c.created end
       from generate_series(1, $5::int) g,
            lateral (select g % 100 as k, date '2024-01-01' + (g::bigint * 7919 % 1096)::int as bill,
                            now() - make_interval(secs => ($5::int - g) * 30) as created,
                            (1000 + g::bigint * 7907 % 500000) / 100.0 as net) c0,
            lateral (select c0.*, case when c0.k < 5 then 'DRAFT' when c0.k < 20 then 'IN_CIRCULATION'
                                       when c0.k in (36, 37) then 'REJECTED' when c0.k in (38, 39) then 'REMOVED'
                                       else 'APPROVED' end as status) c`,
    p,
  );
  await sql(
    `insert into invoice_line (id, organization_id, created_at, updated_at, invoice_id, position, account_code,
       cost_unit_code, vat_code, net_amount, vat_amount, description)
     select gen_random_uuid(), organization_id, created_at, created_at, id, 0, '4010', 'ADM', 'VAT255', net_amount,
            vat_amount, null
       from purchase_invoice where organization_id = $1`,
    [t.organizationId],
  );
  await sql(
    `insert into document_sequence (organization_id, kind, fiscal_year, next_number)
     select $1::uuid, 'INVOICE', fiscal_year, max(document_number) + 1 from purchase_invoice
      where organization_id = $1 and fiscal_year is not null group by fiscal_year
     on conflict (organization_id, kind, fiscal_year) do update set next_number = excluded.next_number`,
    [t.organizationId],
  );
  // Ledger entries (expense debit, payables credit) for the invoices in the ledger, with their
  // lines in the same statement: the ledger checks every entry balances when it commits.
  await sql(
    `with e as (
       insert into ledger.entry (id, organization_id, journal, kind, reference, supplier_account_name, idempotency_key,
         document_date, posting_date, period_id, description, currency, total, created_at)
       select i.ledger_entry_id, i.organization_id, 'ITEM_INVOICES', 'INVOICE', i.invoice_number, s.account_name,
              'bench:' || i.id, i.bill_date, i.bill_date, p.id, null, 'EUR', i.gross_amount, i.created_at
         from purchase_invoice i join supplier s on s.id = i.supplier_id
         join ledger.period p on p.organization_id = i.organization_id and i.bill_date between p.start_date and p.end_date
        where i.organization_id = $1 and i.ledger_entry_id is not null
       returning id, organization_id, total)
     insert into ledger.entry_line (id, organization_id, entry_id, line_no, account_code, cost_unit_code, vat_code, debit, credit, description)
     select gen_random_uuid(), e.organization_id, e.id, x.no, x.account, null, null, x.debit, x.credit, null
       from e, lateral (values (1, '4010', e.total, 0::numeric), (2, '2871', 0::numeric, e.total)) x(no, account, debit, credit)`,
    [t.organizationId],
  );
  // Transfers: the latest one of every invoice that has one, plus earlier attempts.
  await sql(
    `insert into transfer (id, organization_id, created_at, updated_at, document_type, invoice_id, document_version, kind,
       status, trigger, attempts, errors, ledger_entry_id, finished_at)
     select i.last_transfer_id, i.organization_id, i.created_at, i.created_at, 'INVOICE', i.id, 1, 'POST',
            i.transfer_status, 'MANUAL', 1,
            case when i.transfer_status = 'FAILED' then '[{"code":"LEDGER_REJECTED","message":"bench"}]'::jsonb else '[]'::jsonb end,
            i.ledger_entry_id, i.created_at
       from purchase_invoice i where i.organization_id = $1 and i.last_transfer_id is not null`,
    [t.organizationId],
  );
  if (opts.transfersPerInvoice > 1) {
    await sql(
      `insert into transfer (id, organization_id, created_at, updated_at, document_type, invoice_id, document_version, kind,
         status, trigger, attempts, errors, finished_at)
       select gen_random_uuid(), i.organization_id, i.created_at - make_interval(secs => a), i.created_at, 'INVOICE', i.id, 1,
              'POST', 'CANCELLED', 'MANUAL', 1, '[]'::jsonb, i.created_at
         from purchase_invoice i, generate_series(1, $2::int - 1) a
        where i.organization_id = $1 and i.ledger_entry_id is not null`,
      [t.organizationId, opts.transfersPerInvoice],
    );
  }
  await sql(
    `insert into payment (id, organization_id, created_at, updated_at, invoice_id, amount, payment_date, source,
       document_number, fiscal_year)
     select gen_random_uuid(), organization_id, created_at, created_at, id, gross_amount, bill_date + 10, 'MANUAL',
            document_number, fiscal_year
       from purchase_invoice where organization_id = $1 and ledger_entry_id is not null and document_number % 100 < 70`,
    [t.organizationId],
  );
  await sql(
    `insert into transfer_report (id, organization_id, created_at, updated_at, trigger, total, not_transferred, items)
     select gen_random_uuid(), $1::uuid, now() - make_interval(secs => r * 600), now() - make_interval(secs => r * 600),
            'MANUAL', 500, r % 7, '[]'::jsonb
       from generate_series(1, greatest(1, $2::int / 500)) r`,
    [t.organizationId, n],
  );
  await sql(
    `insert into audit_event (id, organization_id, at, action, actor_type, system_name, entity_type, entity_id, invoice_id, details)
     select gen_random_uuid(), organization_id, created_at + make_interval(secs => e), x.action, 'SYSTEM', 'bench',
            'PurchaseInvoice', id, id, '{}'::jsonb
       from purchase_invoice i, lateral (values (0, 'invoice.created'), (1, 'invoice.approved')) x(e, action)
      where organization_id = $1 and document_number % $2::int = 0`,
    [t.organizationId, opts.historyEvery],
  );
  await sql(
    `with u as (
       insert into app_user (id, email, name, password_hash, active, created_at)
       select gen_random_uuid(), $2 || '-member-' || g || '@bench.invalid', 'Member ' || lpad(g::text, 5, '0'), 'x', true, now()
         from generate_series(1, $3::int) g returning id)
     insert into membership (organization_id, user_id, role, created_at) select $1::uuid, id, 'VIEWER', now() from u`,
    [t.organizationId, t.prefix, opts.members],
  );
  const [counts] = await sql<Record<keyof SeedCounts, string>>(
    `select (select count(*) from purchase_invoice where organization_id = $1) as invoices,
            (select count(*) from transfer where organization_id = $1) as transfers,
            (select count(*) from ledger.entry where organization_id = $1) as "ledgerEntries",
            (select count(*) from payment where organization_id = $1) as payments,
            (select count(*) from audit_event where organization_id = $1) as "auditEvents",
            (select count(*) from membership where organization_id = $1) as members`,
    [t.organizationId],
  );
  return Object.fromEntries(
    Object.entries(counts).map(([k, v]) => [k, Number(v)]),
  ) as unknown as SeedCounts;
}
