import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { Node } from '../../common/node.js';
import { DateScalar, DecimalScalar } from '../../common/scalars.js';
import { TransferStatus } from '../transfers/transfer.enums.js';
import { InvoiceSource, InvoiceStatus } from './invoice.entity.js';
import { DocumentKind } from './invoice.enums.js';
import { InvoiceTab } from './invoice.rules.js';

@ObjectType('InvoiceLine', { implements: Node })
export class InvoiceLineType extends Node {
  @Field(() => Int)
  position!: number;

  @Field(() => String)
  accountCode!: string;

  @Field(() => String, { nullable: true })
  costUnitCode!: string | null;

  @Field(() => String)
  vatCode!: string;

  @Field(() => DecimalScalar)
  netAmount!: string;

  @Field(() => DecimalScalar)
  vatAmount!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

/** Scalar fields read straight from the entity; relations and derived fields are field resolvers. */
@ObjectType('PurchaseInvoice', { implements: Node })
export class PurchaseInvoiceType extends Node {
  @Field(() => DocumentKind, {
    description: 'Invoice or credit note; a credit note carries negative amounts.',
  })
  kind!: DocumentKind;

  @Field(() => String, {
    description: "The supplier's invoice number: the Reference in the ledger.",
  })
  invoiceNumber!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Gapless per organization and fiscal year; set when posted.',
  })
  documentNumber!: number | null;

  @Field(() => Int, { nullable: true })
  fiscalYear!: number | null;

  @Field(() => DateScalar)
  billDate!: string;

  @Field(() => DateScalar)
  dueDate!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The payment reference (Finnish or RF), normalized; bank statements match by it.',
  })
  paymentReference!: string | null;

  @Field(() => String)
  currency!: string;

  @Field(() => DecimalScalar)
  netAmount!: string;

  @Field(() => DecimalScalar)
  vatAmount!: string;

  @Field(() => DecimalScalar)
  grossAmount!: string;

  @Field(() => InvoiceStatus)
  status!: InvoiceStatus;

  @Field(() => InvoiceSource, {
    description: 'How the invoice arrived: typed in, or an e-invoice.',
  })
  source!: InvoiceSource;

  @Field(() => Boolean, { description: 'Posting lines complete and adding up to the totals.' })
  posted!: boolean;

  @Field(() => Int, { description: 'Optimistic lock: pass it back with every change.' })
  version!: number;

  @Field(() => Int, {
    description: 'Version of the posting; a transfer moves one posting version.',
  })
  postingVersion!: number;

  @Field(() => TransferStatus, { nullable: true, description: 'Status of the latest transfer.' })
  transferStatus!: TransferStatus | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType('InvoiceTabCount')
export class InvoiceTabCountType {
  @Field(() => InvoiceTab)
  tab!: InvoiceTab;

  @Field(() => Int)
  count!: number;
}

@InputType('InvoiceFilter')
export class InvoiceFilter {
  @Field(() => ID, { nullable: true })
  supplierId?: string | null;

  @Field(() => [InvoiceStatus], { nullable: true })
  status?: InvoiceStatus[] | null;

  @Field(() => DateScalar, { nullable: true })
  billDateFrom?: string | null;

  @Field(() => DateScalar, { nullable: true })
  billDateTo?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Gross amount at least.' })
  amountMin?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Gross amount at most.' })
  amountMax?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Invoice number (contains) or document number (exact).',
  })
  search?: string | null;

  @Field(() => [TransferStatus], { nullable: true })
  transferStatus?: TransferStatus[] | null;

  @Field(() => [DocumentKind], {
    nullable: true,
    description: 'Only these kinds (e.g. [CREDIT_NOTE]); all kinds when omitted.',
  })
  kind?: DocumentKind[] | null;
}

export enum InvoiceOrderField {
  BILL_DATE = 'BILL_DATE',
  DUE_DATE = 'DUE_DATE',
  GROSS_AMOUNT = 'GROSS_AMOUNT',
  CREATED_AT = 'CREATED_AT',
  INVOICE_NUMBER = 'INVOICE_NUMBER',
}

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(InvoiceOrderField, { name: 'InvoiceOrderField' });
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@InputType('InvoiceOrder')
export class InvoiceOrder {
  @Field(() => InvoiceOrderField)
  field!: InvoiceOrderField;

  @Field(() => OrderDirection)
  direction!: OrderDirection;
}

export const PurchaseInvoiceConnection = ConnectionType(
  'PurchaseInvoice',
  () => PurchaseInvoiceType,
);
