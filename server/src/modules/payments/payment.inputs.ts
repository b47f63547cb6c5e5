import { Field, ID, InputType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../common/scalars.js';
import { PaymentSource } from './payment.entity.js';

@InputType('RecordPaymentInput')
export class RecordPaymentInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => DecimalScalar, {
    description:
      "At most two decimals and at most the open amount, with the document's sign: positive for an invoice, negative for a credit note (the refund the supplier pays back).",
  })
  amount!: string;

  @Field(() => DateScalar, { description: 'The day the payment was made (not in the future).' })
  paymentDate!: string;

  @Field(() => PaymentSource)
  source!: PaymentSource;

  @Field(() => String, {
    nullable: true,
    description: 'Archive reference of the bank transaction; required for BANK_STATEMENT.',
  })
  bankReference?: string | null;

  @Field(() => String, {
    description:
      'Same key and same input → the same payment; same key, other input → IDEMPOTENCY_KEY_REUSED.',
  })
  idempotencyKey!: string;
}

@InputType('OffsetCreditNoteInput')
export class OffsetCreditNoteInput {
  @Field(() => ID, { description: 'A posted credit note with unused credit.' })
  creditNoteId!: string;

  @Field(() => ID, { description: 'A posted invoice of the same supplier and currency.' })
  invoiceId!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Positive; at most the invoice's open amount and the credit note's unused credit. Omitted: as much as both allow.",
  })
  amount?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Not in the future; omitted: today.' })
  offsetDate?: string | null;

  @Field(() => String, {
    description:
      'Same key and same input → the same offset; same key, other input → IDEMPOTENCY_KEY_REUSED.',
  })
  idempotencyKey!: string;
}
