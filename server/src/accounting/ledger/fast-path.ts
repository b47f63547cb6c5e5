/**
 * The fast path: a plainly valid posting, dated in an OPEN period after the lock date, for an
 * organization seen before, is ONE autocommit statement that re-checks every condition in the
 * database and inserts the entry with all its lines, or inserts nothing ("take the slow path",
 * which finds the reason). The set-based variant does the same for many invoices at once.
 * pg_try_advisory_xact_lock_shared fails while an admin operation holds or waits for the
 * organization's gate, so the fast path never overtakes it (see ledger-db.ts).
 */
import { randomUUID } from 'node:crypto';
import {
  AccountingOutcomeUnknown,
  AccountingTransientError,
  type EntryInfo,
} from '../accounting-system.js';
import type { VatTreatment } from './entry-lines.js';
import { ADVISORY_NAMESPACE, organizationLockKey, prepared, type LedgerDb } from './ledger-db.js';
import { PERIOD_COLUMNS, toPeriod, type LedgerAccounts, type PeriodRow } from './ledger-rows.js';
import type { NewEntry } from './slow-path.js';

export interface BuiltinLedgerStats {
  /** Postings written by the one-statement fast path. */
  fastPath: number;
  /** Postings (and repeats, rejections) that took the transactional slow path. */
  slowPath: number;
  /** Fast-path statements that failed in the database (then retried on the slow path). */
  fastPathErrors: number;
  lastFastPathError: string | null;
}

/** An entry planned for the fast path, with the master data it was planned with. */
export type FastPlan = Omit<NewEntry, 'placement' | 'reversesEntryId'> & {
  accountCodes: string[];
  costUnitCodes: string[];
  vat: Map<string, VatTreatment>;
};

/**
 * One posting: checks every condition of a clean posting against the database (master data,
 * the cached settings and VAT rates it was planned with, an OPEN period containing the date
 * after the lock date, no duplicate, unused key) and inserts the entry and its lines only if
 * all hold.
 */
const FAST_INSERT_SQL = prepared(`with s as (
  select 1 from ledger.settings
  where organization_id = $1::uuid and accounts_payable_account = $3::text and vat_receivable_account = $4::text
    and vat_payable_account = $5::text and bank_account = $6::text and (ap_lock_date is null or ap_lock_date < $2::date)
), p as (
  select ${PERIOD_COLUMNS} from ledger.period
  where organization_id = $1::uuid and start_date <= $2::date and end_date >= $2::date and status = 'OPEN'
  order by start_date desc limit 1
), ok as (
  select 1 where exists (select 1 from s) and exists (select 1 from p)
    and (select count(*) from ledger.account where organization_id = $1::uuid and code = any($7::text[])
         and postable and active) = cardinality($7::text[])
    and (select count(*) from ledger.cost_unit where organization_id = $1::uuid and code = any($8::text[])
         and active) = cardinality($8::text[])
    and (select count(*) from ledger.vat_code v
         join unnest($9::text[], $10::numeric[], $11::boolean[]) as x(code, rate, rc)
           on v.code = x.code and v.rate = x.rate and v.reverse_charge = x.rc
         where v.organization_id = $1::uuid and (v.valid_from is null or v.valid_from <= $2::date)
           and (v.valid_to is null or v.valid_to >= $2::date)) = cardinality($9::text[])
    and exists (select 1 from ledger.supplier_account where organization_id = $1::uuid and account_name = $12::text and active)
    and not exists (select 1 from ledger.entry where organization_id = $1::uuid and idempotency_key = $13::text)
    and not exists (select 1 from ledger.entry where organization_id = $1::uuid and supplier_account_name = $12::text
         and reference = $14::text and kind = $15::text and kind <> 'REVERSAL' and reversed_by_entry_id is null)
    and pg_try_advisory_xact_lock_shared($16::int, $17::int)
), e as (
  insert into ledger.entry (id, organization_id, journal, kind, reference, supplier_account_name,
    idempotency_key, document_date, posting_date, period_id, description, currency, total)
  select $18::uuid, $1::uuid, $19::text, $15::text, $14::text, $12::text, $13::text, $2::date, $2::date, p.id,
    $20::text, $21::text, $22::numeric
  from p, ok
  returning created_at
), l as (
  insert into ledger.entry_line (id, organization_id, entry_id, line_no, account_code, cost_unit_code,
    vat_code, debit, credit, description)
  select gen_random_uuid(), $1::uuid, $18::uuid, x.line_no, x.account_code, x.cost_unit_code, x.vat_code, x.debit, x.credit, x.description
  from e, unnest($23::int[], $24::text[], $25::text[], $26::text[], $27::numeric[], $28::numeric[], $29::text[])
    as x(line_no, account_code, cost_unit_code, vat_code, debit, credit, description)
)
select to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
  p.id, p.fiscal_year, p.name, p.start_date, p.end_date, p.status
from e, p`);

/**
 * Many invoices at once: checks each request as FAST_INSERT_SQL does and inserts the entries
 * (with their lines) of those that pass. A request that fails a check, or meets a unique key or
 * reference already taken (ON CONFLICT DO NOTHING, also within the batch), gets no row back and
 * takes the slow path, which finds the reason. One statement instead of one per invoice: one
 * commit, one round trip, one set of trigger locks.
 * $1 org, $2-$5 the settings accounts planned with, $6-$7 the organization's gate,
 * $8-$17 requests (index, entry id, journal, reference, supplier, key, date, description,
 * currency, total), $18-$19 account codes, $20-$21 cost units, $22-$25 VAT codes with the rate
 * and reverse charge planned with (each with its request index), $26-$33 lines by entry id.
 */
const FAST_INSERT_MANY_SQL = prepared(`with gate as (
  select 1 as held where pg_try_advisory_xact_lock_shared($6::int, $7::int)
), s as (
  select ap_lock_date from ledger.settings
  where organization_id = $1::uuid and accounts_payable_account = $2::text and vat_receivable_account = $3::text
    and vat_payable_account = $4::text and bank_account = $5::text
), r as (
  select * from unnest($8::int[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::date[],
    $15::text[], $16::text[], $17::numeric[])
    as r(i, id, journal, reference, supplier, key, doc_date, description, currency, total)
), a as (
  select * from unnest($18::int[], $19::text[]) as a(i, code)
), u as (
  select * from unnest($20::int[], $21::text[]) as u(i, code)
), v as (
  select * from unnest($22::int[], $23::text[], $24::numeric[], $25::boolean[]) as v(i, code, rate, rc)
), bad as (
  select a.i from a where not exists (select 1 from ledger.account x
    where x.organization_id = $1::uuid and x.code = a.code and x.postable and x.active)
  union
  select u.i from u where not exists (select 1 from ledger.cost_unit x
    where x.organization_id = $1::uuid and x.code = u.code and x.active)
  union
  select v.i from v join r on r.i = v.i where not exists (select 1 from ledger.vat_code x
    where x.organization_id = $1::uuid and x.code = v.code and x.rate = v.rate and x.reverse_charge = v.rc
      and (x.valid_from is null or x.valid_from <= r.doc_date) and (x.valid_to is null or x.valid_to >= r.doc_date))
  union
  select r.i from r where not exists (select 1 from ledger.supplier_account x
    where x.organization_id = $1::uuid and x.account_name = r.supplier and x.active)
  union
  select r.i from r where exists (select 1 from ledger.entry x
    where x.organization_id = $1::uuid and x.idempotency_key = r.key)
  union
  select r.i from r where exists (select 1 from ledger.entry x
    where x.organization_id = $1::uuid and x.supplier_account_name = r.supplier and x.reference = r.reference
      and x.kind = 'INVOICE' and x.reversed_by_entry_id is null)
), ok as (
  select r.*, p.id as period_id, p.fiscal_year, p.name, p.start_date, p.end_date, p.status
  from r cross join s cross join gate
  cross join lateral (
    select ${PERIOD_COLUMNS} from ledger.period x
    where x.organization_id = $1::uuid and x.start_date <= r.doc_date and x.end_date >= r.doc_date and x.status = 'OPEN'
    order by x.start_date desc limit 1) p
  where (s.ap_lock_date is null or s.ap_lock_date < r.doc_date) and r.i not in (select i from bad)
), e as (
  insert into ledger.entry (id, organization_id, journal, kind, reference, supplier_account_name,
    idempotency_key, document_date, posting_date, period_id, description, currency, total)
  select ok.id, $1::uuid, ok.journal, 'INVOICE', ok.reference, ok.supplier, ok.key, ok.doc_date, ok.doc_date,
    ok.period_id, ok.description, ok.currency, ok.total
  from ok order by ok.i
  on conflict do nothing
  returning id, created_at
), l as (
  insert into ledger.entry_line (id, organization_id, entry_id, line_no, account_code, cost_unit_code,
    vat_code, debit, credit, description)
  select gen_random_uuid(), $1::uuid, x.entry_id, x.line_no, x.account_code, x.cost_unit_code, x.vat_code, x.debit,
    x.credit, x.description
  from e join unnest($26::uuid[], $27::int[], $28::text[], $29::text[], $30::text[], $31::numeric[], $32::numeric[],
    $33::text[]) as x(entry_id, line_no, account_code, cost_unit_code, vat_code, debit, credit, description)
    on x.entry_id = e.id
)
select ok.i, to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
  ok.period_id as id, ok.fiscal_year, ok.name, ok.start_date, ok.end_date, ok.status
from e join ok on ok.id = e.id`);

type WrittenRow = PeriodRow & { created_at: string };

function fastEntry(id: string, n: FastPlan, row: WrittenRow): EntryInfo {
  return {
    id,
    journal: n.journal,
    kind: n.kind,
    reference: n.reference,
    supplierAccountName: n.supplierAccountName,
    idempotencyKey: n.idempotencyKey,
    documentDate: n.documentDate,
    postingDate: n.documentDate,
    period: toPeriod(row),
    currency: n.currency,
    total: n.total,
    description: n.description,
    reversesEntryId: null,
    reversedByEntryId: null,
    createdAt: new Date(row.created_at),
    lines: n.lines,
  };
}

export class FastPath {
  constructor(
    private readonly db: LedgerDb,
    private readonly stats: BuiltinLedgerStats,
  ) {}

  /** Runs a fast statement; null when it failed in the database (then the slow path decides). */
  private async attempt<T>(statement: () => Promise<T>): Promise<T | null> {
    try {
      return await statement();
    } catch (err) {
      if (err instanceof AccountingOutcomeUnknown || err instanceof AccountingTransientError)
        throw err;
      // A race the checks could not see (a period closed, a concurrent same key or reference)
      // failed the whole statement: nothing was written; the slow path sorts it out under locks.
      this.stats.fastPathErrors++;
      this.stats.lastFastPathError = (err as Error).message;
      return null;
    }
  }

  /** Writes one planned posting; null when it is not plainly postable after all. */
  async insertOne(
    organizationId: string,
    settings: LedgerAccounts,
    n: FastPlan,
  ): Promise<EntryInfo | null> {
    const id = randomUUID();
    const vatCodes = [...n.vat.keys()];
    const rows = await this.attempt(async () => {
      const result = await this.db.autocommit((c) =>
        c.query<WrittenRow>(FAST_INSERT_SQL, [
          organizationId,
          n.documentDate,
          settings.accounts_payable_account,
          settings.vat_receivable_account,
          settings.vat_payable_account,
          settings.bank_account,
          n.accountCodes,
          n.costUnitCodes,
          vatCodes,
          vatCodes.map((code) => n.vat.get(code)!.rate),
          vatCodes.map((code) => n.vat.get(code)!.reverseCharge),
          n.supplierAccountName,
          n.idempotencyKey,
          n.reference,
          n.kind,
          ADVISORY_NAMESPACE,
          organizationLockKey(organizationId),
          id,
          n.journal,
          n.description,
          n.currency,
          n.total,
          n.lines.map((l) => l.lineNo),
          n.lines.map((l) => l.accountCode),
          n.lines.map((l) => l.costUnitCode),
          n.lines.map((l) => l.vatCode),
          n.lines.map((l) => l.debit),
          n.lines.map((l) => l.credit),
          n.lines.map((l) => l.description),
        ]),
      );
      return result.rows;
    });
    const row = rows?.[0];
    if (!row) return null;
    this.stats.fastPath++;
    return fastEntry(id, n, row);
  }

  /**
   * Writes the planned invoices in one statement; the entries written, by request index.
   * Throws AccountingTransientError (nothing written) or AccountingOutcomeUnknown (any of it
   * may have been written).
   */
  async insertMany(
    organizationId: string,
    settings: LedgerAccounts,
    plans: Map<number, FastPlan>,
  ): Promise<Map<number, EntryInfo>> {
    const items = [...plans].map(([i, n]) => ({ i, n, id: randomUUID() }));
    const accounts = items.flatMap(({ i, n }) => n.accountCodes.map((code) => ({ i, code })));
    const units = items.flatMap(({ i, n }) => n.costUnitCodes.map((code) => ({ i, code })));
    const vats = items.flatMap(({ i, n }) => [...n.vat].map(([code, t]) => ({ i, code, ...t })));
    const lines = items.flatMap(({ n, id }) => n.lines.map((l) => ({ id, l })));
    const rows = await this.attempt(async () => {
      const result = await this.db.autocommit((c) =>
        c.query<WrittenRow & { i: number }>(FAST_INSERT_MANY_SQL, [
          organizationId,
          settings.accounts_payable_account,
          settings.vat_receivable_account,
          settings.vat_payable_account,
          settings.bank_account,
          ADVISORY_NAMESPACE,
          organizationLockKey(organizationId),
          items.map((x) => x.i),
          items.map((x) => x.id),
          items.map((x) => x.n.journal),
          items.map((x) => x.n.reference),
          items.map((x) => x.n.supplierAccountName),
          items.map((x) => x.n.idempotencyKey),
          items.map((x) => x.n.documentDate),
          items.map((x) => x.n.description),
          items.map((x) => x.n.currency),
          items.map((x) => x.n.total),
          accounts.map((a) => a.i),
          accounts.map((a) => a.code),
          units.map((u) => u.i),
          units.map((u) => u.code),
          vats.map((v) => v.i),
          vats.map((v) => v.code),
          vats.map((v) => v.rate),
          vats.map((v) => v.reverseCharge),
          lines.map((x) => x.id),
          lines.map((x) => x.l.lineNo),
          lines.map((x) => x.l.accountCode),
          lines.map((x) => x.l.costUnitCode),
          lines.map((x) => x.l.vatCode),
          lines.map((x) => x.l.debit),
          lines.map((x) => x.l.credit),
          lines.map((x) => x.l.description),
        ]),
      );
      return result.rows;
    });
    const byIndex = new Map(items.map((x) => [x.i, x]));
    const written = new Map<number, EntryInfo>();
    for (const row of rows ?? []) {
      const { n, id } = byIndex.get(Number(row.i))!;
      written.set(Number(row.i), fastEntry(id, n, row));
    }
    this.stats.fastPath += written.size;
    return written;
  }
}
