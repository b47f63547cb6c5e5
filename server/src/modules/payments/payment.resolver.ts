import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { entryNode } from '../../accounting/graphql/accounting.mappers.js';
import { LedgerEntryType } from '../../accounting/graphql/accounting.types.js';
import { readableOrganization } from '../../auth/access.js';
import { pageSize } from '../../common/connection.js';
import { toGlobalId } from '../../common/ids.js';
import { runMutation } from '../../common/mutation.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import type { Payment } from './payment.entity.js';
import { RecordPaymentInput } from './payment.inputs.js';
import { RecordPaymentPayload } from './payment.payloads.js';
import { listPayments } from './payment.queries.js';
import { recordPayment } from './payment.service.js';
import { PaymentConnection, PaymentType } from './payment.types.js';

@Resolver()
export class PaymentResolver {
  @Query(() => PaymentConnection, {
    description: "The organization's payments, newest payment date first.",
  })
  async payments(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return listPayments(
      ctx.em,
      readableOrganization(ctx.caller, organizationId),
      pageSize(first),
      after,
    );
  }

  @Mutation(() => RecordPaymentPayload, {
    description:
      'Records a (partial) payment and numbers it in the payment sequence (idempotent by idempotencyKey). The invoice must be posted (NOT_POSTED otherwise), not rejected or removed; approval is not required, as a payment read from a bank statement has already happened. Payments never exceed the gross amount (OVERPAYMENT).',
  })
  async recordPayment(
    @Arg('input', () => RecordPaymentInput) input: RecordPaymentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RecordPaymentPayload> {
    return runMutation<{ payment: Payment | null }>(ctx, { payment: null }, async (em) => ({
      payment: await recordPayment(em, serviceContext(ctx), input),
    }));
  }
}

@Resolver(() => PaymentType)
export class PaymentFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() p: Payment) {
    return toGlobalId('Payment', p.id);
  }

  @FieldResolver(() => PurchaseInvoiceType)
  async invoice(@Root() p: Payment, @Ctx() ctx: RequestContext) {
    const invoice = await ctx.loaders.invoice.load(p.invoice.id);
    return invoice?.organization.id === p.organization.id ? invoice : null;
  }

  @FieldResolver(() => LedgerEntryType, { nullable: true })
  async ledgerEntry(@Root() p: Payment, @Ctx() ctx: RequestContext) {
    if (!p.ledgerEntryId) return null;
    const entry = await ctx.loaders.ledgerEntry.load(`${p.organization.id}:${p.ledgerEntryId}`);
    return entry ? entryNode(entry) : null;
  }
}
