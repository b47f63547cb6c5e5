import { Field, ID, ObjectType } from 'type-graphql';
import { DocumentType, TransferStatus } from './transfer.enums.js';
import { TransferErrorType } from './transfer.types.js';

@ObjectType('TransferStatusEvent', {
  description:
    'A transfer reached a status. Per transfer, events arrive in order; when a client falls behind, intermediate statuses of a transfer may be skipped, final ones never are.',
})
export class TransferStatusEventType {
  @Field(() => TransferStatus)
  status!: TransferStatus;

  @Field(() => Boolean, {
    description: 'TRANSFERRED, FAILED or CANCELLED: this transfer will not change again.',
  })
  final!: boolean;

  @Field(() => Date, { description: 'When the status was set.' })
  occurredAt!: Date;

  @Field(() => DocumentType)
  documentType!: DocumentType;

  @Field(() => ID, { nullable: true, description: 'The invoice transferred (invoice transfers).' })
  invoiceId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The payment transferred (payment transfers).' })
  paymentId!: string | null;

  @Field(() => ID, { nullable: true })
  batchId!: string | null;

  @Field(() => [TransferErrorType], {
    description: 'Why it failed, is retrying or is in doubt; empty otherwise.',
  })
  errors!: TransferErrorType[];

  @Field(() => Boolean, {
    description:
      'Sent by a resync after the server lost its event connection: the current status, maybe seen before.',
  })
  resync!: boolean;
}
