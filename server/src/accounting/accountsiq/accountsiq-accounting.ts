/**
 * The accountsIQ adapter of the accounting port: one instance per organization's connection
 * (the organizationId arguments are passed through to the shared request checks). Reads are
 * answered from accountsIQ (master data and periods cached for a few seconds for the checks
 * before a write); period administration stays in accountsIQ.
 */
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
} from '../accounting-system.js';
import { problem } from '../problems.js';
import {
  documentInfo,
  entryFrom,
  transactionById,
  transactionsByExternalReference,
  transactionsBySupplierReference,
  type ExternalDocumentInfo,
} from './lookup.js';
import { glAccounts, loadMasterData, settingsFrom } from './master-data.js';
import { loadPeriods } from './periods.js';
import * as posting from './posting.js';
import { AiqAuthError, AiqResultError, AiqSession, type SessionConfig } from './session.js';

export type ConnectionTestResult =
  | { ok: true; companyName: string | null; openPeriods: number }
  | { ok: false; code: 'AUTH_FAILED' | 'UNREACHABLE' | 'VALIDATION'; message: string };

/** How long master data and periods read for the checks before a write are reused. */
const CHECK_CACHE_MS = 30_000;
/** Requests of one postInvoices call in flight at once. */
const BATCH_CONCURRENCY = 4;

class Cached<T> {
  private value: Promise<T> | undefined;
  private at = 0;
  constructor(private readonly load: () => Promise<T>) {}
  get(): Promise<T> {
    if (!this.value || Date.now() - this.at > CHECK_CACHE_MS) {
      this.at = Date.now();
      this.value = this.load().catch((err: unknown) => {
        this.value = undefined;
        throw err;
      });
    }
    return this.value;
  }
  set(value: T): void {
    this.value = Promise.resolve(value);
    this.at = Date.now();
  }
}

function configProblem(config: SessionConfig): string | null {
  try {
    const url = new URL(config.endpoint);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return 'the endpoint must be an http(s) URL';
  } catch {
    return 'the endpoint is not a URL';
  }
  if (!config.entity?.trim()) return 'the company id (entity) is required';
  if (!config.clientId?.trim()) return 'the client id is required';
  if (!config.clientSecret) return 'the client secret is required';
  if (config.timeoutMs !== undefined && !(config.timeoutMs > 0))
    return 'the timeout must be positive';
  return null;
}

const administeredThere = (what: string) =>
  new AccountingRejection([
    problem('VALIDATION', `${what} is done in accountsIQ, not through Ledgerlink`),
  ]);

export class AccountsIqAdapter implements AccountingSystem {
  readonly name = 'accountsIQ';
  private readonly session: AiqSession;
  private readonly masterData = new Cached(() => loadMasterData(this.session));
  private readonly periods = new Cached(() => loadPeriods(this.session));
  private readonly deps: posting.PostingDeps;

  constructor(private readonly config: SessionConfig) {
    this.session = new AiqSession(config);
    this.deps = {
      session: this.session,
      masterData: () => this.masterData.get(),
      freshMasterData: async () => {
        const md = await loadMasterData(this.session);
        this.masterData.set(md);
        return md;
      },
      periods: () => this.periods.get(),
      // Per adapter: the connections module keeps one adapter per organization and process.
      inFlight: new Map(),
    };
  }

  /** Runs a port call; a refused login or a refused read becomes "not sent, retry later". */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    const problemText = configProblem(this.config);
    if (problemText) throw new AccountingTransientError(`accountsIQ connection: ${problemText}`);
    try {
      return await run();
    } catch (err) {
      if (err instanceof AiqAuthError) throw new AccountingTransientError(err.message);
      if (err instanceof AiqResultError) throw new AccountingTransientError(err.message);
      throw err;
    }
  }

  async testConnection(): Promise<ConnectionTestResult> {
    const problemText = configProblem(this.config);
    if (problemText) return { ok: false, code: 'VALIDATION', message: problemText };
    try {
      await this.session.authenticate();
      const [companyName, periods] = await Promise.all([
        this.session.call<string>('GetCompanyName', {}, 'read').catch(() => null),
        loadPeriods(this.session),
      ]);
      this.periods.set(periods);
      return {
        ok: true,
        companyName: companyName || null,
        openPeriods: periods.filter((p) => p.status === 'OPEN').length,
      };
    } catch (err) {
      if (err instanceof AiqAuthError)
        return { ok: false, code: 'AUTH_FAILED', message: err.message };
      if (err instanceof AccountingTransientError || err instanceof AccountingOutcomeUnknown)
        return { ok: false, code: 'UNREACHABLE', message: err.message };
      if (err instanceof AiqResultError)
        return { ok: false, code: 'VALIDATION', message: err.message };
      return { ok: false, code: 'UNREACHABLE', message: 'accountsIQ could not be reached' };
    }
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  getMasterData(_organizationId: string): Promise<MasterData> {
    return this.guard(async () => {
      const md = await loadMasterData(this.session);
      this.masterData.set(md);
      return md;
    });
  }

  getSettings(_organizationId: string): Promise<LedgerSettingsInfo> {
    return this.guard(async () => settingsFrom(await glAccounts(this.session)));
  }

  listPeriods(_organizationId: string, fiscalYear?: number): Promise<PeriodInfo[]> {
    return this.guard(async () => {
      const periods = await loadPeriods(this.session);
      this.periods.set(periods);
      return fiscalYear === undefined
        ? periods
        : periods.filter((p) => p.fiscalYear === fiscalYear);
    });
  }

  validateInvoice(
    organizationId: string,
    request: InvoicePostingRequest,
  ): Promise<AccountingProblem[]> {
    return this.guard(() => posting.invoiceProblems(this.deps, organizationId, request));
  }

  postInvoice(organizationId: string, request: InvoicePostingRequest): Promise<EntryInfo> {
    return this.guard(() => posting.postInvoice(this.deps, organizationId, request));
  }

  /** One outcome per request; each is exactly what postInvoice gives it. */
  async postInvoices(
    organizationId: string,
    requests: InvoicePostingRequest[],
  ): Promise<InvoicePostingOutcome[]> {
    const outcomes: InvoicePostingOutcome[] = new Array<InvoicePostingOutcome>(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        outcomes[i] = await this.postInvoice(organizationId, requests[i]).then(
          (entry): InvoicePostingOutcome => ({ entry }),
          (err: unknown): InvoicePostingOutcome => {
            if (err instanceof AccountingRejection) return { problems: err.problems };
            if (err instanceof AccountingTransientError || err instanceof AccountingOutcomeUnknown)
              return { error: err };
            return {
              error: new AccountingOutcomeUnknown(
                `accountsIQ: ${String((err as Error)?.message ?? err)}`,
              ),
            };
          },
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, requests.length) }, worker));
    return outcomes;
  }

  postPayment(organizationId: string, request: PaymentPostingRequest): Promise<EntryInfo> {
    return this.guard(() => posting.postPayment(this.deps, organizationId, request));
  }

  reverse(organizationId: string, request: ReversalRequest): Promise<EntryInfo> {
    return this.guard(() => posting.reverse(this.deps, organizationId, request));
  }

  findByIdempotencyKey(_organizationId: string, key: string): Promise<EntryInfo | null> {
    return this.guard(() => posting.findByKey(this.deps, key));
  }

  /** The live (not reversed, not a reversal) document of that kind for supplier + Reference. */
  findByReference(
    _organizationId: string,
    supplierAccountName: string,
    reference: string,
    kind: EntryKindName,
  ): Promise<EntryInfo | null> {
    return this.guard(async () => {
      const found = await transactionsBySupplierReference(
        this.session,
        supplierAccountName,
        reference,
      );
      const periods = await this.periods.get();
      const live = found
        .map((tx) => entryFrom(tx, periods))
        .find((e) => e.kind === kind && e.reversedByEntryId === null);
      return live ?? null;
    });
  }

  getEntry(_organizationId: string, entryId: string): Promise<EntryInfo | null> {
    return this.guard(async () => {
      const tx = await transactionById(this.session, entryId);
      return tx ? entryFrom(tx, await this.periods.get()) : null;
    });
  }

  async getEntries(organizationId: string, entryIds: string[]): Promise<EntryInfo[]> {
    const found = await Promise.all(entryIds.map((id) => this.getEntry(organizationId, id)));
    return found.filter((e): e is EntryInfo => e !== null);
  }

  listEntries(
    _organizationId: string,
    _query: { journal?: JournalName; reference?: string; first: number; after?: string },
  ): Promise<EntryPage> {
    return Promise.reject(administeredThere('Browsing the journal'));
  }

  moveEntryToPeriod(_o: string, _e: string, _p: string): Promise<EntryInfo> {
    return Promise.reject(administeredThere('Moving a transaction to another period'));
  }

  setLockDate(_o: string, _d: string | null): Promise<LedgerSettingsInfo> {
    return Promise.reject(administeredThere('Setting the lock date'));
  }

  closePeriod(_o: string, _p: string): Promise<PeriodInfo> {
    return Promise.reject(administeredThere('Closing a period'));
  }

  reopenPeriod(_o: string, _p: string): Promise<PeriodInfo> {
    return Promise.reject(administeredThere('Reopening a period'));
  }

  /** Every document each external reference finds (several when accountsIQ holds duplicates). */
  listDocumentsByExternalReference(
    externalReferences: string[],
  ): Promise<Map<string, ExternalDocumentInfo[]>> {
    return this.guard(async () => {
      const out = new Map<string, ExternalDocumentInfo[]>();
      for (const ref of new Set(externalReferences)) {
        const found = await transactionsByExternalReference(this.session, ref);
        out.set(ref, found.map(documentInfo));
      }
      return out;
    });
  }
}
