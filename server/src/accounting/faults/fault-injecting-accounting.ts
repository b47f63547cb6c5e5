/**
 * An opt-in `AccountingSystem` wrapper that injects the failures a remote accounting system
 * produces, for tests and chaos runs (LEDGERLINK_FAULTS). Refused when NODE_ENV=production.
 *
 * The writing calls (postInvoice, postPayment, reverse) are disturbed; of the reads, only the
 * look-ups an in-doubt transfer is settled by (findByIdempotencyKey, findByReference) may fail
 * (`lookup`, an AccountingTransientError, drawn from a PRNG stream of its own so that a spec
 * without it replays the same write faults as before); other reads pass through.
 * Each writing call draws one number from a seeded PRNG (mulberry32), so a seed replays the same
 * sequence of faults for the same sequence of calls:
 *   transient → AccountingTransientError, and the inner system is NOT called;
 *   lostAck   → the inner system is called (and commits), then AccountingOutcomeUnknown;
 *   timeout   → the inner system is called, the answer arrives after the caller gave up
 *               (a short delay), then AccountingOutcomeUnknown;
 *   crash     → the inner system is called, then `onCrash()` runs (default: process.exit(137),
 *               the worker dies right after a committed posting).
 *
 * A batch (postInvoices) draws one number per request, so each document meets faults as often
 * as when sent alone: transient requests are left out of the call and answered with a transient
 * error; the others go in one inner call, and lostAck / timeout requests get "outcome unknown"
 * instead of their answer. A crash drawn by any request kills the worker after the whole batch
 * was sent (if `onCrash` returns, the whole call ends in AccountingOutcomeUnknown: every request
 * is in doubt).
 */
import {
  AccountingOutcomeUnknown,
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

export type FaultKind = 'transient' | 'lostAck' | 'timeout' | 'crash';
export const FAULT_KINDS: readonly FaultKind[] = ['transient', 'lostAck', 'timeout', 'crash'];

export interface FaultSpec {
  /** PRNG seed (unsigned 32-bit integer). */
  seed: number;
  /** Probabilities per writing call, each 0..1, together at most 1. */
  transient: number;
  lostAck: number;
  timeout: number;
  crash: number;
  /** Probability per look-up (findByIdempotencyKey, findByReference) of an AccountingTransientError. */
  lookup: number;
  /** How late the answer of a `timeout` fault arrives, in ms. */
  timeoutDelayMs: number;
}

export const DEFAULT_FAULT_SPEC: FaultSpec = {
  seed: 1,
  transient: 0,
  lostAck: 0,
  timeout: 0,
  crash: 0,
  lookup: 0,
  timeoutDelayMs: 20,
};

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const SPEC_KEYS: readonly (keyof FaultSpec)[] = [
  'seed',
  ...FAULT_KINDS,
  'lookup',
  'timeoutDelayMs',
];

/**
 * Parses "seed=42,transient=0.1,lostAck=0.05,timeout=0.02,crash=0.01,lookup=0.2". Every key is
 * optional (missing probabilities are 0, the seed defaults to 1); keys are case-insensitive.
 * Throws FaultSpecError on unknown or repeated keys, malformed values, probabilities outside 0..1,
 * or write-fault probabilities adding up to more than 1 (`lookup` is drawn apart).
 */
export function parseFaultSpec(spec: string): FaultSpec {
  if (typeof spec !== 'string') throw new FaultSpecError('fault spec must be a string');
  const result: FaultSpec = { ...DEFAULT_FAULT_SPEC };
  const seen = new Set<string>();
  const parts = spec
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  for (const part of parts) {
    const m = /^([A-Za-z]+)\s*=\s*(\S+)$/.exec(part);
    if (!m) throw new FaultSpecError(`fault spec: "${part}" is not key=value`);
    const key = SPEC_KEYS.find((k) => k.toLowerCase() === m[1].toLowerCase());
    if (!key) {
      throw new FaultSpecError(
        `fault spec: unknown key "${m[1]}" (allowed: ${SPEC_KEYS.join(', ')})`,
      );
    }
    if (seen.has(key)) throw new FaultSpecError(`fault spec: "${key}" is given twice`);
    seen.add(key);
    const raw = m[2];
    if (key === 'seed' || key === 'timeoutDelayMs') {
      if (!/^\d+$/.test(raw) || Number(raw) > 0xffffffff) {
        throw new FaultSpecError(
          `fault spec: ${key} must be an integer from 0 to 4294967295, got "${raw}"`,
        );
      }
      result[key] = Number(raw);
      continue;
    }
    const p = /^(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isFinite(p) || p < 0 || p > 1) {
      throw new FaultSpecError(
        `fault spec: ${key} must be a probability from 0 to 1, got "${raw}"`,
      );
    }
    result[key] = p;
  }
  const total = FAULT_KINDS.reduce((sum, k) => sum + result[k], 0);
  if (total > 1 + 1e-9) {
    throw new FaultSpecError(
      `fault spec: the probabilities add up to ${total}, more than 1 (${FAULT_KINDS.map((k) => `${k}=${result[k]}`).join(', ')})`,
    );
  }
  return result;
}

export function formatFaultSpec(spec: FaultSpec): string {
  return SPEC_KEYS.map((k) => `${k}=${spec[k]}`).join(',');
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultInjectionOptions {
  /**
   * Runs after a `crash` fault's inner call has completed. Default: `process.exit(137)`. If it
   * returns, the call throws AccountingOutcomeUnknown (a dead worker never sees the answer).
   */
  onCrash?: () => void | Promise<void>;
  /** Told about every injected fault (for logs and counters). */
  onFault?: (fault: FaultKind, operation: string) => void;
  /** Overrides the spec's timeoutDelayMs. */
  timeoutDelayMs?: number;
}

export type FaultCounts = Record<FaultKind, number>;

function defaultCrash(): never {
  process.exit(137);
}

export class FaultInjectingAccounting implements AccountingSystem {
  readonly name: string;
  readonly spec: FaultSpec;
  /** How many faults of each kind were injected so far. */
  readonly injected: FaultCounts = { transient: 0, lostAck: 0, timeout: 0, crash: 0 };
  /** How many look-ups were made to fail so far. */
  lookupFaults = 0;
  private readonly random: () => number;
  private readonly lookupRandom: () => number;

  constructor(
    private readonly inner: AccountingSystem,
    spec: FaultSpec | string,
    private readonly opts: FaultInjectionOptions = {},
  ) {
    if (process.env.NODE_ENV === 'production') {
      throw new Error('fault injection is refused in production (NODE_ENV=production)');
    }
    this.spec =
      typeof spec === 'string' ? parseFaultSpec(spec) : { ...DEFAULT_FAULT_SPEC, ...spec };
    this.random = mulberry32(this.spec.seed);
    this.lookupRandom = mulberry32(this.spec.seed ^ 0x9e3779b9);
    this.name = `${inner.name}+faults`;
  }

  /** Draws the fault for the next writing call (null: none). Exposed for tests. */
  nextFault(): FaultKind | null {
    const r = this.random();
    let edge = 0;
    for (const kind of FAULT_KINDS) {
      edge += this.spec[kind];
      if (r < edge) return kind;
    }
    return null;
  }

  private async write<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const fault = this.nextFault();
    if (!fault) return call();
    this.injected[fault]++;
    this.opts.onFault?.(fault, operation);
    if (fault === 'transient') {
      throw new AccountingTransientError(`injected fault: ${operation} failed before it was sent`);
    }
    // The request reaches the accounting system; whatever it answers is lost to the caller.
    await call().catch(() => undefined);
    if (fault === 'lostAck') {
      throw new AccountingOutcomeUnknown(
        `injected fault: ${operation} was sent but the answer was lost`,
      );
    }
    if (fault === 'timeout') {
      const delay = this.opts.timeoutDelayMs ?? this.spec.timeoutDelayMs;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      throw new AccountingOutcomeUnknown(
        `injected fault: ${operation} timed out (the answer came after the caller's timeout)`,
      );
    }
    await (this.opts.onCrash ?? defaultCrash)();
    throw new AccountingOutcomeUnknown(
      `injected fault: the worker crashed after ${operation} was sent`,
    );
  }

  postInvoice(organizationId: string, request: InvoicePostingRequest): Promise<EntryInfo> {
    return this.write('postInvoice', () => this.inner.postInvoice(organizationId, request));
  }

  async postInvoices(
    organizationId: string,
    requests: InvoicePostingRequest[],
  ): Promise<InvoicePostingOutcome[]> {
    const operation = 'postInvoices';
    const faults = requests.map(() => this.nextFault());
    for (const fault of faults) {
      if (!fault) continue;
      this.injected[fault]++;
      this.opts.onFault?.(fault, operation);
    }
    const outcomes = new Array<InvoicePostingOutcome>(requests.length);
    const sent: number[] = [];
    faults.forEach((fault, i) => {
      if (fault === 'transient') {
        outcomes[i] = {
          error: new AccountingTransientError(
            `injected fault: ${operation} failed before request ${i} was sent`,
          ),
        };
      } else sent.push(i);
    });
    if (sent.length === 0) return outcomes;
    if (faults.every((f) => f === null)) return this.inner.postInvoices(organizationId, requests);

    let answers: InvoicePostingOutcome[];
    try {
      answers = await this.inner.postInvoices(
        organizationId,
        sent.map((i) => requests[i]),
      );
    } catch (err) {
      const error =
        err instanceof AccountingTransientError || err instanceof AccountingOutcomeUnknown
          ? err
          : new AccountingOutcomeUnknown(`${operation} failed: ${(err as Error)?.message}`);
      answers = sent.map(() => ({ error }));
    }
    if (faults.includes('crash')) {
      await (this.opts.onCrash ?? defaultCrash)();
      throw new AccountingOutcomeUnknown(
        `injected fault: the worker crashed after ${operation} was sent`,
      );
    }
    if (faults.includes('timeout')) {
      const delay = this.opts.timeoutDelayMs ?? this.spec.timeoutDelayMs;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    sent.forEach((i, k) => {
      const fault = faults[i];
      outcomes[i] =
        fault === 'lostAck'
          ? {
              error: new AccountingOutcomeUnknown(
                `injected fault: ${operation} was sent but the answer for request ${i} was lost`,
              ),
            }
          : fault === 'timeout'
            ? {
                error: new AccountingOutcomeUnknown(
                  `injected fault: ${operation} timed out for request ${i} (the answer came after the caller's timeout)`,
                ),
              }
            : answers[k];
    });
    return outcomes;
  }

  postPayment(organizationId: string, request: PaymentPostingRequest): Promise<EntryInfo> {
    return this.write('postPayment', () => this.inner.postPayment(organizationId, request));
  }

  reverse(organizationId: string, request: ReversalRequest): Promise<EntryInfo> {
    return this.write('reverse', () => this.inner.reverse(organizationId, request));
  }

  // Reads and admin operations pass through.

  getMasterData(organizationId: string): Promise<MasterData> {
    return this.inner.getMasterData(organizationId);
  }
  getSettings(organizationId: string): Promise<LedgerSettingsInfo> {
    return this.inner.getSettings(organizationId);
  }
  listPeriods(organizationId: string, fiscalYear?: number): Promise<PeriodInfo[]> {
    return this.inner.listPeriods(organizationId, fiscalYear);
  }
  validateInvoice(
    organizationId: string,
    request: InvoicePostingRequest,
  ): Promise<AccountingProblem[]> {
    return this.inner.validateInvoice(organizationId, request);
  }
  findByIdempotencyKey(organizationId: string, key: string): Promise<EntryInfo | null> {
    return this.lookUp('findByIdempotencyKey', () =>
      this.inner.findByIdempotencyKey(organizationId, key),
    );
  }
  findByReference(
    organizationId: string,
    supplierAccountName: string,
    reference: string,
    kind: EntryKindName,
  ): Promise<EntryInfo | null> {
    return this.lookUp('findByReference', () =>
      this.inner.findByReference(organizationId, supplierAccountName, reference, kind),
    );
  }

  /** A look-up that fails (`lookup` fault) before it reaches the accounting system, or passes. */
  private async lookUp<T>(operation: string, call: () => Promise<T>): Promise<T> {
    if (this.spec.lookup > 0 && this.lookupRandom() < this.spec.lookup) {
      this.lookupFaults++;
      throw new AccountingTransientError(`injected fault: ${operation} failed (look-up)`);
    }
    return call();
  }
  getEntry(organizationId: string, entryId: string): Promise<EntryInfo | null> {
    return this.inner.getEntry(organizationId, entryId);
  }
  getEntries(organizationId: string, entryIds: string[]): Promise<EntryInfo[]> {
    return this.inner.getEntries(organizationId, entryIds);
  }
  listEntries(
    organizationId: string,
    query: { journal?: JournalName; reference?: string; first: number; after?: string },
  ): Promise<EntryPage> {
    return this.inner.listEntries(organizationId, query);
  }
  moveEntryToPeriod(organizationId: string, entryId: string, periodId: string): Promise<EntryInfo> {
    return this.inner.moveEntryToPeriod(organizationId, entryId, periodId);
  }
  setLockDate(organizationId: string, lockDate: string | null): Promise<LedgerSettingsInfo> {
    return this.inner.setLockDate(organizationId, lockDate);
  }
  closePeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return this.inner.closePeriod(organizationId, periodId);
  }
  reopenPeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return this.inner.reopenPeriod(organizationId, periodId);
  }
}
