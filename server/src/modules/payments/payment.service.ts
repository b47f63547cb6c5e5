/**
 * Recording payments of purchase invoices. A payment needs a posted (numbered) invoice: it is
 * booked against the liability the posting creates. Approval is not required, because a payment
 * read from a bank statement is a fact that already happened and must not be lost; the transfer
 * engine sends it to the ledger only after its invoice is there.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Permission } from '../../auth/permissions.js';
import { emitDomainEvent } from '../../common/domain-events.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { toGlobalId } from '../../common/ids.js';
import { Decimal, formatMoney } from '../../common/money.js';
import { callerUserId, type ServiceContext } from '../../common/service-context.js';
import { isoDate, Problems } from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { withIdempotency } from '../idempotency/idempotency.service.js';
import { fiscalYearOf, takeDocumentNumber } from '../invoices/document-number.js';
import { DocumentSequenceKind } from '../invoices/document-sequence.entity.js';
import { InvoiceStatus, type PurchaseInvoice } from '../invoices/invoice.entity.js';
import { DocumentKind } from '../invoices/invoice.enums.js';
import { documentSign } from '../invoices/invoice.rules.js';
import { assertNotRemoved, lockInvoiceForChange } from '../invoices/invoice.service.js';
import { User } from '../users/user.entity.js';
import { Payment, PaymentSource } from './payment.entity.js';
import { settlementOf } from './settlement.js';

const BANK_REFERENCE_MAX = 200;

export interface RecordPaymentData {
  invoiceId: string;
  amount: string;
  paymentDate: string;
  source: PaymentSource;
  bankReference?: string | null;
  idempotencyKey: string;
}

/** The sum of the invoice's (not removed) payments. */
export async function paidAmount(
  em: EntityManager,
  invoice: Pick<PurchaseInvoice, 'id' | 'organization'>,
): Promise<Decimal> {
  const [row] = await em.execute<{ paid: string }[]>(
    `select coalesce(sum(amount), 0)::text as paid from payment where organization_id = ? and invoice_id = ? and removed_at is null`,
    [invoice.organization.id, invoice.id],
  );
  return new Decimal(row.paid);
}

/**
 * Records a payment (once per idempotency key) with the next number of the organization's
 * payment sequence for the payment date's fiscal year. Partial payments add up; a payment that
 * would take the total settled (paid and offset) beyond the gross amount is refused (OVERPAYMENT).
 * A credit note's payment is the supplier's refund, negative like the credit note. The invoice row
 * lock serializes concurrent payments of one invoice, so two of them cannot both fit.
 */
export async function recordPayment(
  em: EntityManager,
  sctx: ServiceContext,
  input: RecordPaymentData,
): Promise<Payment> {
  const invoice = await lockInvoiceForChange(em, sctx.caller, input.invoiceId, Permission.WRITE);
  const organizationId = invoice.organization.id;
  const { result } = await withIdempotency(
    em,
    { organizationId, key: input.idempotencyKey, operation: 'recordPayment', input },
    async () => {
      assertNotRemoved(invoice);
      if (invoice.status === InvoiceStatus.REJECTED) {
        throw new DomainError(
          UserErrorCode.INVALID_STATE,
          'The invoice is rejected: it is not to be paid',
          ['invoiceId'],
        );
      }
      if (!invoice.posted || invoice.documentNumber == null) {
        throw new DomainError(
          UserErrorCode.NOT_POSTED,
          'Post the invoice first: a payment is booked against a posted, numbered invoice',
          ['invoiceId'],
        );
      }
      const p = new Problems();
      const amount = p.money(input.amount, ['amount'], { label: 'Amount', sign: 'any' });
      const sign = documentSign(invoice.kind);
      if (amount && !amount.times(sign).gt(0)) {
        p.add(
          invoice.kind === DocumentKind.CREDIT_NOTE
            ? 'A payment of a credit note is the refund the supplier pays back: its amount is negative'
            : 'Amount must be greater than zero (a refund from the supplier is recorded on its credit note, negative)',
          ['amount'],
        );
      }
      // A payment records something that happened; a day of slack covers time zones ahead of UTC.
      if (input.paymentDate > isoDate(1))
        p.add(`The payment date ${input.paymentDate} is in the future`, ['paymentDate']);
      const bankReference = p.text(input.bankReference, ['bankReference'], {
        max: BANK_REFERENCE_MAX,
        required: false,
        label: 'Bank reference',
      });
      if (input.source === PaymentSource.BANK_STATEMENT && !(input.bankReference ?? '').trim()) {
        p.add('A payment read from a bank statement needs its bank reference', ['bankReference']);
      }
      p.throwIfAny();

      const { paid, offset, open } = await settlementOf(em, invoice);
      // Compared with the document's sign taken out: a refund may not exceed the open credit.
      if (amount!.times(sign).gt(open.times(sign))) {
        throw new DomainError(
          UserErrorCode.OVERPAYMENT,
          `Only ${formatMoney(open)} ${invoice.currency} of ${invoice.grossAmount} is still open (${formatMoney(paid)} paid${offset.isZero() ? '' : `, ${formatMoney(offset)} offset`}); ${formatMoney(amount!)} would overpay the ${invoice.kind === DocumentKind.CREDIT_NOTE ? 'credit note' : 'invoice'}`,
          ['amount'],
        );
      }

      const fiscalYear = await fiscalYearOf(sctx.accounting, organizationId, input.paymentDate);
      const documentNumber = await takeDocumentNumber(
        em,
        organizationId,
        DocumentSequenceKind.PAYMENT,
        fiscalYear,
      );
      const payment = em.create(Payment, {
        organization: invoice.organization,
        invoice,
        amount: formatMoney(amount!),
        paymentDate: input.paymentDate,
        source: input.source,
        bankReference,
        documentNumber,
        fiscalYear,
        createdBy: sctx.caller.kind === 'user' ? em.getReference(User, sctx.caller.user.id) : null,
      });
      const paidAfter = paid.plus(amount!);
      recordAudit(em, {
        organizationId,
        action: 'payment.recorded',
        actor: actorOf(sctx.caller),
        entityType: 'Payment',
        entityId: payment.id,
        invoiceId: invoice.id,
        requestId: sctx.requestId,
        details: {
          paymentId: toGlobalId('Payment', payment.id),
          amount: payment.amount,
          paymentDate: payment.paymentDate,
          source: payment.source,
          bankReference,
          documentNumber,
          fiscalYear,
          paidAmount: formatMoney(paidAfter),
          openAmount: formatMoney(open.minus(amount!)),
        },
      });
      await em.flush();
      await emitDomainEvent(em, 'payment.recorded', {
        organizationId,
        invoiceId: invoice.id,
        paymentId: payment.id,
        actor: actorOf(sctx.caller),
        userId: callerUserId(sctx.caller),
        requestId: sctx.requestId,
      });
      return { paymentId: payment.id };
    },
  );
  return em.findOneOrFail(Payment, { id: result.paymentId, organization: organizationId });
}
