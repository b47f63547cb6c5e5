import { Field, ID, InputType } from 'type-graphql';
import { ClosedPeriodPolicy, ExportMode } from './transfer.enums.js';

@InputType()
export class ExportInvoicesInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => [ID], { description: 'At most 500 invoices per call.' })
  invoiceIds!: string[];

  @Field(() => String, {
    description: 'Same key and same input → the same result; a new export needs a new key.',
  })
  idempotencyKey!: string;
}

@InputType()
export class ExportPaymentsInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => [ID], { description: 'At most 500 payments per call.' })
  paymentIds!: string[];

  @Field(() => String)
  idempotencyKey!: string;
}

@InputType()
export class RetryTransferInput {
  @Field(() => ID, {
    description: 'A FAILED (or CANCELLED) transfer; its document is sent again as a new transfer.',
  })
  transferId!: string;

  @Field(() => String)
  idempotencyKey!: string;
}

@InputType()
export class RemoveInvoiceInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => Boolean, {
    description:
      'Required choice for an invoice in the ledger: true posts a REVERSAL; false keeps the ledger entry (the invoice stays in accounting, and its history says so).',
  })
  alsoRemoveFromAccounting!: boolean;

  @Field(() => String)
  idempotencyKey!: string;
}

@InputType()
export class RemoveFromAccountingInput {
  @Field(() => ID, { nullable: true })
  invoiceId?: string | null;

  @Field(() => ID, { nullable: true })
  paymentId?: string | null;

  @Field(() => String)
  idempotencyKey!: string;
}

@InputType()
export class RemoveInvoicesFromAccountingInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => [ID], { description: 'At most 500 invoices per call.' })
  invoiceIds!: string[];

  @Field(() => String, {
    description: 'Same key and same input → the same result; a new call needs a new key.',
  })
  idempotencyKey!: string;
}

@InputType()
export class UpdateTransferSettingsInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => Boolean, { nullable: true })
  autoTransferInvoices?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  autoTransferPayments?: boolean | null;

  @Field(() => ExportMode, { nullable: true })
  exportMode?: ExportMode | null;

  @Field(() => ClosedPeriodPolicy, { nullable: true })
  closedPeriodPolicy?: ClosedPeriodPolicy | null;
}
