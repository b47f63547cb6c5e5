import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { Node } from '../../common/node.js';
import { DateScalar, DecimalScalar } from '../../common/scalars.js';
import { TransferStatus } from '../transfers/transfer.enums.js';
import { PaymentSource } from './payment.entity.js';

@ObjectType('Payment', { implements: Node })
export class PaymentType extends Node {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DateScalar)
  paymentDate!: string;

  @Field(() => PaymentSource)
  source!: PaymentSource;

  @Field(() => String, { nullable: true })
  bankReference!: string | null;

  @Field(() => Int)
  documentNumber!: number;

  @Field(() => Int)
  fiscalYear!: number;

  @Field(() => TransferStatus, { nullable: true })
  transferStatus!: TransferStatus | null;

  @Field(() => Date)
  createdAt!: Date;
}

export const PaymentConnection = ConnectionType('Payment', () => PaymentType);

@ObjectType('CreditOffset', {
  implements: Node,
  description:
    'A credit note set against an invoice of the same supplier: settles `amount` of both. Posts nothing to the bank or the ledger.',
})
export class CreditOffsetType extends Node {
  @Field(() => DecimalScalar, { description: 'Positive: taken off the invoice and the credit.' })
  amount!: string;

  @Field(() => DateScalar)
  offsetDate!: string;

  @Field(() => Date)
  createdAt!: Date;
}
