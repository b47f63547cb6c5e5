import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../common/errors.js';
import { toGlobalId } from '../../common/ids.js';
import type { ServiceContext } from '../../common/service-context.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { PaymentSource } from '../payments/payment.entity.js';
import { recordPayment } from '../payments/payment.service.js';
import { BankEntryPayment, BankStatementEntry } from './bank-statement.entity.js';

/**
 * Records the payments an entry makes, through the payment service (so the numbering, the
 * overpayment rule, the audit and the automatic transfer of payments apply as for any payment)
 * and links them to the entry. With `savepoint`, a refused payment rolls back only this entry's
 * payments and its reason is returned (the import goes on and queues the entry); without, the
 * refusal propagates (a user's confirm/assign fails as a whole).
 */
export async function recordEntryPayments(
  em: EntityManager,
  sctx: ServiceContext,
  entry: BankStatementEntry,
  allocations: { invoiceId: string; amount: string }[],
  opts: { savepoint: boolean },
): Promise<string | null> {
  const work = async (tem: EntityManager) => {
    for (const [n, a] of allocations.entries()) {
      const payment = await recordPayment(tem, sctx, {
        invoiceId: toGlobalId('PurchaseInvoice', a.invoiceId),
        amount: a.amount,
        paymentDate: entry.valueDate ?? entry.bookingDate ?? new Date().toISOString().slice(0, 10),
        source: PaymentSource.BANK_STATEMENT,
        bankReference: entry.accountServicerReference ?? entry.entryKey,
        // Unique per entry and allocation: the payment service's own replay protection.
        idempotencyKey: `bank-entry:${entry.id}:${n}`,
      });
      tem.create(BankEntryPayment, {
        organization: entry.organization,
        entry: tem.getReference(BankStatementEntry, entry.id),
        invoice: tem.getReference(PurchaseInvoice, a.invoiceId),
        payment,
        amount: payment.amount,
      });
    }
    await tem.flush();
  };
  if (!opts.savepoint) {
    await work(em);
    return null;
  }
  try {
    await em.transactional(work);
    return null;
  } catch (err) {
    if (err instanceof DomainError) return err.message;
    throw err;
  }
}
