import { Field, ObjectType } from 'type-graphql';
import { UserError, Warning } from '../../common/payload.types.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { TransferBatchType, TransferSettingsType, TransferType } from './transfer.types.js';

function exportPayloadType(name: string, idsField: string) {
  @ObjectType(name)
  class ExportPayload {
    @Field(() => TransferBatchType, {
      nullable: true,
      description: 'Null when no document was accepted.',
    })
    batch!: unknown;

    @Field(() => [TransferType], {
      description: 'One per accepted document, in the order they were listed.',
    })
    transfers!: unknown[];

    @Field(() => [UserError], {
      description: `One per refused document, with field ["${idsField}", index].`,
    })
    userErrors!: UserError[];
  }
  return ExportPayload;
}

export const ExportInvoicesPayload = exportPayloadType('ExportInvoicesPayload', 'invoiceIds');
export const ExportPaymentsPayload = exportPayloadType('ExportPaymentsPayload', 'paymentIds');
export const RemoveInvoicesFromAccountingPayload = exportPayloadType(
  'RemoveInvoicesFromAccountingPayload',
  'invoiceIds',
);

@ObjectType()
export class RetryTransferPayload {
  @Field(() => TransferType, { nullable: true })
  transfer!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RemoveInvoicePayload {
  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: unknown;

  @Field(() => TransferType, { nullable: true, description: 'The REVERSAL, when asked for.' })
  transfer!: unknown;

  @Field(() => [Warning])
  warnings!: Warning[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RemoveFromAccountingPayload {
  @Field(() => TransferType, { nullable: true })
  transfer!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class UpdateTransferSettingsPayload {
  @Field(() => TransferSettingsType, { nullable: true })
  transferSettings!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
