import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { serviceContext } from '../../common/service-context.js';
import type { Warning } from '../../common/payload.types.js';
import type { RequestContext } from '../../context.js';
import type { PurchaseInvoice } from './invoice.entity.js';
import {
  CreatePurchaseInvoiceInput,
  PostInvoiceInput,
  UpdatePostingInput,
} from './invoice.inputs.js';
import {
  CreatePurchaseInvoicePayload,
  PostInvoicePayload,
  UpdatePostingPayload,
} from './invoice.payloads.js';
import { createPurchaseInvoice, postInvoice, updatePosting } from './invoice.service.js';

type WithWarnings = { invoice: PurchaseInvoice | null; warnings: Warning[] };

@Resolver()
export class InvoiceMutationResolver {
  @Mutation(() => CreatePurchaseInvoicePayload, {
    description:
      'Creates a DRAFT invoice (idempotent by idempotencyKey). A likely duplicate (same supplier and invoice number, or same supplier, bill date and gross) is refused with DUPLICATE_INVOICE unless allowDuplicate.',
  })
  async createPurchaseInvoice(
    @Arg('input', () => CreatePurchaseInvoiceInput) input: CreatePurchaseInvoiceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatePurchaseInvoicePayload> {
    return runMutation<WithWarnings>(ctx, { invoice: null, warnings: [] }, (em) =>
      createPurchaseInvoice(em, serviceContext(ctx), input),
    );
  }

  @Mutation(() => UpdatePostingPayload, {
    description:
      'Replaces the posting lines; master-data problems come back as warnings. A posted invoice stays posted: its lines must keep adding up, and a change raises its postingVersion. Refused (TRANSFER_IN_PROGRESS) while a transfer of it runs.',
  })
  async updatePosting(
    @Arg('input', () => UpdatePostingInput) input: UpdatePostingInput,
    @Ctx() ctx: RequestContext,
  ): Promise<UpdatePostingPayload> {
    return runMutation<WithWarnings>(ctx, { invoice: null, warnings: [] }, (em) =>
      updatePosting(em, serviceContext(ctx), input),
    );
  }

  @Mutation(() => PostInvoicePayload, {
    description:
      'Posts the invoice once its lines add up to its totals (else UNBALANCED) and assigns its document number, gapless per organization and fiscal year of the bill date. Rejected invoices are not posted.',
  })
  async postInvoice(
    @Arg('input', () => PostInvoiceInput) input: PostInvoiceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PostInvoicePayload> {
    return runMutation<{ invoice: PurchaseInvoice | null }>(ctx, { invoice: null }, async (em) => ({
      invoice: await postInvoice(em, serviceContext(ctx), input),
    }));
  }
}
