/**
 * Setting a credit note against an invoice of the same supplier (an offset): the credit note is
 * "paid" by taking its credit off the invoice's open amount. Nothing is sent to the bank or the
 * ledger — both documents booked their side of accounts payable when transferred — so an offset
 * only closes open items, recorded in both documents' history.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import { Decimal, formatMoney } from '../../common/money.js';
import type { ServiceContext } from '../../common/service-context.js';
import { isoDate, Problems } from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { withIdempotency } from '../idempotency/idempotency.service.js';
import { InvoiceStatus, type PurchaseInvoice } from '../invoices/invoice.entity.js';
import { DocumentKind } from '../invoices/invoice.enums.js';
import { assertNotRemoved, lockInvoiceForChange } from '../invoices/invoice.service.js';
import { User } from '../users/user.entity.js';
import { CreditOffset } from './credit-offset.entity.js';
import { settlementOf } from './settlement.js';

export interface OffsetCreditNoteData {
  creditNoteId: string;
  invoiceId: string;
  /** Omitted: as much as both documents allow. */
  amount?: string | null;
  /** Omitted: today. */
  offsetDate?: string | null;
  idempotencyKey: string;
}

export interface OffsetResult {
  offset: CreditOffset;
  creditNote: PurchaseInvoice;
  invoice: PurchaseInvoice;
}

/** A document an offset may use: posted, numbered, neither rejected nor removed. */
function assertSettleable(doc: PurchaseInvoice, field: string[]): void {
  assertNotRemoved(doc, field);
  if (doc.status === InvoiceStatus.REJECTED) {
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      `${doc.invoiceNumber} is rejected: it is not settled`,
      field,
    );
  }
  if (!doc.posted || doc.documentNumber == null) {
    throw new DomainError(
      UserErrorCode.NOT_POSTED,
      `Post ${doc.invoiceNumber} first: an offset settles posted, numbered documents`,
      field,
    );
  }
}

/**
 * Records an offset (once per idempotency key). Both documents are row-locked, in id order so
 * two offsets of the same pair cannot deadlock, and neither may end up settled beyond its gross:
 * the amount is at most the invoice's open amount and at most the credit note's unused credit
 * (OVERPAYMENT otherwise).
 */
export async function offsetCreditNote(
  em: EntityManager,
  sctx: ServiceContext,
  input: OffsetCreditNoteData,
): Promise<OffsetResult> {
  const fields = { creditNoteId: ['creditNoteId'], invoiceId: ['invoiceId'] };
  const order = (['creditNoteId', 'invoiceId'] as const)
    .map((name) => ({ name, id: fromGlobalId(input[name], 'PurchaseInvoice') ?? '' }))
    .sort((x, y) => x.id.localeCompare(y.id));
  const locked: Partial<Record<'creditNoteId' | 'invoiceId', PurchaseInvoice | DomainError>> = {};
  for (const { name } of order) {
    locked[name] = await lockInvoiceForChange(
      em,
      sctx.caller,
      input[name],
      Permission.WRITE,
      fields[name],
    ).catch((err: unknown) => {
      if (err instanceof DomainError) return err;
      throw err;
    });
  }
  // Refusals in field order whatever the lock order, so an answer never depends on the ids.
  for (const name of ['creditNoteId', 'invoiceId'] as const) {
    const got = locked[name];
    if (got instanceof DomainError) throw got;
  }
  const creditNote = locked.creditNoteId as PurchaseInvoice;
  const invoice = locked.invoiceId as PurchaseInvoice;
  const organizationId = creditNote.organization.id;
  // Two organizations of one caller: the other one's document looks missing, as everywhere.
  if (invoice.organization.id !== organizationId) {
    throw new DomainError(UserErrorCode.NOT_FOUND, 'Invoice not found', fields.invoiceId);
  }
  const { result } = await withIdempotency(
    em,
    { organizationId, key: input.idempotencyKey, operation: 'offsetCreditNote', input },
    async () => {
      if (creditNote.kind !== DocumentKind.CREDIT_NOTE) {
        throw new DomainError(
          UserErrorCode.VALIDATION,
          `${creditNote.invoiceNumber} is an invoice, not a credit note`,
          fields.creditNoteId,
        );
      }
      if (invoice.kind !== DocumentKind.INVOICE) {
        throw new DomainError(
          UserErrorCode.VALIDATION,
          `${invoice.invoiceNumber} is a credit note: a credit note is set against an invoice`,
          fields.invoiceId,
        );
      }
      assertSettleable(creditNote, fields.creditNoteId);
      assertSettleable(invoice, fields.invoiceId);
      const p = new Problems();
      if (invoice.supplier.id !== creditNote.supplier.id) {
        p.add('The credit note and the invoice are of different suppliers', fields.invoiceId);
      }
      if (invoice.currency !== creditNote.currency) {
        p.add(
          `The credit note is in ${creditNote.currency}, the invoice in ${invoice.currency}`,
          fields.invoiceId,
        );
      }
      const requested =
        input.amount == null
          ? null
          : p.money(input.amount, ['amount'], { label: 'Amount', sign: 'positive' });
      const offsetDate = input.offsetDate ?? isoDate();
      if (offsetDate > isoDate(1))
        p.add(`The offset date ${offsetDate} is in the future`, ['offsetDate']);
      p.throwIfAny();

      const invoiceOpen = (await settlementOf(em, invoice)).open;
      const creditLeft = (await settlementOf(em, creditNote)).open.negated();
      const available = Decimal.min(invoiceOpen, creditLeft);
      const amount = requested ?? available;
      if (!available.gt(0) || amount.gt(available)) {
        throw new DomainError(
          UserErrorCode.OVERPAYMENT,
          `${formatMoney(invoiceOpen)} ${invoice.currency} of invoice ${invoice.invoiceNumber} is open and ${formatMoney(creditLeft)} of credit note ${creditNote.invoiceNumber} is unused: ${
            available.gt(0)
              ? `at most ${formatMoney(available)} can be offset`
              : 'nothing can be offset'
          }`,
          ['amount'],
        );
      }
      const offset = em.create(CreditOffset, {
        organization: creditNote.organization,
        creditNote,
        invoice,
        amount: formatMoney(amount),
        offsetDate,
        createdBy: sctx.caller.kind === 'user' ? em.getReference(User, sctx.caller.user.id) : null,
      });
      const common = {
        offsetId: toGlobalId('CreditOffset', offset.id),
        creditNoteId: toGlobalId('PurchaseInvoice', creditNote.id),
        invoiceId: toGlobalId('PurchaseInvoice', invoice.id),
        amount: offset.amount,
        offsetDate,
      };
      for (const [doc, role, openAfter] of [
        [invoice, 'invoice', invoiceOpen.minus(amount)],
        [creditNote, 'creditNote', creditLeft.minus(amount).negated()],
      ] as const) {
        recordAudit(em, {
          organizationId,
          action: 'invoice.offset',
          actor: actorOf(sctx.caller),
          entityType: 'CreditOffset',
          entityId: offset.id,
          invoiceId: doc.id,
          requestId: sctx.requestId,
          details: { ...common, role, openAmount: formatMoney(openAfter) },
        });
      }
      await em.flush();
      return { offsetId: offset.id };
    },
  );
  const offset = await em.findOneOrFail(CreditOffset, {
    id: result.offsetId,
    organization: organizationId,
  });
  return { offset, creditNote, invoice };
}
