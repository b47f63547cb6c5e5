import { Field, ID, InputType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../common/scalars.js';
import { PaymentSource } from './payment.entity.js';

@InputType('RecordPaymentInput')
export class RecordPaymentInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => DecimalScalar, {
    description: 'Positive, at most two decimals, at most the open amount.',
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
