/**
 * The ledger's rows as its SQL returns them, the column lists that produce them, and their
 * translation into the port's shapes. Also the two value tests every request check starts with.
 */
import type {
  EntryInfo,
  EntryKindName,
  EntryLineInfo,
  JournalName,
  LedgerSettingsInfo,
  PeriodInfo,
  PeriodStatusName,
} from '../accounting-system.js';
import { prepared } from './ledger-db.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

export function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

export const PERIOD_COLUMNS = `id, fiscal_year, name, to_char(start_date, 'YYYY-MM-DD') as start_date,
  to_char(end_date, 'YYYY-MM-DD') as end_date, status`;

export const SETTINGS_COLUMNS = `to_char(ap_lock_date, 'YYYY-MM-DD') as ap_lock_date, accounts_payable_account,
  vat_receivable_account, vat_payable_account, bank_account`;

export const ENTRY_SELECT = `select e.id, e.journal, e.kind, e.reference, e.supplier_account_name, e.idempotency_key,
  to_char(e.document_date, 'YYYY-MM-DD') as document_date, to_char(e.posting_date, 'YYYY-MM-DD') as posting_date,
  e.description, e.currency, e.total::text as total, e.reverses_entry_id, e.reversed_by_entry_id,
  to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
  p.id as p_id, p.fiscal_year as p_fiscal_year, p.name as p_name,
  to_char(p.start_date, 'YYYY-MM-DD') as p_start_date, to_char(p.end_date, 'YYYY-MM-DD') as p_end_date,
  p.status as p_status
from ledger.entry e join ledger.period p on p.id = e.period_id`;

/** The lines of the entries $2 (of organization $1), in entry and line order. */
export const LINES_SQL =
  prepared(`select entry_id, line_no, account_code, cost_unit_code, vat_code, debit::text as debit,
  credit::text as credit, description
from ledger.entry_line where organization_id = $1 and entry_id = any($2::uuid[])
order by entry_id, line_no`);

export interface PeriodRow {
  id: string;
  fiscal_year: number;
  name: string;
  start_date: string;
  end_date: string;
  status: PeriodStatusName;
}

/** The settings accounts a posting books against (what the fast path plans with). */
export interface LedgerAccounts {
  accounts_payable_account: string;
  vat_receivable_account: string;
  vat_payable_account: string;
  bank_account: string;
}

export interface SettingsRow extends LedgerAccounts {
  ap_lock_date: string | null;
}

export interface EntryRow {
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

export interface LineRow {
  entry_id: string;
  line_no: number;
  account_code: string;
  cost_unit_code: string | null;
  vat_code: string | null;
  debit: string;
  credit: string;
  description: string | null;
}

export function toPeriod(row: PeriodRow): PeriodInfo {
  return {
    id: row.id,
    fiscalYear: Number(row.fiscal_year),
    name: row.name,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
  };
}

export function toSettings(row: SettingsRow): LedgerSettingsInfo {
  return {
    apLockDate: row.ap_lock_date,
    accountsPayableAccount: row.accounts_payable_account,
    vatReceivableAccount: row.vat_receivable_account,
    vatPayableAccount: row.vat_payable_account,
    bankAccount: row.bank_account,
  };
}

export function toLine(row: LineRow): EntryLineInfo {
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

export function toEntry(row: EntryRow, lines: EntryLineInfo[]): EntryInfo {
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
