import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../common/scalars.js';
import { DocumentKind } from './invoice.enums.js';

@InputType('PostingLineInput', {
  description: 'One coding line: account, cost unit, VAT code and amounts.',
})
export class PostingLineInput {
  @Field(() => String)
  accountCode!: string;

  @Field(() => String, { nullable: true })
  costUnitCode?: string | null;

  @Field(() => String)
  vatCode!: string;

  @Field(() => DecimalScalar)
  netAmount!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Omit to compute it from the VAT code's rate (rounded half-up to cents; zero for reverse charge).",
  })
  vatAmount?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('CreatePurchaseInvoiceInput')
export class CreatePurchaseInvoiceInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  supplierId!: string;

  @Field(() => DocumentKind, {
    nullable: true,
    description:
      "INVOICE (the default) or CREDIT_NOTE. A credit note's amounts are negative: gross below zero, net and VAT zero or below.",
  })
  kind?: DocumentKind | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'A credit note may name the invoice it credits: an invoice of the same supplier, not removed.',
  })
  creditedInvoiceId?: string | null;

  @Field(() => String, { description: "The supplier's invoice number (1 to 100 characters)." })
  invoiceNumber!: string;

  @Field(() => DateScalar)
  billDate!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The payment reference the supplier asks for: Finnish (viitenumero) or RF creditor reference, check digits valid. Bank statements are matched by it.',
  })
  paymentReference?: string | null;

  @Field(() => DateScalar, { description: 'Not before the bill date.' })
  dueDate!: string;

  @Field(() => String, { description: 'ISO 4217 code, e.g. EUR.' })
  currency!: string;

  @Field(() => DecimalScalar, {
    description: 'Zero or more for an invoice, zero or less for a credit note.',
  })
  netAmount!: string;

  @Field(() => DecimalScalar, {
    description: 'Zero or more for an invoice, zero or less for a credit note.',
  })
  vatAmount!: string;

  @Field(() => DecimalScalar, {
    description:
      'Must equal netAmount + vatAmount: above zero for an invoice, below zero for a credit note.',
  })
  grossAmount!: string;

  @Field(() => [PostingLineInput], {
    nullable: true,
    description: 'Optional posting lines (the invoice is not posted yet).',
  })
  lines?: PostingLineInput[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Create it even though the supplier already has an invoice with this number (or this bill date and gross).',
  })
  allowDuplicate?: boolean | null;

  @Field(() => String, {
    description:
      'Same key and same input → the same invoice; same key, other input → IDEMPOTENCY_KEY_REUSED.',
  })
  idempotencyKey!: string;
}

@InputType('UpdatePostingInput')
export class UpdatePostingInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => Int, { description: 'The version you read; a stale one gives STALE_VERSION.' })
  version!: number;

  @Field(() => [PostingLineInput], {
    description: 'The new lines; they replace all current lines.',
  })
  lines!: PostingLineInput[];
}

@InputType('PostInvoiceInput')
export class PostInvoiceInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => Int)
  version!: number;
}
