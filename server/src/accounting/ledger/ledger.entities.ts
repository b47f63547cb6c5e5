/**
 * The built-in double-entry ledger, in PostgreSQL schema `ledger`. It stands in for an external
 * accounting system, so it keys its rows by organization id without foreign keys into the
 * application's tables; the rest of Ledgerlink reaches it only through `AccountingSystem`.
 * Balance, lock date and closed periods are enforced by triggers (see the migration).
 */
import { randomUUID } from 'node:crypto';
import {
  Check,
  Entity,
  Enum,
  Index,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
  type Opt,
} from '@mikro-orm/core';
import { moneyColumn } from '../../common/money.js';
import { EntryKind, Journal, PeriodStatus } from '../accounting.enums.js';

export enum AccountType {
  ASSET = 'ASSET',
  LIABILITY = 'LIABILITY',
  EQUITY = 'EQUITY',
  REVENUE = 'REVENUE',
  EXPENSE = 'EXPENSE',
}

@Entity({ tableName: 'account', schema: 'ledger' })
export class LedgerAccount {
  @PrimaryKey({ type: 'uuid' })
  organizationId!: string;

  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => AccountType })
  type!: AccountType;

  /** Header accounts group others and cannot be posted to. */
  @Property({ type: 'boolean' })
  postable: Opt<boolean> = true;

  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;
}

@Entity({ tableName: 'cost_unit', schema: 'ledger' })
export class LedgerCostUnit {
  @PrimaryKey({ type: 'uuid' })
  organizationId!: string;

  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;
}

@Entity({ tableName: 'vat_code', schema: 'ledger' })
export class LedgerVatCode {
  @PrimaryKey({ type: 'uuid' })
  organizationId!: string;

  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Percent, e.g. 25.50. */
  @Property({ type: 'decimal', precision: 5, scale: 2 })
  rate!: string;

  /** EU reverse charge: VAT is both receivable and payable, the supplier bills none. */
  @Property({ type: 'boolean' })
  reverseCharge: Opt<boolean> = false;

  /** The code is valid for bill dates from validFrom to validTo, both inclusive. */
  @Property({ type: 'date', nullable: true })
  validFrom?: string | null;

  @Property({ type: 'date', nullable: true })
  validTo?: string | null;
}

@Entity({ tableName: 'supplier_account', schema: 'ledger' })
export class LedgerSupplierAccount {
  @PrimaryKey({ type: 'uuid' })
  organizationId!: string;

  /** "Account Name": how the supplier is known in the ledger. */
  @PrimaryKey({ type: 'text' })
  accountName!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  businessId?: string | null;

  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;
}

@Entity({ tableName: 'settings', schema: 'ledger' })
export class LedgerSettings {
  @PrimaryKey({ type: 'uuid' })
  organizationId!: string;

  /** Accounts-payable lock date: nothing may be posted on or before it. */
  @Property({ type: 'date', nullable: true })
  apLockDate?: string | null;

  @Property({ type: 'text' })
  accountsPayableAccount!: string;

  @Property({ type: 'text' })
  vatReceivableAccount!: string;

  /** For reverse-charge VAT, the payable side. */
  @Property({ type: 'text' })
  vatPayableAccount!: string;

  @Property({ type: 'text' })
  bankAccount!: string;

  /** First month of the fiscal year (1 = January). */
  @Property({ type: 'integer' })
  fiscalYearStartMonth: Opt<number> = 1;
}

@Entity({ tableName: 'period', schema: 'ledger' })
@Unique({ properties: ['organizationId', 'startDate'] })
@Index({ properties: ['organizationId', 'fiscalYear'] })
@Check({ name: 'period_dates_check', expression: 'end_date >= start_date' })
export class LedgerPeriod {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  organizationId!: string;

  @Property({ type: 'integer' })
  fiscalYear!: number;

  /** e.g. "2026-03". */
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'date' })
  endDate!: string;

  @Enum({ items: () => PeriodStatus })
  status: Opt<PeriodStatus> = PeriodStatus.OPEN;

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;
}

@Entity({ tableName: 'entry', schema: 'ledger' })
@Unique({ properties: ['organizationId', 'idempotencyKey'] })
@Index({ properties: ['organizationId', 'journal', 'reference'] })
@Index({ properties: ['organizationId', 'postingDate'] })
// The entry list's keyset order (newest first).
@Index({ properties: ['organizationId', 'createdAt', 'id'] })
@Index({
  name: 'entry_supplier_reference_unique',
  expression:
    'create unique index "entry_supplier_reference_unique" on "ledger"."entry" ("organization_id", "supplier_account_name", "reference", "kind") where "kind" <> \'REVERSAL\' and "reversed_by_entry_id" is null',
})
export class LedgerEntry {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  organizationId!: string;

  @Enum({ items: () => Journal })
  journal!: Journal;

  @Enum({ items: () => EntryKind })
  kind!: EntryKind;

  /** Supplier's invoice number (for payments: the payment's own reference). */
  @Property({ type: 'text' })
  reference!: string;

  @Property({ type: 'text' })
  supplierAccountName!: string;

  /** The caller's key (Ledgerlink uses the transfer id): a repeat is refused by the database. */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  /** The source document's date (bill date / payment date). */
  @Property({ type: 'date' })
  documentDate!: string;

  @Property({ type: 'date' })
  postingDate!: string;

  @ManyToOne({ entity: () => LedgerPeriod, deleteRule: 'restrict' })
  period!: LedgerPeriod;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'text' })
  currency!: string;

  /** Sum of debits (= sum of credits). */
  @Property(moneyColumn())
  total!: string;

  @Property({ type: 'uuid', nullable: true })
  reversesEntryId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  reversedByEntryId?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}

@Entity({ tableName: 'entry_line', schema: 'ledger' })
@Index({ properties: ['organizationId', 'entry'] })
@Index({ properties: ['organizationId', 'accountCode'] })
@Check({
  name: 'entry_line_one_side_check',
  expression: '(debit >= 0 and credit >= 0) and (debit = 0) <> (credit = 0)',
})
export class LedgerEntryLine {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  organizationId!: string;

  @ManyToOne({ entity: () => LedgerEntry, deleteRule: 'restrict' })
  entry!: LedgerEntry;

  @Property({ type: 'integer' })
  lineNo!: number;

  @Property({ type: 'text' })
  accountCode!: string;

  @Property({ type: 'text', nullable: true })
  costUnitCode?: string | null;

  @Property({ type: 'text', nullable: true })
  vatCode?: string | null;

  @Property(moneyColumn())
  debit!: string;

  @Property(moneyColumn())
  credit!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;
}

export const LEDGER_ENTITIES = [
  LedgerAccount,
  LedgerCostUnit,
  LedgerVatCode,
  LedgerSupplierAccount,
  LedgerSettings,
  LedgerPeriod,
  LedgerEntry,
  LedgerEntryLine,
];
