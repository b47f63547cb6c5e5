import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../../common/payload.types.js';
import { PaymentType } from './payment.types.js';
import type { Payment } from './payment.entity.js';

@ObjectType('RecordPaymentPayload')
export class RecordPaymentPayload {
  @Field(() => PaymentType, { nullable: true })
  payment!: Payment | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
