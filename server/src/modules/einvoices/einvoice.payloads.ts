import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { UserError, Warning } from '../../common/payload.types.js';
import type { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { SupplierType } from '../suppliers/supplier.types.js';
import type { EInvoiceDocument } from './einvoice.entity.js';
import { EInvoiceDocumentType, EInvoiceFindingType } from './einvoice.types.js';
import type { RuleFinding } from './validation/schematron.js';

export enum EInvoiceImportOutcome {
  /** A new invoice or credit note was created. */
  CREATED = 'CREATED',
  /** These bytes were imported before: the existing document and invoice, nothing new. */
  DUPLICATE = 'DUPLICATE',
  /** Stored, but no supplier matches the seller: createSupplierFromEInvoice. */
  NEEDS_SUPPLIER = 'NEEDS_SUPPLIER',
  /** A fatal rule failed or the document could not be read: nothing was written. */
  REJECTED = 'REJECTED',
}
registerEnumType(EInvoiceImportOutcome, { name: 'EInvoiceImportOutcome' });

@ObjectType('ImportEInvoicePayload')
export class ImportEInvoicePayload {
  @Field(() => EInvoiceImportOutcome)
  outcome!: EInvoiceImportOutcome;

  @Field(() => EInvoiceDocumentType, { nullable: true })
  document!: EInvoiceDocument | null;

  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: PurchaseInvoice | null;

  @Field(() => String, {
    nullable: true,
    description: 'How the supplier was recognized: PEPPOL_ENDPOINT, VAT_NUMBER or BUSINESS_ID.',
  })
  supplierMatchedBy!: string | null;

  @Field(() => [EInvoiceFindingType], {
    description:
      'Every finding of the official rules: the fatal ones when REJECTED, else warnings.',
  })
  findings!: RuleFinding[];

  @Field(() => [Warning], { description: 'Mapping and posting warnings (e.g. VAT_CODE_UNMAPPED).' })
  warnings!: Warning[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('CreateSupplierFromEInvoicePayload')
export class CreateSupplierFromEInvoicePayload {
  @Field(() => EInvoiceDocumentType, { nullable: true })
  document!: EInvoiceDocument | null;

  @Field(() => SupplierType, { nullable: true })
  supplier!: SupplierType | null;

  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: PurchaseInvoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('VatMapping')
export class VatMappingType {
  @Field(() => String)
  id!: string;

  @Field(() => String)
  category!: string;

  @Field(() => String, { description: 'Percent, normalized (25.5, 0).' })
  rate!: string;

  @Field(() => String)
  vatCode!: string;
}

@ObjectType('SetVatMappingPayload')
export class SetVatMappingPayload {
  @Field(() => VatMappingType, { nullable: true })
  vatMapping!: VatMappingType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('RemoveVatMappingPayload')
export class RemoveVatMappingPayload {
  @Field(() => Boolean)
  removed!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
