import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';
import { moneyColumn } from '../../common/money.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { User } from '../users/user.entity.js';

/** An account of the organization at a bank; statements are imported only for these. */
@Entity({ tableName: 'bank_account' })
@Unique({ properties: ['organization', 'identifier'] })
export class BankAccount extends TenantEntity {
  /** The IBAN (compact, upper case), or the bank's own account id where there is no IBAN. */
  @Property({ type: 'text' })
  identifier!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  name!: string;
}

export enum BankStatementKind {
  /** camt.053: end-of-day statement with balances. */
  STATEMENT = 'STATEMENT',
  /** camt.054: debit/credit notification, no balances. */
  NOTIFICATION = 'NOTIFICATION',
}

@Entity({ tableName: 'bank_statement' })
@Unique({ properties: ['organization', 'account', 'statementId'] })
@Index({ properties: ['organization', 'toDate', 'id'] })
export class BankStatement extends TenantEntity {
  @ManyToOne({ entity: () => BankAccount, deleteRule: 'restrict' })
  account!: BankAccount;

  @Enum({ items: () => BankStatementKind })
  kind!: BankStatementKind;

  /** Namespace version, e.g. camt.053.001.02. */
  @Property({ type: 'text' })
  camtVersion!: string;

  @Property({ type: 'text', nullable: true })
  messageId?: string | null;

  /** The bank's statement (or notification) id. */
  @Property({ type: 'text' })
  statementId!: string;

  @Property({ type: 'text', nullable: true })
  electronicSequence?: string | null;

  @Property({ type: 'text', nullable: true })
  legalSequence?: string | null;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'date', nullable: true })
  fromDate?: string | null;

  /** The last day the statement covers (its period end, or its latest booking). */
  @Property({ type: 'date', nullable: true })
  toDate?: string | null;

  @Property({ ...moneyColumn(), nullable: true })
  openingBalance?: string | null;

  @Property({ ...moneyColumn(), nullable: true })
  closingBalance?: string | null;

  /** Sum of the booked entries in the file (including entries already imported before). */
  @Property(moneyColumn())
  entriesTotal!: string;

  /** Set when opening balance + entries ≠ closing balance. */
  @Property({ type: 'text', nullable: true })
  balanceWarning?: string | null;

  /** sha256 of the imported document. */
  @Property({ type: 'text' })
  checksum!: string;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  importedBy?: User | null;

  /** API client name when imported with a token; "CLI" from the command line. */
  @Property({ type: 'text', nullable: true })
  importedVia?: string | null;
}

export enum BankEntryMatchState {
  MATCHED = 'MATCHED',
  QUEUED = 'QUEUED',
  IGNORED = 'IGNORED',
  /** Incoming money, reversals: nothing to match against purchase invoices. */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

export enum BankEntryDirection {
  /** Money out. */
  DEBIT = 'DEBIT',
  /** Money in. */
  CREDIT = 'CREDIT',
}

/** One transaction of an entry (a batch entry has several), as stored for matching and display. */
export interface BankEntryTransaction {
  amount: string | null;
  reference: string | null;
  documentNumbers: string[];
  remittanceText: string | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  endToEndId: string | null;
}

/** A candidate invoice for a queued entry, with why it was suggested. */
export interface BankEntrySuggestion {
  invoiceId: string;
  amount: string;
  reason: string;
}

@Entity({ tableName: 'bank_statement_entry' })
@Unique({ properties: ['organization', 'account', 'entryKey'] })
@Index({ properties: ['organization', 'statement', 'position'] })
@Index({ properties: ['organization', 'matchState', 'bookingDate', 'id'] })
export class BankStatementEntry extends TenantEntity {
  @ManyToOne({ entity: () => BankStatement, deleteRule: 'cascade' })
  statement!: BankStatement;

  @ManyToOne({ entity: () => BankAccount, deleteRule: 'restrict' })
  account!: BankAccount;

  @Property({ type: 'integer' })
  position!: number;

  /** The bank's AcctSvcrRef (with an ordinal when a file repeats it), else a content hash: what makes re-imports idempotent. */
  @Property({ type: 'text' })
  entryKey!: string;

  @Property({ type: 'text', nullable: true })
  accountServicerReference?: string | null;

  @Property({ type: 'date', nullable: true })
  bookingDate?: string | null;

  @Property({ type: 'date', nullable: true })
  valueDate?: string | null;

  /** Signed: debits (money out) negative. */
  @Property(moneyColumn())
  amount!: string;

  @Property({ type: 'text' })
  direction!: BankEntryDirection;

  @Property({ type: 'boolean' })
  reversal: Opt<boolean> = false;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text', nullable: true })
  counterpartyName?: string | null;

  @Property({ type: 'text', nullable: true })
  counterpartyIban?: string | null;

  /** The structured creditor reference (RF or Finnish) of the entry's first transaction. */
  @Property({ type: 'text', nullable: true })
  reference?: string | null;

  @Property({ type: 'text', nullable: true })
  remittanceText?: string | null;

  @Property({ type: 'text', nullable: true })
  endToEndId?: string | null;

  @Property({ type: 'jsonb' })
  transactions!: BankEntryTransaction[];

  @Enum({ items: () => BankEntryMatchState })
  matchState!: BankEntryMatchState;

  /** Why the entry is queued (or not applicable), in words. */
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'jsonb' })
  suggestions: Opt<BankEntrySuggestion[]> = [];

  /** Who confirmed, assigned or ignored the entry (null: matched on import). */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  resolvedBy?: User | null;

  @Property({ type: 'text', nullable: true })
  resolvedVia?: string | null;

  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;
}

/** A payment recorded from an entry: a batch entry pays several invoices. */
@Entity({ tableName: 'bank_entry_payment' })
@Unique({ properties: ['organization', 'payment'] })
@Index({ properties: ['organization', 'entry'] })
@Index({ properties: ['organization', 'invoice'] })
export class BankEntryPayment extends TenantEntity {
  @ManyToOne({ entity: () => BankStatementEntry, deleteRule: 'cascade' })
  entry!: BankStatementEntry;

  @ManyToOne({ entity: () => PurchaseInvoice, deleteRule: 'restrict' })
  invoice!: PurchaseInvoice;

  @ManyToOne({ entity: () => Payment, deleteRule: 'restrict' })
  payment!: Payment;

  @Property(moneyColumn())
  amount!: string;
}

export const BANK_STATEMENT_ENTITIES = [
  BankAccount,
  BankStatement,
  BankStatementEntry,
  BankEntryPayment,
];
