/**
 * An `AccountingSystem` that measures every call of the one it wraps: latency by adapter and
 * operation, and errors by kind (metrics/registry.ts). It changes no answer and no error.
 */
import { observeAccountingCall, type AccountingErrorKind } from '../metrics/registry.js';
import {
  AccountingOutcomeUnknown,
  AccountingRejection,
  AccountingTransientError,
  type AccountingProblem,
  type AccountingSystem,
  type EntryInfo,
  type EntryKindName,
  type EntryPage,
  type InvoicePostingOutcome,
  type InvoicePostingRequest,
  type JournalName,
  type LedgerSettingsInfo,
  type MasterData,
  type PaymentPostingRequest,
  type PeriodInfo,
  type ReversalRequest,
} from './accounting-system.js';

export function accountingErrorKind(err: unknown): AccountingErrorKind {
  if (err instanceof AccountingRejection) return 'rejection';
  if (err instanceof AccountingTransientError) return 'transient';
  if (err instanceof AccountingOutcomeUnknown) return 'outcome_unknown';
  return 'other';
}

export class InstrumentedAccounting implements AccountingSystem {
  readonly name: string;

  constructor(
    /** The system it measures (tests reach the fault injector through it). */
    readonly inner: AccountingSystem,
    /** The adapter label: the accounting system itself, not wrappers such as fault injection. */
    private readonly adapter: string = inner.name,
  ) {
    this.name = inner.name;
  }

  private async measure<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await call();
      observeAccountingCall(this.adapter, operation, seconds(), null);
      return result;
    } catch (err) {
      observeAccountingCall(this.adapter, operation, seconds(), accountingErrorKind(err));
      throw err;
    }
  }

  getMasterData(organizationId: string): Promise<MasterData> {
    return this.measure('getMasterData', () => this.inner.getMasterData(organizationId));
  }
  getSettings(organizationId: string): Promise<LedgerSettingsInfo> {
    return this.measure('getSettings', () => this.inner.getSettings(organizationId));
  }
  listPeriods(organizationId: string, fiscalYear?: number): Promise<PeriodInfo[]> {
    return this.measure('listPeriods', () => this.inner.listPeriods(organizationId, fiscalYear));
  }
  validateInvoice(
    organizationId: string,
    request: InvoicePostingRequest,
  ): Promise<AccountingProblem[]> {
    return this.measure('validateInvoice', () =>
      this.inner.validateInvoice(organizationId, request),
    );
  }
  postInvoice(organizationId: string, request: InvoicePostingRequest): Promise<EntryInfo> {
    return this.measure('postInvoice', () => this.inner.postInvoice(organizationId, request));
  }
  postInvoices(
    organizationId: string,
    requests: InvoicePostingRequest[],
  ): Promise<InvoicePostingOutcome[]> {
    return this.measure('postInvoices', () => this.inner.postInvoices(organizationId, requests));
  }
  postPayment(organizationId: string, request: PaymentPostingRequest): Promise<EntryInfo> {
    return this.measure('postPayment', () => this.inner.postPayment(organizationId, request));
  }
  reverse(organizationId: string, request: ReversalRequest): Promise<EntryInfo> {
    return this.measure('reverse', () => this.inner.reverse(organizationId, request));
  }
  findByIdempotencyKey(organizationId: string, key: string): Promise<EntryInfo | null> {
    return this.measure('findByIdempotencyKey', () =>
      this.inner.findByIdempotencyKey(organizationId, key),
    );
  }
  findByReference(
    organizationId: string,
    supplierAccountName: string,
    reference: string,
    kind: EntryKindName,
  ): Promise<EntryInfo | null> {
    return this.measure('findByReference', () =>
      this.inner.findByReference(organizationId, supplierAccountName, reference, kind),
    );
  }
  getEntry(organizationId: string, entryId: string): Promise<EntryInfo | null> {
    return this.measure('getEntry', () => this.inner.getEntry(organizationId, entryId));
  }
  getEntries(organizationId: string, entryIds: string[]): Promise<EntryInfo[]> {
    return this.measure('getEntries', () => this.inner.getEntries(organizationId, entryIds));
  }
  listEntries(
    organizationId: string,
    query: { journal?: JournalName; reference?: string; first: number; after?: string },
  ): Promise<EntryPage> {
    return this.measure('listEntries', () => this.inner.listEntries(organizationId, query));
  }
  moveEntryToPeriod(organizationId: string, entryId: string, periodId: string): Promise<EntryInfo> {
    return this.measure('moveEntryToPeriod', () =>
      this.inner.moveEntryToPeriod(organizationId, entryId, periodId),
    );
  }
  setLockDate(organizationId: string, lockDate: string | null): Promise<LedgerSettingsInfo> {
    return this.measure('setLockDate', () => this.inner.setLockDate(organizationId, lockDate));
  }
  closePeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return this.measure('closePeriod', () => this.inner.closePeriod(organizationId, periodId));
  }
  reopenPeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return this.measure('reopenPeriod', () => this.inner.reopenPeriod(organizationId, periodId));
  }
}
