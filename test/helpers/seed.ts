/**
 * Bulk fixtures in plain SQL: thousands of approved (or circulating), posted, numbered invoices
 * in a second or two, where the factories' one-flush-per-invoice would take minutes.
 */
import { randomUUID } from 'node:crypto';

/** Rows of ad-hoc SQL, read by column name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index into rows freely
export type Row = Record<string, any>;
export type Sql = <T = Row>(text: string, params?: unknown[]) => Promise<T[]>;

/** The `Sql` of a test database (server/src/testing/db.ts) or anything with the same `sql`. */
export function sqlOf(db: { sql(text: string, params?: unknown[]): Promise<unknown[]> }): Sql {
  return (text, params) => db.sql(text, params) as Promise<never[]>;
}

export interface SeedLine {
  accountCode: string;
  costUnitCode: string | null;
  vatCode: string;
  netCents: number;
  vatCents: number;
  description?: string | null;
}

export interface SeedInvoice {
  supplierId: string;
  /** INVOICE (default) or CREDIT_NOTE (its lines negative). */
  kind?: 'INVOICE' | 'CREDIT_NOTE';
  invoiceNumber: string;
  billDate: string;
  /** APPROVED (default) or IN_CIRCULATION at `stageId`. */
  status?: 'APPROVED' | 'IN_CIRCULATION';
  stageId?: string | null;
  lines: SeedLine[];
}

export interface SeedTenant {
  organizationId: string;
  processId: string;
}

export const cents = (c: number): string => {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
};

/** VAT of a net amount in cents at a rate in hundredths of a percent (2550 = 25.5 %), half-up. */
export const vatCents = (netCents: number, rateBp = 2550): number =>
  Math.floor((netCents * rateBp + 5000) / 10000);

/** A credit note's lines: the same amounts with the minus sign (VAT rounded as for the positive). */
export function negatedLines(lines: SeedLine[]): SeedLine[] {
  return lines.map((l) => ({ ...l, netCents: -l.netCents, vatCents: -l.vatCents }));
}

/** `n` lines of 25.5 % VAT on the usual accounts, amounts from `random` (0..1). */
export function standardLines(random: () => number, n = 3): SeedLine[] {
  const accounts = ['4010', '6800', '7300'];
  const units = ['ADM', 'SAL', null];
  return Array.from({ length: n }, (_, i) => {
    const net = 1_000 + Math.floor(random() * 500_000);
    return {
      accountCode: accounts[i % accounts.length],
      costUnitCode: units[i % units.length],
      vatCode: 'VAT255',
      netCents: net,
      vatCents: vatCents(net),
      description: `line ${i + 1}`,
    };
  });
}

/**
 * Inserts the invoices with their lines, numbered per fiscal year after the numbers already
 * taken, and advances the document sequences. Returns the new invoice ids in order.
 */
export async function seedInvoices(
  sql: Sql,
  tenant: SeedTenant,
  invoices: SeedInvoice[],
): Promise<string[]> {
  const org = tenant.organizationId;
  const next = new Map<number, number>();
  for (const row of await sql<{ fiscal_year: number; next_number: number }>(
    `select fiscal_year, next_number from document_sequence where organization_id = $1 and kind = 'INVOICE'`,
    [org],
  )) {
    next.set(row.fiscal_year, row.next_number);
  }
  const rows = invoices.map((inv) => {
    const year = Number(inv.billDate.slice(0, 4));
    const number = next.get(year) ?? 1;
    next.set(year, number + 1);
    const net = inv.lines.reduce((a, l) => a + l.netCents, 0);
    const vat = inv.lines.reduce((a, l) => a + l.vatCents, 0);
    return {
      id: randomUUID(),
      supplier_id: inv.supplierId,
      kind: inv.kind ?? 'INVOICE',
      invoice_number: inv.invoiceNumber,
      bill_date: inv.billDate,
      net_amount: cents(net),
      vat_amount: cents(vat),
      gross_amount: cents(net + vat),
      status: inv.status ?? 'APPROVED',
      document_number: number,
      fiscal_year: year,
      current_stage_id: inv.status === 'IN_CIRCULATION' ? inv.stageId : null,
      lines: inv.lines,
    };
  });
  const CHUNK = 1000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await sql(
      `insert into purchase_invoice (id, organization_id, supplier_id, kind, invoice_number, bill_date, due_date, currency,
         net_amount, vat_amount, gross_amount, status, posted, document_number, fiscal_year, approval_process_id,
         current_stage_id, version, posting_version)
       select x.id, $1, x.supplier_id, x.kind, x.invoice_number, x.bill_date, x.bill_date + 14, 'EUR', x.net_amount, x.vat_amount,
              x.gross_amount, x.status, true, x.document_number, x.fiscal_year, $2, x.current_stage_id, 1, 1
         from jsonb_to_recordset($3::jsonb) as x(id uuid, supplier_id uuid, kind text, invoice_number text, bill_date date,
              net_amount numeric, vat_amount numeric, gross_amount numeric, status text, document_number int,
              fiscal_year int, current_stage_id uuid)`,
      [org, tenant.processId, JSON.stringify(chunk.map(({ lines: _lines, ...r }) => r))],
    );
    const lines = chunk.flatMap((inv) =>
      inv.lines.map((l, position) => ({
        id: randomUUID(),
        invoice_id: inv.id,
        position,
        account_code: l.accountCode,
        cost_unit_code: l.costUnitCode,
        vat_code: l.vatCode,
        net_amount: cents(l.netCents),
        vat_amount: cents(l.vatCents),
        description: l.description ?? null,
      })),
    );
    await sql(
      `insert into invoice_line (id, organization_id, invoice_id, position, account_code, cost_unit_code, vat_code,
         net_amount, vat_amount, description)
       select x.id, $1, x.invoice_id, x.position, x.account_code, x.cost_unit_code, x.vat_code, x.net_amount, x.vat_amount,
              x.description
         from jsonb_to_recordset($2::jsonb) as x(id uuid, invoice_id uuid, position int, account_code text,
              cost_unit_code text, vat_code text, net_amount numeric, vat_amount numeric, description text)`,
      [org, JSON.stringify(lines)],
    );
  }
  for (const [year, number] of next) {
    await sql(
      `insert into document_sequence (organization_id, kind, fiscal_year, next_number) values ($1, 'INVOICE', $2, $3)
       on conflict (organization_id, kind, fiscal_year) do update set next_number = greatest(document_sequence.next_number, excluded.next_number)`,
      [org, year, number],
    );
  }
  return rows.map((r) => r.id);
}

/** First day of the month `offset` months from `date` (YYYY-MM-DD), and helpers on ISO dates. */
export function monthStart(date: string, offset: number): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const today = (): string => new Date().toISOString().slice(0, 10);
