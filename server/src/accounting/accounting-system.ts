/**
 * The port through which Ledgerlink reaches an accounting system. The built-in ledger
 * (ledger/) is the default adapter; accountsIQ, Xero or Procountor would be others.
 * Everything here is keyed by organization id: an adapter never sees another tenant's data.
 */
import type { ClosedPeriodPolicy, EntryKind, Journal, PeriodStatus } from './accounting.enums.js';

export { ClosedPeriodPolicy, EntryKind, Journal, PeriodStatus } from './accounting.enums.js';

/** The enums' values as plain string unions, so an adapter may answer with string literals. */
export type JournalName = `${Journal}`;
export type EntryKindName = `${EntryKind}`;
export type PeriodStatusName = `${PeriodStatus}`;

export interface AccountInfo {
  code: string;
  name: string;
  type: string;
  postable: boolean;
  active: boolean;
}
export interface CostUnitInfo {
  code: string;
  name: string;
  active: boolean;
}
export interface VatCodeInfo {
  code: string;
  name: string;
  /** Percent as a decimal string, e.g. "25.50". */
  rate: string;
  reverseCharge: boolean;
  validFrom: string | null;
  validTo: string | null;
}
export interface SupplierAccountInfo {
  accountName: string;
  name: string;
  active: boolean;
}
export interface MasterData {
  accounts: AccountInfo[];
  costUnits: CostUnitInfo[];
  vatCodes: VatCodeInfo[];
  supplierAccounts: SupplierAccountInfo[];
}

export interface PeriodInfo {
  id: string;
  fiscalYear: number;
  name: string;
  startDate: string;
  endDate: string;
  status: PeriodStatusName;
}

export interface LedgerSettingsInfo {
  apLockDate: string | null;
  accountsPayableAccount: string;
  vatReceivableAccount: string;
  vatPayableAccount: string;
  bankAccount: string;
}

/** A coded reason the accounting system refused a document. Codes are DESIGN's transfer codes. */
export interface AccountingProblem {
  code:
    | 'ACCOUNT_NOT_FOUND'
    | 'ACCOUNT_NOT_POSTABLE'
    | 'COST_UNIT_INVALID'
    | 'VAT_CODE_INVALID'
    | 'SUPPLIER_NOT_IN_LEDGER'
    | 'PERIOD_LOCKED'
    | 'UNBALANCED'
    | 'DUPLICATE_REFERENCE'
    | 'ENTRY_NOT_FOUND'
    | 'VALIDATION';
  message: string;
  /** Path into the request, e.g. ["lines", "2", "vatCode"]. */
  field?: string[];
}

export interface InvoicePostingLine {
  accountCode: string;
  costUnitCode: string | null;
  vatCode: string;
  netAmount: string;
  vatAmount: string;
  description: string | null;
}

/** Which purchase document a posting request books. */
export type PostingDocumentKind = 'INVOICE' | 'CREDIT_NOTE';

/**
 * An approved purchase document to book. An invoice: expense + VAT receivable debited against
 * accounts payable credited. A credit note is its mirror: accounts payable debited, expense and VAT
 * credited.
 *
 * Sign convention: every amount carries the document's own sign. An invoice's grossAmount is
 * positive; a credit note's grossAmount is negative and so are, in sum, its lines' net and VAT (a
 * single line may have the other sign, e.g. a re-charged fee on a credit note, as long as the lines
 * add up to the gross). An adapter whose accounting system wants credit notes with positive
 * amounts (accountsIQ's purchase credit notes) negates every amount of a CREDIT_NOTE and posts it
 * as that system's credit-note document; the built-in ledger books the signed amounts as they are
 * (positive = debit), which gives the mirror by itself. A request whose gross sign contradicts its
 * documentKind is refused (VALIDATION).
 */
export interface InvoicePostingRequest {
  /** Ledgerlink sends the transfer id: a repeat with the same key returns the first entry. */
  idempotencyKey: string;
  /**
   * INVOICE or CREDIT_NOTE. The ledger keeps supplier + reference unique per kind, so an invoice
   * and a credit note of one supplier may share a number; look a credit note up by kind CREDIT_NOTE.
   */
  documentKind: PostingDocumentKind;
  journal: 'ITEM_INVOICES' | 'BATCH_INVOICES';
  supplierAccountName: string;
  /** The supplier's invoice number. */
  reference: string;
  /** Bill date; the period rule may move the posting date. */
  documentDate: string;
  closedPeriodPolicy: ClosedPeriodPolicy;
  currency: string;
  grossAmount: string;
  description: string | null;
  lines: InvoicePostingLine[];
}

/**
 * A payment of an invoice: debit accounts payable, credit bank. A refund received on a credit note
 * is a payment with a negative amount: bank debited, accounts payable credited.
 */
export interface PaymentPostingRequest {
  idempotencyKey: string;
  supplierAccountName: string;
  reference: string;
  documentDate: string;
  closedPeriodPolicy: ClosedPeriodPolicy;
  currency: string;
  amount: string;
  description: string | null;
}

export interface ReversalRequest {
  idempotencyKey: string;
  entryId: string;
  /** The date the reversal is booked on (period rule applies); usually today. */
  documentDate: string;
  closedPeriodPolicy: ClosedPeriodPolicy;
  description: string | null;
}

export interface EntryLineInfo {
  lineNo: number;
  accountCode: string;
  costUnitCode: string | null;
  vatCode: string | null;
  debit: string;
  credit: string;
  description: string | null;
}

export interface EntryInfo {
  id: string;
  journal: JournalName;
  kind: EntryKindName;
  reference: string;
  supplierAccountName: string;
  idempotencyKey: string;
  documentDate: string;
  postingDate: string;
  period: PeriodInfo;
  currency: string;
  total: string;
  description: string | null;
  reversesEntryId: string | null;
  reversedByEntryId: string | null;
  createdAt: Date;
  lines: EntryLineInfo[];
  /** The document's own id in an external accounting system (accountsIQ's TransactionID); absent for the built-in ledger. */
  externalId?: string | null;
}

/** The accounting system refused the document; nothing was written. Permanent until fixed. */
export class AccountingRejection extends Error {
  constructor(readonly problems: AccountingProblem[]) {
    super(problems.map((p) => `${p.code}: ${p.message}`).join('; '));
    this.name = 'AccountingRejection';
  }
}

/** A failure before anything was sent (connection refused, 503): safe to retry. */
export class AccountingTransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountingTransientError';
  }
}

/** Sent, but whether it was committed is unknown (timeout, lost answer): look it up before resending. */
export class AccountingOutcomeUnknown extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountingOutcomeUnknown';
  }
}

/**
 * What became of one request of a batch (`postInvoices`): its entry (new, or the one its key
 * already has), the problems it was refused for (nothing written for it), or an error that
 * concerns only this request (transient: not written, safe to resend; outcome unknown: look it up
 * by key before resending).
 */
export type InvoicePostingOutcome =
  | { entry: EntryInfo }
  | { problems: AccountingProblem[] }
  | { error: AccountingTransientError | AccountingOutcomeUnknown };

export interface EntryPage {
  entries: EntryInfo[];
  totalCount: number;
  hasNextPage: boolean;
}

export interface AccountingSystem {
  readonly name: string;

  getMasterData(organizationId: string): Promise<MasterData>;
  getSettings(organizationId: string): Promise<LedgerSettingsInfo>;
  listPeriods(organizationId: string, fiscalYear?: number): Promise<PeriodInfo[]>;

  /** Every problem the document would be refused for, without writing. Empty when it would post. */
  validateInvoice(
    organizationId: string,
    request: InvoicePostingRequest,
  ): Promise<AccountingProblem[]>;

  /** Books the invoice; throws AccountingRejection with every problem. Idempotent by key. */
  postInvoice(organizationId: string, request: InvoicePostingRequest): Promise<EntryInfo>;
  /**
   * Books many invoices of one organization in one call: one outcome per request, in order, each
   * exactly what postInvoice would have given it (idempotent by key; a refused request does not
   * affect the others). Throws AccountingTransientError when nothing was written and
   * AccountingOutcomeUnknown when any of it may have been: then every request is in doubt.
   */
  postInvoices(
    organizationId: string,
    requests: InvoicePostingRequest[],
  ): Promise<InvoicePostingOutcome[]>;
  postPayment(organizationId: string, request: PaymentPostingRequest): Promise<EntryInfo>;
  /** Posts the mirror entry of `entryId` and marks it reversed. Idempotent by key. */
  reverse(organizationId: string, request: ReversalRequest): Promise<EntryInfo>;

  findByIdempotencyKey(organizationId: string, key: string): Promise<EntryInfo | null>;
  /** The live (not reversed) entry of that kind for supplier + reference. */
  findByReference(
    organizationId: string,
    supplierAccountName: string,
    reference: string,
    kind: EntryKindName,
  ): Promise<EntryInfo | null>;
  getEntry(organizationId: string, entryId: string): Promise<EntryInfo | null>;
  getEntries(organizationId: string, entryIds: string[]): Promise<EntryInfo[]>;
  /** Newest first; keyset cursor is the last entry id seen. */
  listEntries(
    organizationId: string,
    query: { journal?: JournalName; reference?: string; first: number; after?: string },
  ): Promise<EntryPage>;

  /** Moves an entry to another open period (first day of it, or its own date if inside). */
  moveEntryToPeriod(organizationId: string, entryId: string, periodId: string): Promise<EntryInfo>;
  setLockDate(organizationId: string, lockDate: string | null): Promise<LedgerSettingsInfo>;
  closePeriod(organizationId: string, periodId: string): Promise<PeriodInfo>;
  reopenPeriod(organizationId: string, periodId: string): Promise<PeriodInfo>;
}
