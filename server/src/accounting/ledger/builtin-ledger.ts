/**
 * The built-in double-entry ledger: the default `AccountingSystem` adapter, in PostgreSQL schema
 * `ledger` (entities in ledger.entities.ts, invariants enforced by the migration's triggers).
 *
 * It behaves like an external system: every call runs on its own pooled connection and in its
 * own transaction (see ledger-db.ts), never inside the caller's. Writes are plain SQL:
 *
 * - Fast path (fast-path.ts: a plainly valid invoice or payment dated in an OPEN period after the
 *   lock date, for an organization seen before): ONE autocommit statement that re-checks every
 *   condition in the database and inserts the entry with all its lines, or inserts nothing. It
 *   plans with the settings accounts and VAT rates learnt from earlier slow-path reads
 *   (planning-cache.ts), and the statement verifies them, so a stale cache can only send a
 *   posting to the slow path, never book wrongly.
 * - Slow path (slow-path.ts: everything else: first posting, repeats of a key, rejections,
 *   shifted dates, reversals): BEGIN + the organization's shared gate; one query gathers
 *   everything validation needs and share-locks the settings and period rows
 *   (posting-context.ts; a concurrent closePeriod / setLockDate waits for the posting); the
 *   request checks (request-checks.ts) and the period rule (placement.ts); one statement inserts
 *   the entry and its lines; COMMIT.
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
import type { MikroORM } from '@mikro-orm/postgresql';
import type {
  AccountingProblem,
  AccountingSystem,
  EntryInfo,
  EntryKindName,
  EntryPage,
  InvoicePostingOutcome,
  InvoicePostingRequest,
  JournalName,
  LedgerSettingsInfo,
  MasterData,
  PaymentPostingRequest,
  PeriodInfo,
  ReversalRequest,
} from '../accounting-system.js';
import { FastPath, type BuiltinLedgerStats } from './fast-path.js';
import { InvoicePosting } from './invoice-posting.js';
import { LedgerDb } from './ledger-db.js';
import { LedgerReads } from './ledger-reads.js';
import { PaymentPosting } from './payment-posting.js';
import { PeriodAdmin } from './period-admin.js';
import { PlanningCache } from './planning-cache.js';
import { Reversal } from './reversal.js';
import { SlowPath } from './slow-path.js';

export type { BuiltinLedgerStats } from './fast-path.js';

export interface BuiltinLedgerOptions {
  /** Shown as `AccountingSystem.name`. */
  name?: string;
}

export class BuiltinLedger implements AccountingSystem {
  readonly name: string;
  readonly stats: BuiltinLedgerStats = {
    fastPath: 0,
    slowPath: 0,
    fastPathErrors: 0,
    lastFastPathError: null,
  };
  private readonly reads: LedgerReads;
  private readonly invoices: InvoicePosting;
  private readonly payments: PaymentPosting;
  private readonly reversals: Reversal;
  private readonly periods: PeriodAdmin;

  constructor(orm: MikroORM, opts: BuiltinLedgerOptions = {}) {
    this.name = opts.name ?? 'builtin-ledger';
    const db = new LedgerDb(orm);
    const cache = new PlanningCache();
    const fast = new FastPath(db, this.stats);
    this.reads = new LedgerReads(db);
    const slow = new SlowPath(db, this.reads);
    this.invoices = new InvoicePosting(db, cache, fast, slow, this.stats);
    this.payments = new PaymentPosting(cache, fast, slow, this.stats);
    this.reversals = new Reversal(slow);
    this.periods = new PeriodAdmin(db, this.reads);
  }

  // ------------------------------------------------------------------------------- reads

  getMasterData(organizationId: string): Promise<MasterData> {
    return this.reads.getMasterData(organizationId);
  }

  getSettings(organizationId: string): Promise<LedgerSettingsInfo> {
    return this.reads.getSettings(organizationId);
  }

  listPeriods(organizationId: string, fiscalYear?: number): Promise<PeriodInfo[]> {
    return this.reads.listPeriods(organizationId, fiscalYear);
  }

  findByIdempotencyKey(organizationId: string, key: string): Promise<EntryInfo | null> {
    return this.reads.findByIdempotencyKey(organizationId, key);
  }

  findByReference(
    organizationId: string,
    supplierAccountName: string,
    reference: string,
    kind: EntryKindName,
  ): Promise<EntryInfo | null> {
    return this.reads.findByReference(organizationId, supplierAccountName, reference, kind);
  }

  getEntry(organizationId: string, entryId: string): Promise<EntryInfo | null> {
    return this.reads.getEntry(organizationId, entryId);
  }

  getEntries(organizationId: string, entryIds: string[]): Promise<EntryInfo[]> {
    return this.reads.getEntries(organizationId, entryIds);
  }

  listEntries(
    organizationId: string,
    query: { journal?: JournalName; reference?: string; first: number; after?: string },
  ): Promise<EntryPage> {
    return this.reads.listEntries(organizationId, query);
  }

  // ------------------------------------------------------------------------------- postings

  validateInvoice(
    organizationId: string,
    request: InvoicePostingRequest,
  ): Promise<AccountingProblem[]> {
    return this.invoices.validate(organizationId, request);
  }

  postInvoice(organizationId: string, request: InvoicePostingRequest): Promise<EntryInfo> {
    return this.invoices.post(organizationId, request);
  }

  postInvoices(
    organizationId: string,
    requests: InvoicePostingRequest[],
  ): Promise<InvoicePostingOutcome[]> {
    return this.invoices.postMany(organizationId, requests);
  }

  postPayment(organizationId: string, request: PaymentPostingRequest): Promise<EntryInfo> {
    return this.payments.post(organizationId, request);
  }

  reverse(organizationId: string, request: ReversalRequest): Promise<EntryInfo> {
    return this.reversals.reverse(organizationId, request);
  }

  // ------------------------------------------------------------------------------- periods

  moveEntryToPeriod(organizationId: string, entryId: string, periodId: string): Promise<EntryInfo> {
    return this.periods.moveEntryToPeriod(organizationId, entryId, periodId);
  }

  setLockDate(organizationId: string, lockDate: string | null): Promise<LedgerSettingsInfo> {
    return this.periods.setLockDate(organizationId, lockDate);
  }

  closePeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return this.periods.setPeriodStatus(organizationId, periodId, 'CLOSED');
  }

  reopenPeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return this.periods.setPeriodStatus(organizationId, periodId, 'OPEN');
  }
}
