/** Payment postings: accounts payable debited, bank credited; fast path first, else slow. */
import {
  AccountingRejection,
  type EntryInfo,
  type PaymentPostingRequest,
} from '../accounting-system.js';
import { isIsoDate } from './dates.js';
import { planPaymentLines } from './entry-lines.js';
import type { BuiltinLedgerStats, FastPath } from './fast-path.js';
import { nonEmpty } from './ledger-rows.js';
import type { PlanningCache } from './planning-cache.js';
import { placeDocument } from './placement.js';
import { loadPostingContext } from './posting-context.js';
import { checkPaymentShape, checkReferenceUnused, checkSupplier } from './request-checks.js';
import type { SlowPath } from './slow-path.js';

export class PaymentPosting {
  constructor(
    private readonly cache: PlanningCache,
    private readonly fast: FastPath,
    private readonly slow: SlowPath,
    private readonly stats: BuiltinLedgerStats,
  ) {}

  async post(organizationId: string, r: PaymentPostingRequest): Promise<EntryInfo> {
    const shape = checkPaymentShape(organizationId, r);
    if (shape.fatal) throw new AccountingRejection(shape.problems);
    const fast = shape.problems.length === 0 ? await this.postFast(organizationId, r) : null;
    if (fast) return fast;
    this.stats.slowPath++;
    return this.slow.post(organizationId, r.idempotencyKey, async (c) => {
      const ctx = await loadPostingContext(
        c,
        organizationId,
        {
          documentDate: isIsoDate(r.documentDate) ? r.documentDate : null,
          accountCodes: [],
          costUnitCodes: [],
          vatCodes: [],
          supplierAccountName: String(r.supplierAccountName ?? ''),
          idempotencyKey: r.idempotencyKey,
          reference: String(r.reference ?? ''),
          kind: 'PAYMENT',
        },
        true,
      );
      this.cache.remember(organizationId, ctx, []);
      if (ctx.existing_id) return { existingId: ctx.existing_id };
      const problems = [...shape.problems];
      checkSupplier(ctx, r.supplierAccountName, problems);
      checkReferenceUnused(ctx, r, 'payment', problems);
      const placement = await placeDocument(c, organizationId, ctx, r, true, problems);
      if (problems.length > 0 || !placement || !ctx.settings)
        throw new AccountingRejection(problems);
      return {
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
        ...planPaymentLines(r, ctx.settings),
      };
    });
  }

  /** The payment in one fast statement, when the organization's settings are known. */
  private async postFast(
    organizationId: string,
    r: PaymentPostingRequest,
  ): Promise<EntryInfo | null> {
    const settings = this.cache.settingsOf(organizationId);
    if (!settings || !nonEmpty(r.supplierAccountName)) return null;
    return this.fast.insertOne(organizationId, settings, {
      journal: 'PAYMENTS',
      kind: 'PAYMENT',
      reference: r.reference,
      supplierAccountName: r.supplierAccountName,
      idempotencyKey: r.idempotencyKey,
      documentDate: r.documentDate,
      description: r.description ?? null,
      currency: r.currency,
      ...planPaymentLines(r, settings),
      accountCodes: [],
      costUnitCodes: [],
      vat: new Map(),
    });
  }
}
