/**
 * The built-in double-entry ledger: the default `AccountingSystem` adapter, in PostgreSQL schema
 * `ledger` (entities in ledger.entities.ts, invariants enforced by the migration's triggers).
 *
 * It behaves like an external system: every call runs on its own pooled connection and in its
 * own transaction (see ledger-db.ts), never inside the caller's. Writes are plain SQL:
 *
 * - Fast path (a plainly valid invoice or payment dated in an OPEN period after the lock date, for
 *   an organization seen before): ONE autocommit statement that re-checks every condition in the
 *   database and inserts the entry with all its lines, or inserts nothing. It plans with the
 *   settings accounts and VAT rates learnt from earlier slow-path reads, and the statement
 *   verifies them, so a stale cache can only send a posting to the slow path, never book wrongly.
 * - Slow path (everything else: first posting, repeats of a key, rejections, shifted dates,
 *   reversals): BEGIN + the organization's shared gate; one query gathers everything validation
 *   needs and share-locks the settings and period rows (a concurrent closePeriod / setLockDate
 *   waits for the posting); one statement inserts the entry and its lines; COMMIT.
 *
 * Races the checks cannot see (the period closed, the same key or reference posted concurrently)
 * end in the database's own refusals, which the slow path turns into the existing entry or an
 * AccountingRejection with the right code.
 *
 * Master data (accounts, cost units, VAT codes, supplier accounts, settings, periods) is plain
 * rows of the ledger entities keyed by organization id; see ledger-setup.ts for helpers
 * (`createLedgerForOrganization`, `ensureFiscalYear`). The demo seeder may also insert the
 * entities directly: every posting is checked against the rows as they are.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Decimal, formatMoney, isMoney, money, sumMoney } from '../../common/money.js';
import { ClosedPeriodPolicy } from '../accounting.enums.js';
import {
  AccountingOutcomeUnknown,
  AccountingRejection,
  AccountingTransientError,
  type AccountingProblem,
  type AccountingSystem,
  type EntryInfo,
  type EntryKindName,
  type EntryLineInfo,
  type EntryPage,
  type InvoicePostingOutcome,
  type InvoicePostingRequest,
  type JournalName,
  type LedgerSettingsInfo,
  type MasterData,
  type PaymentPostingRequest,
  type PeriodInfo,
  type PeriodStatusName,
  type ReversalRequest,
} from '../accounting-system.js';
import { addDays, isIsoDate } from './dates.js';
import {
  ADVISORY_NAMESPACE,
  LedgerDb,
  organizationLockKey,
  prepared,
  type OrganizationLock,
  type PgError,
  type SqlClient,
} from './ledger-db.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const INVOICE_JOURNALS: readonly string[] = ['ITEM_INVOICES', 'BATCH_INVOICES'];
const POLICIES: readonly string[] = Object.values(ClosedPeriodPolicy);
const MAX_PAGE = 1000;

// ---------------------------------------------------------------------------------------------
// SQL

const PERIOD_COLUMNS = `id, fiscal_year, name, to_char(start_date, 'YYYY-MM-DD') as start_date,
  to_char(end_date, 'YYYY-MM-DD') as end_date, status`;

const SETTINGS_COLUMNS = `to_char(ap_lock_date, 'YYYY-MM-DD') as ap_lock_date, accounts_payable_account,
  vat_receivable_account, vat_payable_account, bank_account`;

/**
 * Everything a posting's validation needs, in one round trip. With `lock`, the settings row and
 * the document date's period are share-locked (as the check trigger will do again at insert):
 * closing the period or moving the lock date waits until this posting commits.
 * $1 org, $2 document date, $3 account codes, $4 cost units, $5 VAT codes, $6 supplier account,
 * $7 idempotency key, $8 reference, $9 kind.
 */
function contextSql(lock: boolean): string {
  const forShare = lock ? 'for share' : '';
  return `with s as (
  select ${SETTINGS_COLUMNS} from ledger.settings where organization_id = $1 ${forShare}
), p as (
  select ${PERIOD_COLUMNS} from ledger.period
  where organization_id = $1 and start_date <= $2::date and end_date >= $2::date
  order by start_date desc limit 1 ${forShare}
)
select
  (select id from ledger.entry where organization_id = $1 and idempotency_key = $7) as existing_id,
  (select row_to_json(s) from s) as settings,
  (select row_to_json(p) from p) as period,
  (select coalesce(json_agg(json_build_object('code', code, 'postable', postable, 'active', active)), '[]')
     from ledger.account where organization_id = $1 and code = any($3::text[])) as accounts,
  (select coalesce(json_agg(json_build_object('code', code, 'active', active)), '[]')
     from ledger.cost_unit where organization_id = $1 and code = any($4::text[])) as cost_units,
  (select coalesce(json_agg(json_build_object('code', code, 'rate', rate::text, 'reverse_charge', reverse_charge,
       'valid_from', to_char(valid_from, 'YYYY-MM-DD'), 'valid_to', to_char(valid_to, 'YYYY-MM-DD'))), '[]')
     from ledger.vat_code where organization_id = $1 and code = any($5::text[])) as vat_codes,
  (select json_build_object('active', active) from ledger.supplier_account
     where organization_id = $1 and account_name = $6) as supplier,
  (select json_build_object('id', id, 'idempotency_key', idempotency_key) from ledger.entry
     where organization_id = $1 and supplier_account_name = $6 and reference = $8 and kind = $9
       and kind <> 'REVERSAL' and reversed_by_entry_id is null limit 1) as duplicate`;
}
const CONTEXT_SQL_LOCKED = prepared(contextSql(true));
const CONTEXT_SQL_READ = prepared(contextSql(false));

/** The first OPEN period starting after $2 that ends after the lock date $3. */
function nextOpenPeriodSql(lock: boolean): string {
  return `select ${PERIOD_COLUMNS} from ledger.period
  where organization_id = $1 and status = 'OPEN' and start_date > $2::date
    and ($3::date is null or end_date > $3::date)
  order by start_date limit 1 ${lock ? 'for share' : ''}`;
}
const NEXT_OPEN_SQL_LOCKED = prepared(nextOpenPeriodSql(true));
const NEXT_OPEN_SQL_READ = prepared(nextOpenPeriodSql(false));

/** Inserts an entry and all its lines in one statement; the balance trigger checks at COMMIT. */
const INSERT_ENTRY_SQL = prepared(`with e as (
  insert into ledger.entry (id, organization_id, journal, kind, reference, supplier_account_name,
    idempotency_key, document_date, posting_date, period_id, description, currency, total, reverses_entry_id)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  returning created_at
), l as (
  insert into ledger.entry_line (id, organization_id, entry_id, line_no, account_code, cost_unit_code,
    vat_code, debit, credit, description)
  select gen_random_uuid(), $2, $1, x.line_no, x.account_code, x.cost_unit_code, x.vat_code, x.debit, x.credit, x.description
  from unnest($15::int[], $16::text[], $17::text[], $18::text[], $19::numeric[], $20::numeric[], $21::text[])
    as x(line_no, account_code, cost_unit_code, vat_code, debit, credit, description)
)
select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at from e`);

const ENTRY_SELECT = `select e.id, e.journal, e.kind, e.reference, e.supplier_account_name, e.idempotency_key,
  to_char(e.document_date, 'YYYY-MM-DD') as document_date, to_char(e.posting_date, 'YYYY-MM-DD') as posting_date,
  e.description, e.currency, e.total::text as total, e.reverses_entry_id, e.reversed_by_entry_id,
  to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
  p.id as p_id, p.fiscal_year as p_fiscal_year, p.name as p_name,
  to_char(p.start_date, 'YYYY-MM-DD') as p_start_date, to_char(p.end_date, 'YYYY-MM-DD') as p_end_date,
  p.status as p_status
from ledger.entry e join ledger.period p on p.id = e.period_id`;

const LINES_SQL =
  prepared(`select entry_id, line_no, account_code, cost_unit_code, vat_code, debit::text as debit,
  credit::text as credit, description
from ledger.entry_line where organization_id = $1 and entry_id = any($2::uuid[])
order by entry_id, line_no`);

// ---------------------------------------------------------------------------------------------
// Row shapes

interface PeriodRow {
  id: string;
  fiscal_year: number;
  name: string;
  start_date: string;
  end_date: string;
  status: PeriodStatusName;
}

interface SettingsRow {
  ap_lock_date: string | null;
  accounts_payable_account: string;
  vat_receivable_account: string;
  vat_payable_account: string;
  bank_account: string;
}

interface ContextRow {
  existing_id: string | null;
  settings: SettingsRow | null;
  period: PeriodRow | null;
  accounts: { code: string; postable: boolean; active: boolean }[];
  cost_units: { code: string; active: boolean }[];
  vat_codes: {
    code: string;
    rate: string;
    reverse_charge: boolean;
    valid_from: string | null;
    valid_to: string | null;
  }[];
  supplier: { active: boolean } | null;
  duplicate: { id: string; idempotency_key: string } | null;
}

interface EntryRow {
  id: string;
  journal: JournalName;
  kind: EntryKindName;
  reference: string;
  supplier_account_name: string;
  idempotency_key: string;
  document_date: string;
  posting_date: string;
  description: string | null;
  currency: string;
  total: string;
  reverses_entry_id: string | null;
  reversed_by_entry_id: string | null;
  created_at: string;
  p_id: string;
  p_fiscal_year: number;
  p_name: string;
  p_start_date: string;
  p_end_date: string;
  p_status: PeriodStatusName;
}

interface LineRow {
  entry_id: string;
  line_no: number;
  account_code: string;
  cost_unit_code: string | null;
  vat_code: string | null;
  debit: string;
  credit: string;
  description: string | null;
}

/** A line to book: positive amount = debit, negative = credit. */
interface PlannedLine {
  accountCode: string;
  costUnitCode: string | null;
  vatCode: string | null;
  amount: Decimal;
  description: string | null;
}

interface Placement {
  period: PeriodInfo;
  postingDate: string;
}

interface NewEntry {
  journal: JournalName;
  kind: EntryKindName;
  reference: string;
  supplierAccountName: string;
  idempotencyKey: string;
  documentDate: string;
  placement: Placement;
  description: string | null;
  currency: string;
  reversesEntryId: string | null;
  lines: EntryLineInfo[];
  total: string;
}

function toPeriod(row: PeriodRow): PeriodInfo {
  return {
    id: row.id,
    fiscalYear: Number(row.fiscal_year),
    name: row.name,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
  };
}

function toSettings(row: SettingsRow): LedgerSettingsInfo {
  return {
    apLockDate: row.ap_lock_date,
    accountsPayableAccount: row.accounts_payable_account,
    vatReceivableAccount: row.vat_receivable_account,
    vatPayableAccount: row.vat_payable_account,
    bankAccount: row.bank_account,
  };
}

function toLine(row: LineRow): EntryLineInfo {
  return {
    lineNo: Number(row.line_no),
    accountCode: row.account_code,
    costUnitCode: row.cost_unit_code,
    vatCode: row.vat_code,
    debit: row.debit,
    credit: row.credit,
    description: row.description,
  };
}

function toEntry(row: EntryRow, lines: EntryLineInfo[]): EntryInfo {
  return {
    id: row.id,
    journal: row.journal,
    kind: row.kind,
    reference: row.reference,
    supplierAccountName: row.supplier_account_name,
    idempotencyKey: row.idempotency_key,
    documentDate: row.document_date,
    postingDate: row.posting_date,
    period: {
      id: row.p_id,
      fiscalYear: Number(row.p_fiscal_year),
      name: row.p_name,
      startDate: row.p_start_date,
      endDate: row.p_end_date,
      status: row.p_status,
    },
    currency: row.currency,
    total: row.total,
    description: row.description,
    reversesEntryId: row.reverses_entry_id,
    reversedByEntryId: row.reversed_by_entry_id,
    createdAt: new Date(row.created_at),
    lines,
  };
}

/** Planned signed amounts → numbered debit/credit lines (zero amounts dropped). */
function toEntryLines(planned: PlannedLine[]): { lines: EntryLineInfo[]; total: string } {
  const lines: EntryLineInfo[] = [];
  let debits = new Decimal(0);
  for (const p of planned) {
    if (p.amount.isZero()) continue;
    const debit = p.amount.greaterThan(0) ? p.amount : new Decimal(0);
    const credit = p.amount.lessThan(0) ? p.amount.negated() : new Decimal(0);
    debits = debits.plus(debit);
    lines.push({
      lineNo: lines.length + 1,
      accountCode: p.accountCode,
      costUnitCode: p.costUnitCode,
      vatCode: p.vatCode,
      debit: formatMoney(debit),
      credit: formatMoney(credit),
      description: p.description,
    });
  }
  return { lines, total: formatMoney(debits) };
}

function problem(
  code: AccountingProblem['code'],
  message: string,
  field?: string[],
): AccountingProblem {
  return field ? { code, message, field } : { code, message };
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** How a VAT code books: its rate (percent) and whether it is reverse charge. */
interface VatTreatment {
  rate: string;
  reverseCharge: boolean;
}

interface LedgerAccounts {
  accounts_payable_account: string;
  vat_receivable_account: string;
  vat_payable_account: string;
  bank_account: string;
}

/**
 * The double entry of an invoice: each line's net debited to its account, VAT receivable
 * debited per VAT code with the summed VAT, for reverse-charge codes VAT receivable debited and
 * VAT payable credited with net × rate (per code, rounded half up to cents), and accounts payable
 * credited with the gross. Negative amounts (credit notes) land on the other side.
 */
function planInvoiceLines(
  r: InvoicePostingRequest,
  s: LedgerAccounts,
  vatOf: (code: string) => VatTreatment,
): { lines: EntryLineInfo[]; total: string } {
  const planned: PlannedLine[] = r.lines.map((l) => ({
    accountCode: l.accountCode,
    costUnitCode: nonEmpty(l.costUnitCode) ? l.costUnitCode : null,
    vatCode: nonEmpty(l.vatCode) ? l.vatCode : null,
    amount: money(l.netAmount),
    description: l.description ?? null,
  }));
  const perCode = new Map<string, { vat: Decimal; net: Decimal }>();
  for (const l of r.lines) {
    if (!nonEmpty(l.vatCode)) continue;
    const sum = perCode.get(l.vatCode) ?? { vat: new Decimal(0), net: new Decimal(0) };
    sum.vat = sum.vat.plus(l.vatAmount);
    sum.net = sum.net.plus(l.netAmount);
    perCode.set(l.vatCode, sum);
  }
  for (const [code, sum] of perCode) {
    const vat = vatOf(code);
    if (vat.reverseCharge) {
      const tax = sum.net.times(vat.rate).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const description = `Reverse charge VAT ${code}`;
      planned.push({
        accountCode: s.vat_receivable_account,
        costUnitCode: null,
        vatCode: code,
        amount: tax,
        description,
      });
      planned.push({
        accountCode: s.vat_payable_account,
        costUnitCode: null,
        vatCode: code,
        amount: tax.negated(),
        description,
      });
    } else {
      planned.push({
        accountCode: s.vat_receivable_account,
        costUnitCode: null,
        vatCode: code,
        amount: sum.vat,
        description: `VAT ${code}`,
      });
    }
  }
  planned.push({
    accountCode: s.accounts_payable_account,
    costUnitCode: null,
    vatCode: null,
    amount: money(r.grossAmount).negated(),
    description: r.description ?? null,
  });
  return toEntryLines(planned);
}

/** What the fast path needs to know of an organization, learnt from the slow path's reads. */
interface OrganizationCache {
  settings: LedgerAccounts | null;
  vat: Map<string, VatTreatment>;
}
const MAX_CACHED_ORGANIZATIONS = 10_000;

/** An entry planned for the fast path, with the master data it was planned with. */
type FastPlan = Omit<NewEntry, 'placement' | 'reversesEntryId'> & {
  accountCodes: string[];
  costUnitCodes: string[];
  vat: Map<string, VatTreatment>;
};

/** Slow-path postings of one batch call in flight at once (each is its own transaction). */
const SLOW_BATCH_CONCURRENCY = 4;

/** Runs `fn` over items with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const run = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
}

/**
 * The fast path: one autocommit statement that checks every condition of a clean posting against
 * the database (master data, the cached settings and VAT rates it was planned with, an OPEN period
 * containing the date after the lock date, no duplicate, unused key) and inserts the entry and its
 * lines only if all hold. No row back means "take the slow path", which finds the reason.
 * pg_try_advisory_xact_lock_shared fails while an admin operation holds or waits for the
 * organization's gate, so the fast path never overtakes it (see ledger-db.ts).
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
 * The fast path for many invoices at once: one autocommit statement that checks each request as
 * FAST_INSERT_SQL does and inserts the entries (with their lines) of those that pass. A request
 * that fails a check, or meets a unique key or reference already taken (ON CONFLICT DO NOTHING,
 * also within the batch), gets no row back and takes the slow path, which finds the reason. One
 * statement instead of one per invoice: one commit, one round trip, one set of trigger locks.
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

/** Translates the ledger's own constraint and trigger failures into coded problems. */
export function problemFromDbError(
  err: unknown,
  dateField: string[] = ['documentDate'],
): AccountingProblem | null {
  const e = err as PgError;
  if (!e || typeof e.code !== 'string') return null;
  const message = e.message;
  switch (e.constraint) {
    case 'entry_supplier_reference_unique':
      return problem(
        'DUPLICATE_REFERENCE',
        'a live entry of this kind already exists for this supplier and reference',
        ['reference'],
      );
    case 'entry_period_open':
    case 'entry_after_lock_date':
      return problem('PERIOD_LOCKED', message, dateField);
    case 'entry_balanced':
      return problem('UNBALANCED', message);
    case 'entry_line_one_side_check':
      return problem('VALIDATION', message);
    default:
  }
  if (e.code === '42501') return problem('VALIDATION', message);
  if (e.code.startsWith('22')) return problem('VALIDATION', `invalid value: ${message}`);
  return null;
}

// ---------------------------------------------------------------------------------------------

export interface BuiltinLedgerOptions {
  /** Shown as `AccountingSystem.name`. */
  name?: string;
}

export interface BuiltinLedgerStats {
  /** Postings written by the one-statement fast path. */
  fastPath: number;
  /** Postings (and repeats, rejections) that took the transactional slow path. */
  slowPath: number;
  /** Fast-path statements that failed in the database (then retried on the slow path). */
  fastPathErrors: number;
  lastFastPathError: string | null;
}

export class BuiltinLedger implements AccountingSystem {
  readonly name: string;
  readonly stats: BuiltinLedgerStats = {
    fastPath: 0,
    slowPath: 0,
    fastPathErrors: 0,
    lastFastPathError: null,
  };
  private readonly db: LedgerDb;
  private readonly cache = new Map<string, OrganizationCache>();

  constructor(orm: MikroORM, opts: BuiltinLedgerOptions = {}) {
    this.db = new LedgerDb(orm);
    this.name = opts.name ?? 'builtin-ledger';
  }

  // ------------------------------------------------------------------------------- reads

  async getMasterData(organizationId: string): Promise<MasterData> {
    if (!isUuid(organizationId))
      return { accounts: [], costUnits: [], vatCodes: [], supplierAccounts: [] };
    const rows = await this.db.read((c) =>
      c.query<{
        accounts: MasterData['accounts'];
        cost_units: MasterData['costUnits'];
        vat_codes: MasterData['vatCodes'];
        suppliers: MasterData['supplierAccounts'];
      }>(
        `select
  (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'type', type, 'postable', postable, 'active', active) order by code), '[]')
     from ledger.account where organization_id = $1) as accounts,
  (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'active', active) order by code), '[]')
     from ledger.cost_unit where organization_id = $1) as cost_units,
  (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'rate', rate::text, 'reverseCharge', reverse_charge,
       'validFrom', to_char(valid_from, 'YYYY-MM-DD'), 'validTo', to_char(valid_to, 'YYYY-MM-DD')) order by code), '[]')
     from ledger.vat_code where organization_id = $1) as vat_codes,
  (select coalesce(json_agg(json_build_object('accountName', account_name, 'name', name, 'active', active) order by account_name), '[]')
     from ledger.supplier_account where organization_id = $1) as suppliers`,
        [organizationId],
      ),
    );
    const r = rows.rows[0];
    return {
      accounts: r.accounts,
      costUnits: r.cost_units,
      vatCodes: r.vat_codes,
      supplierAccounts: r.suppliers,
    };
  }

  async getSettings(organizationId: string): Promise<LedgerSettingsInfo> {
    const row = isUuid(organizationId)
      ? (
          await this.db.read((c) =>
            c.query<SettingsRow>(
              `select ${SETTINGS_COLUMNS} from ledger.settings where organization_id = $1`,
              [organizationId],
            ),
          )
        ).rows[0]
      : undefined;
    if (!row)
      throw new AccountingRejection([
        problem('VALIDATION', 'the ledger of this organization is not set up'),
      ]);
    return toSettings(row);
  }

  async listPeriods(organizationId: string, fiscalYear?: number): Promise<PeriodInfo[]> {
    if (!isUuid(organizationId)) return [];
    const { rows } = await this.db.read((c) =>
      c.query<PeriodRow>(
        `select ${PERIOD_COLUMNS} from ledger.period
         where organization_id = $1 and ($2::int is null or fiscal_year = $2) order by start_date`,
        [organizationId, fiscalYear ?? null],
      ),
    );
    return rows.map(toPeriod);
  }

  async findByIdempotencyKey(organizationId: string, key: string): Promise<EntryInfo | null> {
    if (!isUuid(organizationId) || typeof key !== 'string') return null;
    const entries = await this.db.read((c) =>
      this.loadEntries(c, organizationId, `e.organization_id = $1 and e.idempotency_key = $2`, [
        organizationId,
        key,
      ]),
    );
    return entries[0] ?? null;
  }

  async findByReference(
    organizationId: string,
    supplierAccountName: string,
    reference: string,
    kind: EntryKindName,
  ): Promise<EntryInfo | null> {
    if (!isUuid(organizationId)) return null;
    const entries = await this.db.read((c) =>
      this.loadEntries(
        c,
        organizationId,
        `e.organization_id = $1 and e.supplier_account_name = $2 and e.reference = $3 and e.kind = $4
         and e.reversed_by_entry_id is null order by e.created_at desc, e.id desc limit 1`,
        [organizationId, supplierAccountName, reference, kind],
      ),
    );
    return entries[0] ?? null;
  }

  async getEntry(organizationId: string, entryId: string): Promise<EntryInfo | null> {
    return (await this.getEntries(organizationId, [entryId]))[0] ?? null;
  }

  /** The entries found, in the order asked (missing and foreign ids are left out). */
  async getEntries(organizationId: string, entryIds: string[]): Promise<EntryInfo[]> {
    const ids = [...new Set(entryIds.filter(isUuid).map((id) => id.toLowerCase()))];
    if (!isUuid(organizationId) || ids.length === 0) return [];
    const entries = await this.db.read((c) =>
      this.loadEntries(c, organizationId, `e.organization_id = $1 and e.id = any($2::uuid[])`, [
        organizationId,
        ids,
      ]),
    );
    const byId = new Map(entries.map((e) => [e.id, e]));
    return ids.map((id) => byId.get(id)).filter((e): e is EntryInfo => !!e);
  }

  async listEntries(
    organizationId: string,
    query: { journal?: JournalName; reference?: string; first: number; after?: string },
  ): Promise<EntryPage> {
    if (!isUuid(organizationId)) return { entries: [], totalCount: 0, hasNextPage: false };
    const first = Math.max(0, Math.min(MAX_PAGE, Math.floor(query.first ?? 0)));
    const journal = query.journal ?? null;
    const reference = nonEmpty(query.reference) ? `%${escapeLike(query.reference.trim())}%` : null;
    const filter = `e.organization_id = $1 and ($2::text is null or e.journal = $2)
      and ($3::text is null or e.reference ilike $3)`;
    return this.db.read(async (c) => {
      const count = await c.query<{ n: string }>(
        `select count(*)::text as n from ledger.entry e where ${filter}`,
        [organizationId, journal, reference],
      );
      const totalCount = Number(count.rows[0].n);
      if (first === 0) return { entries: [], totalCount, hasNextPage: false };
      if (query.after !== undefined && query.after !== null && !isUuid(query.after)) {
        return { entries: [], totalCount, hasNextPage: false };
      }
      const entries = await this.loadEntries(
        c,
        organizationId,
        `${filter}
         and ($4::uuid is null or (e.created_at, e.id) <
           (select c.created_at, c.id from ledger.entry c where c.organization_id = $1 and c.id = $4))
         order by e.created_at desc, e.id desc limit $5`,
        [organizationId, journal, reference, query.after ?? null, first + 1],
      );
      const hasNextPage = entries.length > first;
      return { entries: entries.slice(0, first), totalCount, hasNextPage };
    });
  }

  /** Entries matching `where` (over `e` = entry, `p` = period) with their lines, in one query each. */
  private async loadEntries(
    c: SqlClient,
    organizationId: string,
    where: string,
    params: unknown[],
  ): Promise<EntryInfo[]> {
    const { rows } = await c.query<EntryRow>(`${ENTRY_SELECT} where ${where}`, params);
    if (rows.length === 0) return [];
    const lines = await c.query<LineRow>(LINES_SQL, [organizationId, rows.map((r) => r.id)]);
    const byEntry = new Map<string, EntryLineInfo[]>();
    for (const l of lines.rows) {
      let list = byEntry.get(l.entry_id);
      if (!list) byEntry.set(l.entry_id, (list = []));
      list.push(toLine(l));
    }
    return rows.map((r) => toEntry(r, byEntry.get(r.id) ?? []));
  }

  // ------------------------------------------------------------------------------- period rule

  /**
   * Where a document dated `date` lands. The date's period if it is OPEN and the date is after
   * the lock date; otherwise BLOCK refuses and SHIFT_TO_NEXT_OPEN takes the first OPEN period
   * starting after the date's period and ending after the lock date, on its first day (or the
   * day after the lock date, if that falls inside it). With `lock` the chosen period is share-locked.
   */
  private async place(
    c: SqlClient,
    organizationId: string,
    date: string,
    policy: ClosedPeriodPolicy,
    lockDate: string | null,
    period: PeriodRow | null,
    lock: boolean,
    field: string[],
  ): Promise<Placement | AccountingProblem> {
    if (!period) return problem('PERIOD_LOCKED', `no accounting period covers ${date}`, field);
    const closed = period.status !== 'OPEN';
    const locked = lockDate !== null && date <= lockDate;
    if (!closed && !locked) return { period: toPeriod(period), postingDate: date };
    const reason = closed
      ? `period ${period.name} is closed`
      : `${date} is on or before the accounts-payable lock date ${lockDate}`;
    if (policy === ClosedPeriodPolicy.BLOCK) return problem('PERIOD_LOCKED', reason, field);
    const { rows } = await c.query<PeriodRow>(lock ? NEXT_OPEN_SQL_LOCKED : NEXT_OPEN_SQL_READ, [
      organizationId,
      period.end_date,
      lockDate,
    ]);
    const next = rows[0];
    if (!next) return problem('PERIOD_LOCKED', `${reason} and no open period follows it`, field);
    const postingDate =
      lockDate !== null && lockDate >= next.start_date ? addDays(lockDate, 1) : next.start_date;
    return { period: toPeriod(next), postingDate };
  }

  // ------------------------------------------------------------------------------- invoices

  async validateInvoice(
    organizationId: string,
    request: InvoicePostingRequest,
  ): Promise<AccountingProblem[]> {
    const shape = this.checkInvoiceShape(organizationId, request);
    if (shape.fatal) return shape.problems;
    return this.db.read(async (c) => {
      const result = await this.analyzeInvoice(c, organizationId, request, shape.problems, false);
      return 'existingId' in result ? [] : result.problems;
    });
  }

  async postInvoice(organizationId: string, request: InvoicePostingRequest): Promise<EntryInfo> {
    const shape = this.checkInvoiceShape(organizationId, request);
    if (shape.fatal) throw new AccountingRejection(shape.problems);
    if (shape.problems.length === 0) {
      const fast = await this.fastInvoice(organizationId, request);
      if (fast) return fast;
    }
    return this.slowInvoice(organizationId, request, shape.problems);
  }

  /**
   * Many invoices in one call: those plainly postable in one fast statement (one transaction),
   * every other one alone on the slow path, as postInvoice would take it. A failure of the fast
   * statement's connection leaves the whole call in doubt (AccountingOutcomeUnknown); afterwards
   * each request's own failure stays its own.
   */
  async postInvoices(
    organizationId: string,
    requests: InvoicePostingRequest[],
  ): Promise<InvoicePostingOutcome[]> {
    if (!Array.isArray(requests))
      throw new AccountingRejection([problem('VALIDATION', 'requests must be a list')]);
    const outcomes = new Array<InvoicePostingOutcome | undefined>(requests.length);
    const shapes = requests.map((r) => this.checkInvoiceShape(organizationId, r));
    shapes.forEach((shape, i) => {
      if (shape.fatal) outcomes[i] = { problems: shape.problems };
    });
    const clean = shapes.flatMap((shape, i) =>
      !shape.fatal && shape.problems.length === 0 ? [i] : [],
    );
    if (clean.length > 0) {
      await this.learnVatCodes(
        organizationId,
        clean.flatMap((i) => requests[i].lines.map((l) => l?.vatCode).filter(nonEmpty)),
      );
      const plans = new Map<number, FastPlan>();
      for (const i of clean) {
        const plan = this.planFastInvoice(organizationId, requests[i]);
        if (plan) plans.set(i, plan);
      }
      const settings = this.cache.get(organizationId)?.settings;
      if (settings && plans.size > 0) {
        // Throws AccountingTransientError (nothing written) or AccountingOutcomeUnknown (any of it
        // may have been): either concerns every request, as nothing else was sent yet.
        const entries = await this.fastInsertMany(organizationId, settings, plans);
        for (const [i, entry] of entries) outcomes[i] = { entry };
      }
    }
    const rest = shapes.flatMap((_, i) => (outcomes[i] ? [] : [i]));
    await inParallel(rest, SLOW_BATCH_CONCURRENCY, async (i) => {
      try {
        outcomes[i] = {
          entry: await this.slowInvoice(organizationId, requests[i], shapes[i].problems),
        };
      } catch (err) {
        if (err instanceof AccountingRejection) outcomes[i] = { problems: err.problems };
        else if (err instanceof AccountingTransientError || err instanceof AccountingOutcomeUnknown)
          outcomes[i] = { error: err };
        // Anything else: it may have been written; the caller looks it up by key.
        else
          outcomes[i] = {
            error: new AccountingOutcomeUnknown((err as Error)?.message ?? String(err)),
          };
      }
    });
    return outcomes as InvoicePostingOutcome[];
  }

  /** Learns settings and the VAT codes' treatment when the fast path does not know them yet. */
  private async learnVatCodes(organizationId: string, vatCodes: string[]): Promise<void> {
    const cached = this.cache.get(organizationId);
    const codes = [...new Set(vatCodes)];
    if (cached?.settings && codes.every((c) => cached.vat.has(c))) return;
    const { rows } = await this.db.read((c) =>
      c.query<ContextRow>(CONTEXT_SQL_READ, [
        organizationId,
        null,
        [],
        [],
        codes,
        '',
        '',
        '',
        'INVOICE',
      ]),
    );
    this.remember(organizationId, rows[0], codes);
  }

  private async slowInvoice(
    organizationId: string,
    request: InvoicePostingRequest,
    shapeProblems: AccountingProblem[],
  ): Promise<EntryInfo> {
    this.stats.slowPath++;
    return this.write(organizationId, request.idempotencyKey, ['documentDate'], async () => {
      const outcome = await this.db.transaction(async (c) => {
        const result = await this.analyzeInvoice(c, organizationId, request, shapeProblems, true);
        if ('existingId' in result) return result;
        if (result.problems.length > 0 || !result.entry)
          throw new AccountingRejection(result.problems);
        return this.insertEntry(c, organizationId, result.entry);
      }, this.shared(organizationId));
      return 'existingId' in outcome ? this.mustGet(organizationId, outcome.existingId) : outcome;
    });
  }

  /** Checks needing no database. `fatal` when the request cannot even be looked up. */
  private checkInvoiceShape(
    organizationId: string,
    r: InvoicePostingRequest,
  ): { problems: AccountingProblem[]; fatal: boolean } {
    const problems: AccountingProblem[] = [];
    if (!isUuid(organizationId))
      return { problems: [problem('VALIDATION', 'unknown organization')], fatal: true };
    if (!r || typeof r !== 'object')
      return { problems: [problem('VALIDATION', 'no request')], fatal: true };
    if (!nonEmpty(r.idempotencyKey)) {
      return {
        problems: [problem('VALIDATION', 'an idempotency key is required', ['idempotencyKey'])],
        fatal: true,
      };
    }
    if (!INVOICE_JOURNALS.includes(r.journal)) {
      problems.push(
        problem('VALIDATION', `journal must be ITEM_INVOICES or BATCH_INVOICES`, ['journal']),
      );
    }
    if (!nonEmpty(r.reference))
      problems.push(problem('VALIDATION', 'a reference is required', ['reference']));
    if (!isIsoDate(r.documentDate)) {
      problems.push(
        problem('VALIDATION', `document date must be a date YYYY-MM-DD`, ['documentDate']),
      );
    }
    if (!POLICIES.includes(r.closedPeriodPolicy)) {
      problems.push(problem('VALIDATION', `unknown closed period policy`, ['closedPeriodPolicy']));
    }
    if (typeof r.currency !== 'string' || !CURRENCY_PATTERN.test(r.currency)) {
      problems.push(
        problem('VALIDATION', 'currency must be a three-letter ISO code', ['currency']),
      );
    }
    if (typeof r.grossAmount !== 'string' || !isMoney(r.grossAmount)) {
      problems.push(
        problem('VALIDATION', 'gross amount must be a decimal with at most 2 decimals', [
          'grossAmount',
        ]),
      );
    }
    if (!Array.isArray(r.lines)) {
      return {
        problems: [...problems, problem('VALIDATION', 'lines must be a list', ['lines'])],
        fatal: true,
      };
    }
    r.lines.forEach((line, i) => {
      for (const f of ['netAmount', 'vatAmount'] as const) {
        if (typeof line?.[f] !== 'string' || !isMoney(line[f])) {
          problems.push(
            problem('VALIDATION', `${f} must be a decimal with at most 2 decimals`, [
              'lines',
              String(i),
              f,
            ]),
          );
        }
      }
    });
    return { problems, fatal: false };
  }

  /**
   * Validates against master data, duplicates and the period rule, and plans the entry.
   * Returns the existing entry's id when the idempotency key is already used.
   */
  private async analyzeInvoice(
    c: SqlClient,
    organizationId: string,
    r: InvoicePostingRequest,
    shapeProblems: AccountingProblem[],
    lock: boolean,
  ): Promise<{ existingId: string } | { problems: AccountingProblem[]; entry?: NewEntry }> {
    const lines = r.lines;
    const dateOk = isIsoDate(r.documentDate);
    const codes = (f: (l: InvoicePostingRequest['lines'][number]) => string | null | undefined) => [
      ...new Set(lines.map((l) => f(l)).filter(nonEmpty)),
    ];
    const { rows } = await c.query<ContextRow>(lock ? CONTEXT_SQL_LOCKED : CONTEXT_SQL_READ, [
      organizationId,
      dateOk ? r.documentDate : null,
      codes((l) => l?.accountCode),
      codes((l) => l?.costUnitCode),
      codes((l) => l?.vatCode),
      String(r.supplierAccountName ?? ''),
      r.idempotencyKey,
      String(r.reference ?? ''),
      'INVOICE',
    ]);
    const ctx = rows[0];
    this.remember(
      organizationId,
      ctx,
      codes((l) => l?.vatCode),
    );
    if (ctx.existing_id) return { existingId: ctx.existing_id };

    const problems = [...shapeProblems];
    const accounts = new Map(ctx.accounts.map((a) => [a.code, a]));
    const costUnits = new Map(ctx.cost_units.map((u) => [u.code, u]));
    const vatCodes = new Map(ctx.vat_codes.map((v) => [v.code, v]));
    const amountsOk = !shapeProblems.some(
      (p) => p.field?.[0] === 'lines' || p.field?.[0] === 'grossAmount',
    );

    lines.forEach((line, i) => {
      const at = (f: string) => ['lines', String(i), f];
      const account = nonEmpty(line?.accountCode) ? accounts.get(line.accountCode) : undefined;
      if (!account) {
        problems.push(
          problem(
            'ACCOUNT_NOT_FOUND',
            `account ${line?.accountCode ?? ''} does not exist in the ledger`,
            at('accountCode'),
          ),
        );
      } else if (!account.postable || !account.active) {
        problems.push(
          problem(
            'ACCOUNT_NOT_POSTABLE',
            `account ${account.code} ${account.postable ? 'is inactive' : 'is a header account'} and cannot be posted to`,
            at('accountCode'),
          ),
        );
      }
      if (nonEmpty(line?.costUnitCode)) {
        const unit = costUnits.get(line.costUnitCode);
        if (!unit || !unit.active) {
          problems.push(
            problem(
              'COST_UNIT_INVALID',
              `cost unit ${line.costUnitCode} ${unit ? 'is inactive' : 'does not exist'}`,
              at('costUnitCode'),
            ),
          );
        }
      }
      if (nonEmpty(line?.vatCode)) {
        const vat = vatCodes.get(line.vatCode);
        if (!vat) {
          problems.push(
            problem('VAT_CODE_INVALID', `VAT code ${line.vatCode} does not exist`, at('vatCode')),
          );
        } else if (
          dateOk &&
          ((vat.valid_from && r.documentDate < vat.valid_from) ||
            (vat.valid_to && r.documentDate > vat.valid_to))
        ) {
          problems.push(
            problem(
              'VAT_CODE_INVALID',
              `VAT code ${vat.code} is valid ${vat.valid_from ? `from ${vat.valid_from} ` : ''}${vat.valid_to ? `to ${vat.valid_to} ` : ''}but the document is dated ${r.documentDate}`,
              at('vatCode'),
            ),
          );
        } else if (vat.reverse_charge && amountsOk && !money(line.vatAmount).isZero()) {
          problems.push(
            problem(
              'VALIDATION',
              `VAT code ${vat.code} is reverse charge: the line carries no VAT`,
              at('vatAmount'),
            ),
          );
        }
      } else if (amountsOk && !money(line.vatAmount).isZero()) {
        problems.push(
          problem('VAT_CODE_INVALID', 'a line with VAT needs a VAT code', at('vatCode')),
        );
      }
    });

    if (lines.length === 0) {
      problems.push(problem('UNBALANCED', 'the invoice has no lines', ['lines']));
    } else if (amountsOk) {
      const net = sumMoney(lines.map((l) => l.netAmount));
      const vat = sumMoney(lines.map((l) => l.vatAmount));
      if (!net.plus(vat).equals(money(r.grossAmount))) {
        problems.push(
          problem(
            'UNBALANCED',
            `lines add up to ${formatMoney(net.plus(vat))} (net ${formatMoney(net)} + VAT ${formatMoney(vat)}), not the gross ${formatMoney(r.grossAmount)}`,
            ['grossAmount'],
          ),
        );
      }
    }

    if (!ctx.supplier || !ctx.supplier.active) {
      problems.push(
        problem(
          'SUPPLIER_NOT_IN_LEDGER',
          `supplier account ${r.supplierAccountName ?? ''} ${ctx.supplier ? 'is inactive in' : 'does not exist in'} the ledger`,
          ['supplierAccountName'],
        ),
      );
    }
    if (ctx.duplicate) {
      problems.push(
        problem(
          'DUPLICATE_REFERENCE',
          `supplier ${r.supplierAccountName} already has a live invoice entry with reference ${r.reference} (entry ${ctx.duplicate.id})`,
          ['reference'],
        ),
      );
    }

    let placement: Placement | undefined;
    if (!ctx.settings) {
      problems.push(
        problem('VALIDATION', 'the ledger of this organization is not set up (no settings)'),
      );
    } else if (dateOk && POLICIES.includes(r.closedPeriodPolicy)) {
      const placed = await this.place(
        c,
        organizationId,
        r.documentDate,
        r.closedPeriodPolicy,
        ctx.settings.ap_lock_date,
        ctx.period,
        lock,
        ['documentDate'],
      );
      if ('code' in placed) problems.push(placed);
      else placement = placed;
    }

    if (problems.length > 0 || !placement || !ctx.settings) {
      return { problems };
    }

    const { lines: entryLines, total } = planInvoiceLines(r, ctx.settings, (code) => {
      const v = vatCodes.get(code)!;
      return { rate: v.rate, reverseCharge: v.reverse_charge };
    });
    if (entryLines.length < 2) {
      return {
        problems: [problem('UNBALANCED', 'the invoice has no amounts to post', ['grossAmount'])],
      };
    }
    return {
      problems: [],
      entry: {
        journal: r.journal,
        kind: 'INVOICE',
        reference: r.reference,
        supplierAccountName: r.supplierAccountName,
        idempotencyKey: r.idempotencyKey,
        documentDate: r.documentDate,
        placement,
        description: r.description ?? null,
        currency: r.currency,
        reversesEntryId: null,
        lines: entryLines,
        total,
      },
    };
  }

  // ------------------------------------------------------------------------------- fast path

  /** Learns settings and VAT treatments from a slow-path read, for later fast-path plans. */
  private remember(organizationId: string, ctx: ContextRow, requestedVatCodes: string[]): void {
    let cached = this.cache.get(organizationId);
    if (!cached) {
      if (this.cache.size >= MAX_CACHED_ORGANIZATIONS) this.cache.clear();
      cached = { settings: null, vat: new Map() };
      this.cache.set(organizationId, cached);
    }
    cached.settings = ctx.settings
      ? {
          accounts_payable_account: ctx.settings.accounts_payable_account,
          vat_receivable_account: ctx.settings.vat_receivable_account,
          vat_payable_account: ctx.settings.vat_payable_account,
          bank_account: ctx.settings.bank_account,
        }
      : null;
    const found = new Map(ctx.vat_codes.map((v) => [v.code, v]));
    for (const code of requestedVatCodes) {
      const v = found.get(code);
      if (v) cached.vat.set(code, { rate: v.rate, reverseCharge: v.reverse_charge });
      else cached.vat.delete(code);
    }
  }

  /**
   * Plans the invoice with what the slow path learnt before and writes it in one statement.
   * Null when the invoice is not plainly postable (then the slow path decides and explains).
   */
  private async fastInvoice(
    organizationId: string,
    r: InvoicePostingRequest,
  ): Promise<EntryInfo | null> {
    const plan = this.planFastInvoice(organizationId, r);
    const settings = this.cache.get(organizationId)?.settings;
    return plan && settings ? this.fastInsert(organizationId, settings, plan) : null;
  }

  /** The fast path's plan of an invoice, or null when it is not plainly postable. */
  private planFastInvoice(organizationId: string, r: InvoicePostingRequest): FastPlan | null {
    const cached = this.cache.get(organizationId);
    if (!cached?.settings || r.lines.length === 0) return null;
    const vat = new Map<string, VatTreatment>();
    let net = new Decimal(0);
    let tax = new Decimal(0);
    for (const l of r.lines) {
      if (!nonEmpty(l.accountCode)) return null;
      const vatAmount = money(l.vatAmount);
      if (nonEmpty(l.vatCode)) {
        const treatment = cached.vat.get(l.vatCode);
        if (!treatment || (treatment.reverseCharge && !vatAmount.isZero())) return null;
        vat.set(l.vatCode, treatment);
      } else if (!vatAmount.isZero()) {
        return null;
      }
      net = net.plus(l.netAmount);
      tax = tax.plus(vatAmount);
    }
    if (!net.plus(tax).equals(money(r.grossAmount))) return null;
    const { lines, total } = planInvoiceLines(r, cached.settings, (code) => vat.get(code)!);
    if (lines.length < 2) return null;
    return {
      journal: r.journal,
      kind: 'INVOICE',
      reference: r.reference,
      supplierAccountName: r.supplierAccountName,
      idempotencyKey: r.idempotencyKey,
      documentDate: r.documentDate,
      description: r.description ?? null,
      currency: r.currency,
      lines,
      total,
      accountCodes: [...new Set(r.lines.map((l) => l.accountCode))],
      costUnitCodes: [...new Set(r.lines.map((l) => l.costUnitCode).filter(nonEmpty))],
      vat,
    };
  }

  /** Inserts the planned invoices in one statement; the entries written, by request index. */
  private async fastInsertMany(
    organizationId: string,
    settings: LedgerAccounts,
    plans: Map<number, FastPlan>,
  ): Promise<Map<number, EntryInfo>> {
    const items = [...plans].map(([i, n]) => ({ i, n, id: randomUUID() }));
    const accounts = items.flatMap(({ i, n }) => n.accountCodes.map((code) => ({ i, code })));
    const units = items.flatMap(({ i, n }) => n.costUnitCodes.map((code) => ({ i, code })));
    const vats = items.flatMap(({ i, n }) => [...n.vat].map(([code, t]) => ({ i, code, ...t })));
    const lines = items.flatMap(({ n, id }) => n.lines.map((l) => ({ id, l })));
    let rows: (PeriodRow & { i: number; created_at: string })[];
    try {
      rows = (
        await this.db.autocommit((c) =>
          c.query<PeriodRow & { i: number; created_at: string }>(FAST_INSERT_MANY_SQL, [
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
        )
      ).rows;
    } catch (err) {
      if (err instanceof AccountingOutcomeUnknown || err instanceof AccountingTransientError)
        throw err;
      // A race the checks could not see failed the whole statement: nothing was written, and
      // the slow path sorts each request out under locks.
      this.stats.fastPathErrors++;
      this.stats.lastFastPathError = (err as Error).message;
      return new Map();
    }
    const byIndex = new Map(items.map((x) => [x.i, x]));
    const written = new Map<number, EntryInfo>();
    for (const row of rows) {
      const { n, id } = byIndex.get(Number(row.i))!;
      written.set(Number(row.i), this.fastEntry(id, n, row));
    }
    this.stats.fastPath += written.size;
    return written;
  }

  private fastEntry(id: string, n: FastPlan, row: PeriodRow & { created_at: string }): EntryInfo {
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

  private async fastInsert(
    organizationId: string,
    settings: LedgerAccounts,
    n: FastPlan,
  ): Promise<EntryInfo | null> {
    const id = randomUUID();
    const vatCodes = [...n.vat.keys()];
    let row: (PeriodRow & { created_at: string }) | undefined;
    try {
      const result = await this.db.autocommit((c) =>
        c.query<PeriodRow & { created_at: string }>(FAST_INSERT_SQL, [
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
      row = result.rows[0];
    } catch (err) {
      if (err instanceof AccountingOutcomeUnknown || err instanceof AccountingTransientError)
        throw err;
      // A race the checks could not see (a period closed, a concurrent same key or reference):
      // the slow path sorts it out under locks.
      this.stats.fastPathErrors++;
      this.stats.lastFastPathError = (err as Error).message;
      return null;
    }
    if (!row) return null;
    this.stats.fastPath++;
    return this.fastEntry(id, n, row);
  }

  // ------------------------------------------------------------------------------- payments

  async postPayment(organizationId: string, r: PaymentPostingRequest): Promise<EntryInfo> {
    const problems: AccountingProblem[] = [];
    if (!isUuid(organizationId))
      throw new AccountingRejection([problem('VALIDATION', 'unknown organization')]);
    if (!r || !nonEmpty(r.idempotencyKey)) {
      throw new AccountingRejection([
        problem('VALIDATION', 'an idempotency key is required', ['idempotencyKey']),
      ]);
    }
    if (!nonEmpty(r.reference))
      problems.push(problem('VALIDATION', 'a reference is required', ['reference']));
    const dateOk = isIsoDate(r.documentDate);
    if (!dateOk)
      problems.push(
        problem('VALIDATION', 'document date must be a date YYYY-MM-DD', ['documentDate']),
      );
    if (!POLICIES.includes(r.closedPeriodPolicy)) {
      problems.push(problem('VALIDATION', 'unknown closed period policy', ['closedPeriodPolicy']));
    }
    if (typeof r.currency !== 'string' || !CURRENCY_PATTERN.test(r.currency)) {
      problems.push(
        problem('VALIDATION', 'currency must be a three-letter ISO code', ['currency']),
      );
    }
    const amountOk = typeof r.amount === 'string' && isMoney(r.amount);
    if (!amountOk)
      problems.push(
        problem('VALIDATION', 'amount must be a decimal with at most 2 decimals', ['amount']),
      );
    else if (money(r.amount).isZero())
      problems.push(problem('VALIDATION', 'a payment of zero cannot be posted', ['amount']));

    const cached = this.cache.get(organizationId)?.settings;
    if (problems.length === 0 && cached && nonEmpty(r.supplierAccountName)) {
      const amount = money(r.amount);
      const { lines, total } = toEntryLines([
        {
          accountCode: cached.accounts_payable_account,
          costUnitCode: null,
          vatCode: null,
          amount,
          description: r.description ?? null,
        },
        {
          accountCode: cached.bank_account,
          costUnitCode: null,
          vatCode: null,
          amount: amount.negated(),
          description: r.description ?? null,
        },
      ]);
      const fast = await this.fastInsert(organizationId, cached, {
        journal: 'PAYMENTS',
        kind: 'PAYMENT',
        reference: r.reference,
        supplierAccountName: r.supplierAccountName,
        idempotencyKey: r.idempotencyKey,
        documentDate: r.documentDate,
        description: r.description ?? null,
        currency: r.currency,
        lines,
        total,
        accountCodes: [],
        costUnitCodes: [],
        vat: new Map(),
      });
      if (fast) return fast;
    }
    this.stats.slowPath++;

    return this.write(organizationId, r.idempotencyKey, ['documentDate'], async () => {
      const outcome = await this.db.transaction(
        async (c): Promise<EntryInfo | { existingId: string }> => {
          const { rows } = await c.query<ContextRow>(CONTEXT_SQL_LOCKED, [
            organizationId,
            dateOk ? r.documentDate : null,
            [],
            [],
            [],
            String(r.supplierAccountName ?? ''),
            r.idempotencyKey,
            String(r.reference ?? ''),
            'PAYMENT',
          ]);
          const ctx = rows[0];
          this.remember(organizationId, ctx, []);
          if (ctx.existing_id) return { existingId: ctx.existing_id };
          const all = [...problems];
          if (!ctx.supplier || !ctx.supplier.active) {
            all.push(
              problem(
                'SUPPLIER_NOT_IN_LEDGER',
                `supplier account ${r.supplierAccountName ?? ''} ${ctx.supplier ? 'is inactive in' : 'does not exist in'} the ledger`,
                ['supplierAccountName'],
              ),
            );
          }
          if (ctx.duplicate) {
            all.push(
              problem(
                'DUPLICATE_REFERENCE',
                `supplier ${r.supplierAccountName} already has a live payment entry with reference ${r.reference} (entry ${ctx.duplicate.id})`,
                ['reference'],
              ),
            );
          }
          let placement: Placement | undefined;
          if (!ctx.settings)
            all.push(
              problem('VALIDATION', 'the ledger of this organization is not set up (no settings)'),
            );
          else if (dateOk && POLICIES.includes(r.closedPeriodPolicy)) {
            const placed = await this.place(
              c,
              organizationId,
              r.documentDate,
              r.closedPeriodPolicy,
              ctx.settings.ap_lock_date,
              ctx.period,
              true,
              ['documentDate'],
            );
            if ('code' in placed) all.push(placed);
            else placement = placed;
          }
          if (all.length > 0 || !placement || !ctx.settings) throw new AccountingRejection(all);
          const amount = money(r.amount);
          const { lines, total } = toEntryLines([
            {
              accountCode: ctx.settings.accounts_payable_account,
              costUnitCode: null,
              vatCode: null,
              amount,
              description: r.description ?? null,
            },
            {
              accountCode: ctx.settings.bank_account,
              costUnitCode: null,
              vatCode: null,
              amount: amount.negated(),
              description: r.description ?? null,
            },
          ]);
          return this.insertEntry(c, organizationId, {
            journal: 'PAYMENTS',
            kind: 'PAYMENT',
            reference: r.reference,
            supplierAccountName: r.supplierAccountName,
            idempotencyKey: r.idempotencyKey,
            documentDate: r.documentDate,
            placement,
            description: r.description ?? null,
            currency: r.currency,
            reversesEntryId: null,
            lines,
            total,
          });
        },
        this.shared(organizationId),
      );
      return 'existingId' in outcome ? this.mustGet(organizationId, outcome.existingId) : outcome;
    });
  }

  // ------------------------------------------------------------------------------- reversals

  async reverse(organizationId: string, r: ReversalRequest): Promise<EntryInfo> {
    if (!isUuid(organizationId))
      throw new AccountingRejection([problem('VALIDATION', 'unknown organization')]);
    if (!r || !nonEmpty(r.idempotencyKey)) {
      throw new AccountingRejection([
        problem('VALIDATION', 'an idempotency key is required', ['idempotencyKey']),
      ]);
    }
    const problems: AccountingProblem[] = [];
    const dateOk = isIsoDate(r.documentDate);
    if (!dateOk)
      problems.push(
        problem('VALIDATION', 'document date must be a date YYYY-MM-DD', ['documentDate']),
      );
    if (!POLICIES.includes(r.closedPeriodPolicy)) {
      problems.push(problem('VALIDATION', 'unknown closed period policy', ['closedPeriodPolicy']));
    }
    return this.write(organizationId, r.idempotencyKey, ['documentDate'], async () => {
      const outcome = await this.db.transaction(
        async (c): Promise<EntryInfo | { existingId: string }> => {
          // Lock the original first: a concurrent reversal of it waits here, then sees the result.
          const original = isUuid(r.entryId)
            ? (
                await c.query<EntryRow>(
                  `select e.id, e.journal, e.kind, e.reference, e.supplier_account_name, e.currency,
                   e.total::text as total, e.reversed_by_entry_id
                 from ledger.entry e where e.organization_id = $1 and e.id = $2 for update`,
                  [organizationId, r.entryId],
                )
              ).rows[0]
            : undefined;
          const { rows } = await c.query<ContextRow>(CONTEXT_SQL_LOCKED, [
            organizationId,
            dateOk ? r.documentDate : null,
            [],
            [],
            [],
            original?.supplier_account_name ?? '',
            r.idempotencyKey,
            original?.reference ?? '',
            'REVERSAL',
          ]);
          const ctx = rows[0];
          if (ctx.existing_id) return { existingId: ctx.existing_id };
          if (!original)
            throw new AccountingRejection([
              problem('ENTRY_NOT_FOUND', `ledger entry ${r.entryId} not found`, ['entryId']),
            ]);
          const all = [...problems];
          if (original.reversed_by_entry_id) {
            all.push(
              problem(
                'VALIDATION',
                `entry ${original.id} is already reversed by entry ${original.reversed_by_entry_id}`,
                ['entryId'],
              ),
            );
          } else if (original.kind === 'REVERSAL') {
            all.push(
              problem(
                'VALIDATION',
                `entry ${original.id} is itself a reversal and cannot be reversed`,
                ['entryId'],
              ),
            );
          }
          let placement: Placement | undefined;
          if (!ctx.settings)
            all.push(
              problem('VALIDATION', 'the ledger of this organization is not set up (no settings)'),
            );
          else if (dateOk && POLICIES.includes(r.closedPeriodPolicy)) {
            const placed = await this.place(
              c,
              organizationId,
              r.documentDate,
              r.closedPeriodPolicy,
              ctx.settings.ap_lock_date,
              ctx.period,
              true,
              ['documentDate'],
            );
            if ('code' in placed) all.push(placed);
            else placement = placed;
          }
          if (all.length > 0 || !placement) throw new AccountingRejection(all);
          const lines = await c.query<LineRow>(LINES_SQL, [organizationId, [original.id]]);
          const mirrored: EntryLineInfo[] = lines.rows.map((l) => ({
            ...toLine(l),
            debit: l.credit,
            credit: l.debit,
          }));
          const reversal = await this.insertEntry(c, organizationId, {
            journal: original.journal,
            kind: 'REVERSAL',
            reference: original.reference,
            supplierAccountName: original.supplier_account_name,
            idempotencyKey: r.idempotencyKey,
            documentDate: r.documentDate,
            placement,
            description: r.description ?? null,
            currency: original.currency,
            reversesEntryId: original.id,
            lines: mirrored,
            total: original.total,
          });
          await c.query(
            `update ledger.entry set reversed_by_entry_id = $3 where organization_id = $1 and id = $2`,
            [organizationId, original.id, reversal.id],
          );
          return reversal;
        },
        this.shared(organizationId),
      );
      return 'existingId' in outcome ? this.mustGet(organizationId, outcome.existingId) : outcome;
    });
  }

  // ------------------------------------------------------------------------------- writing

  private async insertEntry(c: SqlClient, organizationId: string, n: NewEntry): Promise<EntryInfo> {
    const id = randomUUID();
    const { rows } = await c.query<{ created_at: string }>(INSERT_ENTRY_SQL, [
      id,
      organizationId,
      n.journal,
      n.kind,
      n.reference,
      n.supplierAccountName,
      n.idempotencyKey,
      n.documentDate,
      n.placement.postingDate,
      n.placement.period.id,
      n.description,
      n.currency,
      n.total,
      n.reversesEntryId,
      n.lines.map((l) => l.lineNo),
      n.lines.map((l) => l.accountCode),
      n.lines.map((l) => l.costUnitCode),
      n.lines.map((l) => l.vatCode),
      n.lines.map((l) => l.debit),
      n.lines.map((l) => l.credit),
      n.lines.map((l) => l.description),
    ]);
    return {
      id,
      journal: n.journal,
      kind: n.kind,
      reference: n.reference,
      supplierAccountName: n.supplierAccountName,
      idempotencyKey: n.idempotencyKey,
      documentDate: n.documentDate,
      postingDate: n.placement.postingDate,
      period: n.placement.period,
      currency: n.currency,
      total: n.total,
      description: n.description,
      reversesEntryId: n.reversesEntryId,
      reversedByEntryId: null,
      createdAt: new Date(rows[0].created_at),
      lines: n.lines,
    };
  }

  /**
   * Runs a write and maps the database's own refusals: a unique violation by a concurrent
   * posting with the same key returns that posting's entry; trigger and constraint failures
   * become AccountingRejection with the matching code.
   */
  private async write(
    organizationId: string,
    key: string,
    dateField: string[],
    fn: () => Promise<EntryInfo>,
  ): Promise<EntryInfo> {
    try {
      return await fn();
    } catch (err) {
      const e = err as PgError;
      if (e?.code === '23505') {
        const existing = await this.findByIdempotencyKey(organizationId, key);
        if (existing) return existing;
      }
      const p = problemFromDbError(err, dateField);
      if (p) throw new AccountingRejection([p]);
      throw err;
    }
  }

  private shared(organizationId: string): OrganizationLock {
    return { organizationId, mode: 'shared' };
  }

  private async mustGet(organizationId: string, entryId: string): Promise<EntryInfo> {
    const entry = await this.getEntry(organizationId, entryId);
    if (!entry)
      throw new AccountingRejection([
        problem('ENTRY_NOT_FOUND', `ledger entry ${entryId} not found`),
      ]);
    return entry;
  }

  // ------------------------------------------------------------------------------- admin

  async moveEntryToPeriod(
    organizationId: string,
    entryId: string,
    periodId: string,
  ): Promise<EntryInfo> {
    if (!isUuid(organizationId) || !isUuid(entryId)) {
      throw new AccountingRejection([
        problem('ENTRY_NOT_FOUND', `ledger entry ${entryId} not found`, ['entryId']),
      ]);
    }
    try {
      await this.db.transaction(async (c) => {
        const entry = (
          await c.query<{ document_date: string; posting_date: string; period_id: string }>(
            `select to_char(document_date, 'YYYY-MM-DD') as document_date, to_char(posting_date, 'YYYY-MM-DD') as posting_date,
               period_id from ledger.entry where organization_id = $1 and id = $2 for update`,
            [organizationId, entryId],
          )
        ).rows[0];
        if (!entry)
          throw new AccountingRejection([
            problem('ENTRY_NOT_FOUND', `ledger entry ${entryId} not found`, ['entryId']),
          ]);
        const { rows } = await c.query<{
          settings: SettingsRow | null;
          current: PeriodRow;
          target: PeriodRow | null;
        }>(
          `with s as (select ${SETTINGS_COLUMNS} from ledger.settings where organization_id = $1 for share),
           cur as (select ${PERIOD_COLUMNS} from ledger.period where organization_id = $1 and id = $2 for share),
           tgt as (select ${PERIOD_COLUMNS} from ledger.period where organization_id = $1 and id = $3 for share)
           select (select row_to_json(s) from s) as settings, (select row_to_json(cur) from cur) as current,
             (select row_to_json(tgt) from tgt) as target`,
          [organizationId, entry.period_id, isUuid(periodId) ? periodId : null],
        );
        const { settings, current, target } = rows[0];
        const lockDate = settings?.ap_lock_date ?? null;
        if (!target)
          throw new AccountingRejection([
            problem('VALIDATION', `accounting period ${periodId} not found`, ['periodId']),
          ]);
        const problems: AccountingProblem[] = [];
        if (current.status !== 'OPEN') {
          problems.push(
            problem(
              'PERIOD_LOCKED',
              `the entry is in closed period ${current.name} and cannot be moved out of it`,
              ['entryId'],
            ),
          );
        } else if (lockDate !== null && entry.posting_date <= lockDate) {
          problems.push(
            problem(
              'PERIOD_LOCKED',
              `the entry is posted on ${entry.posting_date}, on or before the lock date ${lockDate}`,
              ['entryId'],
            ),
          );
        }
        let postingDate =
          entry.document_date >= target.start_date && entry.document_date <= target.end_date
            ? entry.document_date
            : target.start_date;
        if (target.status !== 'OPEN') {
          problems.push(problem('PERIOD_LOCKED', `period ${target.name} is closed`, ['periodId']));
        } else if (lockDate !== null && postingDate <= lockDate) {
          if (lockDate >= target.end_date) {
            problems.push(
              problem(
                'PERIOD_LOCKED',
                `period ${target.name} ends on or before the lock date ${lockDate}`,
                ['periodId'],
              ),
            );
          } else {
            postingDate = addDays(lockDate, 1);
          }
        }
        if (problems.length > 0) throw new AccountingRejection(problems);
        await c.query(
          `update ledger.entry set period_id = $3, posting_date = $4 where organization_id = $1 and id = $2`,
          [organizationId, entryId, target.id, postingDate],
        );
      }, this.shared(organizationId));
    } catch (err) {
      const p = problemFromDbError(err, ['periodId']);
      if (p) throw new AccountingRejection([p]);
      throw err;
    }
    return this.mustGet(organizationId, entryId);
  }

  async setLockDate(organizationId: string, lockDate: string | null): Promise<LedgerSettingsInfo> {
    if (lockDate !== null && !isIsoDate(lockDate)) {
      throw new AccountingRejection([
        problem('VALIDATION', 'lock date must be a date YYYY-MM-DD or null', ['lockDate']),
      ]);
    }
    const row = isUuid(organizationId)
      ? (
          await this.db.transaction(
            (c) =>
              c.query<SettingsRow>(
                `update ledger.settings set ap_lock_date = $2 where organization_id = $1 returning ${SETTINGS_COLUMNS}`,
                [organizationId, lockDate],
              ),
            { organizationId, mode: 'exclusive' },
          )
        ).rows[0]
      : undefined;
    if (!row)
      throw new AccountingRejection([
        problem('VALIDATION', 'the ledger of this organization is not set up'),
      ]);
    return toSettings(row);
  }

  async closePeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return this.setPeriodStatus(organizationId, periodId, 'CLOSED');
  }

  async reopenPeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return this.setPeriodStatus(organizationId, periodId, 'OPEN');
  }

  private async setPeriodStatus(
    organizationId: string,
    periodId: string,
    status: PeriodStatusName,
  ): Promise<PeriodInfo> {
    const row =
      isUuid(organizationId) && isUuid(periodId)
        ? (
            await this.db.transaction(
              (c) =>
                c.query<PeriodRow>(
                  `update ledger.period set status = $3,
                   closed_at = case when $3 = 'CLOSED' then coalesce(closed_at, now()) else null end
                 where organization_id = $1 and id = $2 returning ${PERIOD_COLUMNS}`,
                  [organizationId, periodId, status],
                ),
              { organizationId, mode: 'exclusive' },
            )
          ).rows[0]
        : undefined;
    if (!row)
      throw new AccountingRejection([
        problem('VALIDATION', `accounting period ${periodId} not found`, ['periodId']),
      ]);
    return toPeriod(row);
  }
}
