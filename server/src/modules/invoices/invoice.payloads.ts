import { Field, ObjectType } from 'type-graphql';
import { UserError, Warning } from '../../common/payload.types.js';
import type { PurchaseInvoice } from './invoice.entity.js';
import { PurchaseInvoiceType } from './invoice.types.js';

@ObjectType('CreatePurchaseInvoicePayload')
export class CreatePurchaseInvoicePayload {
  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: PurchaseInvoice | null;

  @Field(() => [Warning], {
    description: 'Posting lines that would block a transfer, or do not add up yet.',
  })
  warnings!: Warning[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('UpdatePostingPayload')
export class UpdatePostingPayload {
  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: PurchaseInvoice | null;

  @Field(() => [Warning], {
    description:
      'Unknown or non-posting accounts, invalid cost units or VAT codes, lines not adding up yet: saved anyway.',
  })
  warnings!: Warning[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('PostInvoicePayload')
export class PostInvoicePayload {
  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: PurchaseInvoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
