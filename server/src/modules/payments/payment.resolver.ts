import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { readableOrganization } from '../../auth/access.js';
import { pageSize } from '../../common/connection.js';
import { formatMoney } from '../../common/money.js';
import { runMutation } from '../../common/mutation.js';
import { DecimalScalar } from '../../common/scalars.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import type { PurchaseInvoice } from '../invoices/invoice.entity.js';
import type { Payment } from './payment.entity.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { RecordPaymentInput } from './payment.inputs.js';
import { RecordPaymentPayload } from './payment.payloads.js';
import { listPayments } from './payment.queries.js';
import { paidAmount, recordPayment } from './payment.service.js';
import { PaymentConnection } from './payment.types.js';

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

@Resolver(() => PurchaseInvoiceType)
export class InvoicePaymentFieldsResolver {
  @FieldResolver(() => DecimalScalar, {
    description: 'Sum of the payments recorded for the invoice.',
  })
  async paidAmount(@Root() invoice: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return formatMoney(await paidAmount(ctx.em, invoice));
  }

  @FieldResolver(() => DecimalScalar, { description: 'Gross amount not yet paid.' })
  async openAmount(@Root() invoice: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return formatMoney((await paidAmount(ctx.em, invoice)).negated().plus(invoice.grossAmount));
  }
}
