/**
 * Audit rows for the ledger's administration, raised as domain events by
 * accounting/graphql/accounting-admin.service.ts and written in its transaction.
 */
import { onDomainEvent } from '../../common/domain-events.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { actorOf, recordAudit } from './audit.service.js';

onDomainEvent(
  'ledger.entry_moved',
  async (em, { organizationId, before, after, caller, requestId }) => {
    // The move shows in the history of the invoice whose entry (or whose payment's entry) it is.
    const invoice = await em.findOne(PurchaseInvoice, {
      organization: organizationId,
      ledgerEntryId: after.id,
    });
    const payment = invoice
      ? null
      : await em.findOne(Payment, { organization: organizationId, ledgerEntryId: after.id });
    recordAudit(em, {
      organizationId,
      action: 'ledger.entry_moved',
      actor: actorOf(caller),
      entityType: 'LedgerEntry',
      entityId: after.id,
      invoiceId: invoice?.id ?? payment?.invoice.id ?? null,
      details: {
        entryId: after.id,
        fromPeriod: before.period.name,
        fromPostingDate: before.postingDate,
        toPeriod: after.period.name,
        postingDate: after.postingDate,
      },
      requestId,
    });
  },
);

onDomainEvent(
  'ledger.lock_date_set',
  async (em, { organizationId, before, after, caller, requestId }) => {
    recordAudit(em, {
      organizationId,
      action: 'ledger.lock_date_set',
      actor: actorOf(caller),
      entityType: 'Organization',
      entityId: organizationId,
      details: { before, after },
      requestId,
    });
  },
);

for (const action of ['ledger.period_closed', 'ledger.period_reopened'] as const) {
  onDomainEvent(action, async (em, { organizationId, period, caller, requestId }) => {
    recordAudit(em, {
      organizationId,
      action,
      actor: actorOf(caller),
      entityType: 'AccountingPeriod',
      entityId: period.id,
      details: { period: period.name },
      requestId,
    });
  });
}
