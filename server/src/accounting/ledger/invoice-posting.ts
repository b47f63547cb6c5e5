/**
 * Invoice postings: checked against the ledger, placed by the period rule and booked, on the
 * fast path when plainly postable, else on the slow path; many at once with a set-based fast
 * statement.
 */
import { Decimal, money } from '../../common/money.js';
import { inParallel } from '../../common/parallel.js';
import {
  AccountingOutcomeUnknown,
  AccountingRejection,
  AccountingTransientError,
  type AccountingProblem,
  type EntryInfo,
  type InvoicePostingOutcome,
  type InvoicePostingRequest,
} from '../accounting-system.js';
import { isIsoDate } from './dates.js';
import { planInvoiceLines, type VatTreatment } from './entry-lines.js';
import type { FastPath, FastPlan, BuiltinLedgerStats } from './fast-path.js';
import type { LedgerDb, SqlClient } from './ledger-db.js';
import { nonEmpty } from './ledger-rows.js';
import type { PlanningCache } from './planning-cache.js';
import { placeDocument } from './placement.js';
import { loadPostingContext } from './posting-context.js';
import { problem } from './problems.js';
import {
  checkInvoiceBalance,
  checkInvoiceLines,
  checkInvoiceShape,
  checkReferenceUnused,
  checkSupplier,
} from './request-checks.js';
import type { NewEntry, SlowPath } from './slow-path.js';

/** Slow-path postings of one batch call in flight at once (each is its own transaction). */
const SLOW_BATCH_CONCURRENCY = 4;

/** What the checks of an invoice decided: its key's entry, or its problems (none: its entry). */
type InvoiceCheck = { existingId: string } | { problems: AccountingProblem[]; entry?: NewEntry };

type LineCodes = (l: InvoicePostingRequest['lines'][number]) => string | null | undefined;

/** The entry kind a document books as: a credit note is unique by supplier + reference of its own. */
function entryKindOf(r: InvoicePostingRequest): 'INVOICE' | 'CREDIT_NOTE' {
  return r.documentKind === 'CREDIT_NOTE' ? 'CREDIT_NOTE' : 'INVOICE';
}

export class InvoicePosting {
  constructor(
    private readonly db: LedgerDb,
    private readonly cache: PlanningCache,
    private readonly fast: FastPath,
    private readonly slow: SlowPath,
    private readonly stats: BuiltinLedgerStats,
  ) {}

  async validate(organizationId: string, r: InvoicePostingRequest): Promise<AccountingProblem[]> {
    const shape = checkInvoiceShape(organizationId, r);
    if (shape.fatal) return shape.problems;
    return this.db.read(async (c) => {
      const result = await this.checkAndPlan(c, organizationId, r, shape.problems, false);
      return 'existingId' in result ? [] : result.problems;
    });
  }

  async post(organizationId: string, r: InvoicePostingRequest): Promise<EntryInfo> {
    const shape = checkInvoiceShape(organizationId, r);
    if (shape.fatal) throw new AccountingRejection(shape.problems);
    if (shape.problems.length === 0) {
      const plan = this.planFast(organizationId, r);
      const settings = this.cache.settingsOf(organizationId);
      const fast =
        plan && settings ? await this.fast.insertOne(organizationId, settings, plan) : null;
      if (fast) return fast;
    }
    return this.postSlow(organizationId, r, shape.problems);
  }

  /**
   * Many invoices in one call: those plainly postable in one fast statement (one transaction),
   * every other one alone on the slow path, as post would take it. A failure of the fast
   * statement's connection leaves the whole call in doubt (AccountingOutcomeUnknown); afterwards
   * each request's own failure stays its own.
   */
  async postMany(
    organizationId: string,
    requests: InvoicePostingRequest[],
  ): Promise<InvoicePostingOutcome[]> {
    if (!Array.isArray(requests))
      throw new AccountingRejection([problem('VALIDATION', 'requests must be a list')]);
    const outcomes = new Array<InvoicePostingOutcome | undefined>(requests.length);
    const shapes = requests.map((r) => checkInvoiceShape(organizationId, r));
    shapes.forEach((shape, i) => {
      if (shape.fatal) outcomes[i] = { problems: shape.problems };
    });
    // The set-based statement books invoices only; a credit note of the batch is posted on its
    // own below (fast single statement, else slow path), as post would take it.
    const clean = shapes.flatMap((shape, i) =>
      !shape.fatal && shape.problems.length === 0 && entryKindOf(requests[i]) === 'INVOICE'
        ? [i]
        : [],
    );
    if (clean.length > 0) {
      await this.learnVatCodes(
        organizationId,
        clean.flatMap((i) => requests[i].lines.map((l) => l?.vatCode).filter(nonEmpty)),
      );
      const plans = new Map<number, FastPlan>();
      for (const i of clean) {
        const plan = this.planFast(organizationId, requests[i]);
        if (plan) plans.set(i, plan);
      }
      const settings = this.cache.settingsOf(organizationId);
      if (settings && plans.size > 0) {
        // Throws AccountingTransientError (nothing written) or AccountingOutcomeUnknown (any of it
        // may have been): either concerns every request, as nothing else was sent yet.
        const entries = await this.fast.insertMany(organizationId, settings, plans);
        for (const [i, entry] of entries) outcomes[i] = { entry };
      }
    }
    const rest = shapes.flatMap((_, i) => (outcomes[i] ? [] : [i]));
    await inParallel(rest, SLOW_BATCH_CONCURRENCY, async (i) => {
      outcomes[i] =
        entryKindOf(requests[i]) === 'CREDIT_NOTE' && !shapes[i].fatal
          ? await this.postOneOutcome(organizationId, requests[i])
          : await this.postSlowOutcome(organizationId, requests[i], shapes[i].problems);
    });
    return outcomes as InvoicePostingOutcome[];
  }

  /** One request of a batch as post takes it (fast path first); its failure becomes its own outcome. */
  private async postOneOutcome(
    organizationId: string,
    r: InvoicePostingRequest,
  ): Promise<InvoicePostingOutcome> {
    try {
      return { entry: await this.post(organizationId, r) };
    } catch (err) {
      return outcomeOfError(err);
    }
  }

  /** One request of a batch on the slow path; its failure becomes its own outcome. */
  private async postSlowOutcome(
    organizationId: string,
    r: InvoicePostingRequest,
    shapeProblems: AccountingProblem[],
  ): Promise<InvoicePostingOutcome> {
    try {
      return { entry: await this.postSlow(organizationId, r, shapeProblems) };
    } catch (err) {
      return outcomeOfError(err);
    }
  }

  /** Learns settings and the VAT codes' treatment when the fast path does not know them yet. */
  private async learnVatCodes(organizationId: string, vatCodes: string[]): Promise<void> {
    const codes = [...new Set(vatCodes)];
    if (this.cache.knows(organizationId, codes)) return;
    const ctx = await this.db.read((c) =>
      loadPostingContext(
        c,
        organizationId,
        {
          documentDate: null,
          accountCodes: [],
          costUnitCodes: [],
          vatCodes: codes,
          supplierAccountName: '',
          idempotencyKey: '',
          reference: '',
          kind: 'INVOICE',
        },
        false,
      ),
    );
    this.cache.remember(organizationId, ctx, codes);
  }

  private postSlow(
    organizationId: string,
    r: InvoicePostingRequest,
    shapeProblems: AccountingProblem[],
  ): Promise<EntryInfo> {
    this.stats.slowPath++;
    return this.slow.post(organizationId, r.idempotencyKey, async (c) => {
      const result = await this.checkAndPlan(c, organizationId, r, shapeProblems, true);
      if ('existingId' in result) return result;
      if (result.problems.length > 0 || !result.entry)
        throw new AccountingRejection(result.problems);
      return result.entry;
    });
  }

  /**
   * Checks the invoice against master data, duplicates and the period rule, and plans its
   * entry (`lock`: on the slow path, share-locking what the checks read).
   */
  private async checkAndPlan(
    c: SqlClient,
    organizationId: string,
    r: InvoicePostingRequest,
    shapeProblems: AccountingProblem[],
    lock: boolean,
  ): Promise<InvoiceCheck> {
    const codes = (f: LineCodes) => [...new Set(r.lines.map((l) => f(l)).filter(nonEmpty))];
    const vatCodes = codes((l) => l?.vatCode);
    const ctx = await loadPostingContext(
      c,
      organizationId,
      {
        documentDate: isIsoDate(r.documentDate) ? r.documentDate : null,
        accountCodes: codes((l) => l?.accountCode),
        costUnitCodes: codes((l) => l?.costUnitCode),
        vatCodes,
        supplierAccountName: String(r.supplierAccountName ?? ''),
        idempotencyKey: r.idempotencyKey,
        reference: String(r.reference ?? ''),
        kind: entryKindOf(r),
      },
      lock,
    );
    this.cache.remember(organizationId, ctx, vatCodes);
    if (ctx.existing_id) return { existingId: ctx.existing_id };

    const problems = [...shapeProblems];
    const amountsOk = !shapeProblems.some(
      (p) => p.field?.[0] === 'lines' || p.field?.[0] === 'grossAmount',
    );
    checkInvoiceLines(ctx, r, amountsOk, problems);
    checkInvoiceBalance(r, amountsOk, problems);
    checkSupplier(ctx, r.supplierAccountName, problems);
    checkReferenceUnused(
      ctx,
      r,
      r.documentKind === 'CREDIT_NOTE' ? 'credit note' : 'invoice',
      problems,
    );
    const placement = await placeDocument(c, organizationId, ctx, r, lock, problems);
    if (problems.length > 0 || !placement || !ctx.settings) return { problems };

    const vatByCode = new Map(ctx.vat_codes.map((v) => [v.code, v]));
    const { lines, total } = planInvoiceLines(r, ctx.settings, (code) => {
      const v = vatByCode.get(code)!;
      return { rate: v.rate, reverseCharge: v.reverse_charge };
    });
    if (lines.length < 2) {
      return {
        problems: [problem('UNBALANCED', 'the invoice has no amounts to post', ['grossAmount'])],
      };
    }
    return {
      problems: [],
      entry: {
        journal: r.journal,
        kind: entryKindOf(r),
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
      },
    };
  }

  /** The fast path's plan of an invoice, or null when it is not plainly postable. */
  private planFast(organizationId: string, r: InvoicePostingRequest): FastPlan | null {
    const settings = this.cache.settingsOf(organizationId);
    if (!settings || r.lines.length === 0) return null;
    const vat = new Map<string, VatTreatment>();
    let net = new Decimal(0);
    let tax = new Decimal(0);
    for (const l of r.lines) {
      if (!nonEmpty(l.accountCode)) return null;
      const vatAmount = money(l.vatAmount);
      if (nonEmpty(l.vatCode)) {
        const treatment = this.cache.vatOf(organizationId, l.vatCode);
        if (!treatment || (treatment.reverseCharge && !vatAmount.isZero())) return null;
        vat.set(l.vatCode, treatment);
      } else if (!vatAmount.isZero()) {
        return null;
      }
      net = net.plus(l.netAmount);
      tax = tax.plus(vatAmount);
    }
    if (!net.plus(tax).equals(money(r.grossAmount))) return null;
    const { lines, total } = planInvoiceLines(r, settings, (code) => vat.get(code)!);
    if (lines.length < 2) return null;
    return {
      journal: r.journal,
      kind: entryKindOf(r),
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
}

/** A failed request of a batch as its own outcome. */
function outcomeOfError(err: unknown): InvoicePostingOutcome {
  if (err instanceof AccountingRejection) return { problems: err.problems };
  if (err instanceof AccountingTransientError || err instanceof AccountingOutcomeUnknown)
    return { error: err };
  // Anything else: it may have been written; the caller looks it up by key.
  return { error: new AccountingOutcomeUnknown((err as Error)?.message ?? String(err)) };
}
