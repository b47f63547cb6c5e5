/**
 * Plays the planned transfers into the ledger through the AccountingSystem port, exactly as the
 * transfer engine would: idempotency key = transfer id, the organization's journal and
 * closed-period policy. Transfers that happened before the accountant closed the old periods
 * and set the lock date are posted first; then the periods are closed and the lock date set;
 * then the later transfers are posted, so the period rule shifts (or blocks) them for real.
 */
import {
  AccountingRejection,
  type AccountingSystem,
  type InvoicePostingRequest,
  type PaymentPostingRequest,
} from '../accounting/accounting-system.js';
import { inParallel } from '../common/parallel.js';
import {
  invoiceEntryDescription,
  paymentEntryDescription,
  paymentReference,
} from '../modules/transfers/transfer.documents.js';
import { ExportMode } from '../modules/transfers/transfer.enums.js';
import type { DemoClock, OrgPlan, PlanInvoice, PlanTransfer } from './demo-plan-types.js';

/** What the transfer engine sends for an invoice (the lines of the transferred version). */
export function invoicePostingRequest(plan: OrgPlan, t: PlanTransfer): InvoicePostingRequest {
  const inv = t.invoice;
  const settings = plan.org.def.transferSettings;
  return {
    idempotencyKey: t.id,
    // The demo plan has no credit notes yet.
    documentKind: 'INVOICE',
    journal: settings.exportMode === ExportMode.BATCH ? 'BATCH_INVOICES' : 'ITEM_INVOICES',
    supplierAccountName: inv.supplier.accountName,
    reference: inv.invoiceNumber,
    documentDate: inv.billDate,
    closedPeriodPolicy: settings.closedPeriodPolicy,
    currency: plan.org.def.currency,
    // A correction changes the coding, never the supplier's totals.
    grossAmount: inv.grossAmount,
    description: invoiceDescription(inv),
    lines: t.lines.map((l) => ({
      accountCode: l.accountCode,
      costUnitCode: l.costUnitCode,
      vatCode: l.vatCode,
      netAmount: l.netAmount,
      vatAmount: l.vatAmount,
      description: l.description,
    })),
  };
}

export function invoiceDescription(inv: PlanInvoice): string {
  return invoiceEntryDescription(inv.supplier.def.name, inv.invoiceNumber);
}

export { paymentReference };

export function paymentPostingRequest(plan: OrgPlan, t: PlanTransfer): PaymentPostingRequest {
  const p = t.payment!;
  return {
    idempotencyKey: t.id,
    supplierAccountName: p.invoice.supplier.accountName,
    reference: paymentReference(p),
    documentDate: p.paymentDate,
    closedPeriodPolicy: plan.org.def.transferSettings.closedPeriodPolicy,
    currency: plan.org.def.currency,
    amount: p.amount,
    description: paymentEntryDescription(p.invoice.invoiceNumber),
  };
}

async function send(accounting: AccountingSystem, plan: OrgPlan, t: PlanTransfer): Promise<void> {
  const orgId = plan.org.id;
  const what = `${plan.org.def.slug} ${t.documentType.toLowerCase()} ${t.invoice.invoiceNumber}`;
  if (t.documentType === 'INVOICE' && t.expect === 'REFUSED') {
    // A coding mistake: check first, so a ledger that accepted it would not get a bogus entry.
    const problems = await accounting.validateInvoice(orgId, invoicePostingRequest(plan, t));
    if (problems.length === 0) throw new Error(`demo: expected the ledger to refuse ${what}`);
  }
  try {
    t.entry =
      t.documentType === 'INVOICE'
        ? await accounting.postInvoice(orgId, invoicePostingRequest(plan, t))
        : await accounting.postPayment(orgId, paymentPostingRequest(plan, t));
    t.status = 'TRANSFERRED';
  } catch (err) {
    if (!(err instanceof AccountingRejection)) throw err;
    t.status = 'FAILED';
    t.errors = err.problems.map((p) => ({
      code: p.code,
      message: p.message,
      ...(p.field ? { field: p.field } : {}),
    }));
  }
  const refusedAsPlanned = t.errors.length > 0 && t.errors.every((e) => e.code === t.expectCode);
  if (
    (t.status === 'TRANSFERRED') !== (t.expect === 'OK') ||
    (t.status === 'FAILED' && !refusedAsPlanned)
  ) {
    throw new Error(
      `demo: ${what} expected ${t.expect}, got ${t.status} ${JSON.stringify(t.errors)}`,
    );
  }
}

function allTransfers(plan: OrgPlan): PlanTransfer[] {
  return plan.batches
    .flatMap((b) => b.transfers)
    .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime());
}

/**
 * Posts the transfers made before the periods were closed. Documents are independent and go in
 * parallel; the transfers of one document go in the order they happened (a failed first attempt
 * before its retry), and payments after invoices.
 */
export async function postEarlyTransfers(
  accounting: AccountingSystem,
  plan: OrgPlan,
  concurrency = 6,
): Promise<void> {
  const early = allTransfers(plan).filter((t) => !t.afterLock);
  for (const type of ['INVOICE', 'PAYMENT'] as const) {
    const byDocument = new Map<string, PlanTransfer[]>();
    for (const t of early.filter((x) => x.documentType === type)) {
      const key = t.payment?.id ?? t.invoice.id;
      byDocument.set(key, [...(byDocument.get(key) ?? []), t]);
    }
    await inParallel([...byDocument.values()], concurrency, async (transfers) => {
      for (const t of transfers) await send(accounting, plan, t);
    });
  }
}

/** Closes the periods before the month two months ago and sets the accounts-payable lock date. */
export async function closeOldPeriods(
  accounting: AccountingSystem,
  orgId: string,
  clock: DemoClock,
): Promise<void> {
  const periods = await accounting.listPeriods(orgId);
  const toClose = periods.filter((p) => p.endDate < clock.closedBefore && p.status === 'OPEN');
  await inParallel(toClose, 4, async (p) => {
    await accounting.closePeriod(orgId, p.id);
  });
  await accounting.setLockDate(orgId, clock.lockDate);
}

/** Posts the transfers made after the close, in the order they happened. */
export async function postLateTransfers(
  accounting: AccountingSystem,
  plan: OrgPlan,
): Promise<void> {
  for (const t of allTransfers(plan).filter((x) => x.afterLock)) await send(accounting, plan, t);
}
