import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { Node } from '../../common/node.js';
import { DateScalar } from '../../common/scalars.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { PaymentType } from '../payments/payment.types.js';
import {
  BatchStatus,
  ClosedPeriodPolicy,
  DocumentType,
  ExportMode,
  TransferKind,
  TransferStatus,
  TransferTrigger,
} from './transfer.enums.js';

@ObjectType('TransferError', {
  description: 'A coded reason a transfer failed, with the field at fault.',
})
export class TransferErrorType {
  @Field(() => String, {
    description:
      'ACCOUNT_NOT_FOUND, ACCOUNT_NOT_POSTABLE, COST_UNIT_INVALID, VAT_CODE_INVALID, SUPPLIER_NOT_IN_LEDGER, PERIOD_LOCKED, UNBALANCED, DUPLICATE_REFERENCE, TRANSIENT_EXHAUSTED, IN_DOUBT_LOOKUP_FAILED (still in doubt: the look-up failed and is retried), ...',
  })
  code!: string;

  @Field(() => String)
  message!: string;

  @Field(() => [String], { nullable: true })
  field!: string[] | null;
}

/** Fields read straight from the Transfer entity; relations are field resolvers. */
@ObjectType('Transfer', { implements: Node })
export class TransferType extends Node {
  @Field(() => DocumentType)
  documentType!: DocumentType;

  @Field(() => Int, { description: 'The posting version of the document this transfer moves.' })
  documentVersion!: number;

  @Field(() => TransferKind)
  kind!: TransferKind;

  @Field(() => TransferStatus)
  status!: TransferStatus;

  @Field(() => TransferTrigger)
  trigger!: TransferTrigger;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Date, { nullable: true })
  nextAttemptAt!: Date | null;

  @Field(() => DateScalar, { nullable: true, description: "The document's own date." })
  originalDate!: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'The date booked; differs when the period rule shifted it.',
  })
  postingDate!: string | null;

  @Field(() => [TransferErrorType])
  errors!: TransferErrorType[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

@ObjectType('TransferBatch', { implements: Node })
export class TransferBatchType extends Node {
  @Field(() => DocumentType)
  documentType!: DocumentType;

  @Field(() => TransferTrigger)
  trigger!: TransferTrigger;

  @Field(() => Int)
  total!: number;

  @Field(() => BatchStatus)
  status!: BatchStatus;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

@ObjectType('TransferReportItem')
export class TransferReportItemType {
  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: unknown;

  @Field(() => PaymentType, { nullable: true })
  payment!: unknown;

  @Field(() => [TransferErrorType])
  errors!: TransferErrorType[];
}

@ObjectType('TransferReport', { implements: Node })
export class TransferReportType extends Node {
  @Field(() => Date)
  createdAt!: Date;

  @Field(() => TransferTrigger)
  trigger!: TransferTrigger;

  @Field(() => Int)
  total!: number;

  @Field(() => Int, { description: 'How many documents of the run were not transferred.' })
  notTransferred!: number;
}

@ObjectType('TransferSettings')
export class TransferSettingsType {
  @Field(() => Boolean, {
    description:
      'Transfer invoices automatically when saved at a stage flagged "transferred from this step".',
  })
  autoTransferInvoices!: boolean;

  @Field(() => Boolean, {
    description: 'Transfer payments automatically once their invoice is in the ledger.',
  })
  autoTransferPayments!: boolean;

  @Field(() => ExportMode, {
    description: 'The journal invoices land in: Item Invoices or Batch Invoices.',
  })
  exportMode!: ExportMode;

  @Field(() => ClosedPeriodPolicy, {
    description:
      'What happens when the bill date falls in a closed period or on/before the lock date.',
  })
  closedPeriodPolicy!: ClosedPeriodPolicy;
}

export const TransferConnection = ConnectionType('Transfer', () => TransferType);
export const TransferReportConnection = ConnectionType('TransferReport', () => TransferReportType);
