import { Field, ID, InputType } from 'type-graphql';
import { DecimalScalar } from '../../common/scalars.js';

@InputType('ImportEInvoiceInput')
export class ImportEInvoiceInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String, {
    description:
      'The e-invoice XML: UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0 / EN 16931), at most 10 MiB; no DOCTYPE or entities.',
  })
  document!: string;

  @Field(() => String, { nullable: true, description: 'The file name, kept with the original.' })
  filename?: string | null;

  @Field(() => String, {
    description:
      'Same key and same document → the same result; same key, other document → IDEMPOTENCY_KEY_REUSED.',
  })
  idempotencyKey!: string;
}

@InputType('CreateSupplierFromEInvoiceInput')
export class CreateSupplierFromEInvoiceInput {
  @Field(() => ID, { description: 'An EInvoiceDocument in state NEEDS_SUPPLIER.' })
  documentId!: string;
}

@InputType('SetVatMappingInput')
export class SetVatMappingInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String, { description: 'UNCL 5305 VAT category: S, Z, E, AE, K, G, O, L or M.' })
  category!: string;

  @Field(() => DecimalScalar, {
    description: 'Percent, e.g. 25.5 (0 for categories without a rate).',
  })
  rate!: string;

  @Field(() => String, { description: 'The VAT code of the ledger the lines get.' })
  vatCode!: string;
}

@InputType('RemoveVatMappingInput')
export class RemoveVatMappingInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  category!: string;

  @Field(() => DecimalScalar)
  rate!: string;
}
