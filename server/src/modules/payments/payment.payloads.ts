import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../../common/payload.types.js';
import type { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import type { CreditOffset } from './credit-offset.entity.js';
import { CreditOffsetType, PaymentType } from './payment.types.js';
import type { Payment } from './payment.entity.js';

@ObjectType('RecordPaymentPayload')
export class RecordPaymentPayload {
  @Field(() => PaymentType, { nullable: true })
  payment!: Payment | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('OffsetCreditNotePayload')
export class OffsetCreditNotePayload {
  @Field(() => CreditOffsetType, { nullable: true })
  offset!: CreditOffset | null;

  @Field(() => PurchaseInvoiceType, { nullable: true, description: 'The credit note, after.' })
  creditNote!: PurchaseInvoice | null;

  @Field(() => PurchaseInvoiceType, { nullable: true, description: 'The invoice, after.' })
  invoice!: PurchaseInvoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
