import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import { formatMoney } from '../../common/money.js';
import { runMutation } from '../../common/mutation.js';
import { DecimalScalar } from '../../common/scalars.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { SupplierType } from '../suppliers/supplier.types.js';
import { CreditOffset } from './credit-offset.entity.js';
import { offsetCreditNote, type OffsetResult } from './credit-offset.service.js';
import { OffsetCreditNoteInput } from './payment.inputs.js';
import { OffsetCreditNotePayload } from './payment.payloads.js';
import { CreditOffsetType } from './payment.types.js';
import { settlementOf, supplierOpenAmount } from './settlement.js';

@Resolver(() => CreditOffsetType)
export class CreditOffsetResolver {
  @Mutation(() => OffsetCreditNotePayload, {
    description:
      "Sets a posted credit note against a posted invoice of the same supplier and currency (idempotent by idempotencyKey): both open amounts shrink by the amount, which is at most the invoice's open amount and the credit note's unused credit (OVERPAYMENT otherwise). Nothing is posted to the bank or the ledger.",
  })
  async offsetCreditNote(
    @Arg('input', () => OffsetCreditNoteInput) input: OffsetCreditNoteInput,
    @Ctx() ctx: RequestContext,
  ): Promise<OffsetCreditNotePayload> {
    return runMutation<{ [K in keyof OffsetResult]: OffsetResult[K] | null }>(
      ctx,
      { offset: null, creditNote: null, invoice: null },
      (em) => offsetCreditNote(em, serviceContext(ctx), input),
    );
  }

  @FieldResolver(() => ID)
  id(@Root() o: CreditOffset) {
    return toGlobalId('CreditOffset', o.id);
  }

  @FieldResolver(() => PurchaseInvoiceType)
  async creditNote(@Root() o: CreditOffset, @Ctx() ctx: RequestContext) {
    return ctx.em.findOne(PurchaseInvoice, {
      id: o.creditNote.id,
      organization: o.organization.id,
    });
  }

  @FieldResolver(() => PurchaseInvoiceType)
  async invoice(@Root() o: CreditOffset, @Ctx() ctx: RequestContext) {
    return ctx.em.findOne(PurchaseInvoice, { id: o.invoice.id, organization: o.organization.id });
  }
}

/** The settlement fields of a document: its offsets, and its open amount net of them. */
@Resolver(() => PurchaseInvoiceType)
export class InvoiceSettlementResolver {
  @FieldResolver(() => [CreditOffsetType], {
    description:
      'Offsets this document takes part in (as the invoice or as the credit note), oldest first.',
  })
  async offsets(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return ctx.em.find(
      CreditOffset,
      {
        organization: inv.organization.id,
        removedAt: null,
        $or: [{ invoice: inv.id }, { creditNote: inv.id }],
      },
      { orderBy: { offsetDate: 'asc', createdAt: 'asc' } },
    );
  }

  @FieldResolver(() => DecimalScalar, {
    description:
      "Settled by offsets, with the document's sign: positive on an invoice, negative on a credit note. gross = paid + offset + open.",
  })
  async offsetAmount(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return formatMoney((await this.settlement(inv, ctx)).offset);
  }

  @FieldResolver(() => DecimalScalar, {
    description:
      "Gross amount not yet settled by payments or offsets, with the document's sign: a credit note's open amount is negative (credit still to use or to be refunded).",
  })
  async openAmount(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return formatMoney((await this.settlement(inv, ctx)).open);
  }

  /** One statement for the page's documents (the resolver runs per row). */
  private async settlement(inv: PurchaseInvoice, ctx: RequestContext) {
    return (
      (await ctx.loaders.settlement.load(`${inv.organization.id}:${inv.id}`)) ??
      settlementOf(ctx.em, inv)
    );
  }
}

@Resolver(() => SupplierType)
export class SupplierBalanceResolver {
  @FieldResolver(() => DecimalScalar, {
    description:
      'Sum of the open amounts of its posted documents (not rejected or removed): what is still owed to the supplier, negative when its credit notes outweigh its invoices.',
  })
  async openAmount(@Root() s: SupplierType, @Ctx() ctx: RequestContext) {
    // The node was read within the caller's organizations; its id names the supplier.
    const id = fromGlobalId(s.id, 'Supplier');
    return formatMoney(id ? await supplierOpenAmount(ctx.em, id) : 0);
  }
}
