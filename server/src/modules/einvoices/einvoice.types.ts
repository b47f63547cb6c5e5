import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.js';
import { DecimalScalar } from '../../common/scalars.js';
import { EInvoiceFormat, EInvoiceState } from './einvoice.entity.js';

@ObjectType('EInvoiceFinding', {
  description: 'A rule of the official rule sets the document broke.',
})
export class EInvoiceFindingType {
  @Field(() => String, { description: 'e.g. en16931-ubl, peppol-bis3-ubl' })
  ruleSet!: string;

  @Field(() => String, { description: 'e.g. BR-CO-15, PEPPOL-EN16931-R001' })
  ruleId!: string;

  @Field(() => String, { description: 'fatal, warning or information' })
  flag!: string;

  @Field(() => String)
  message!: string;

  @Field(() => String, { description: 'XPath of the offending element.' })
  location!: string;
}

@ObjectType('EInvoiceRuleSet')
export class EInvoiceRuleSetType {
  @Field(() => String)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  version!: string;
}

@ObjectType('EInvoiceParty', { description: 'A party as the e-invoice names it.' })
export class EInvoicePartyType {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: 'Peppol endpoint as scheme:id.' })
  endpoint!: string | null;

  @Field(() => String, { nullable: true })
  vatNumber!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Finnish business id, when one can be read.',
  })
  businessId!: string | null;

  @Field(() => String, { nullable: true })
  legalId!: string | null;

  @Field(() => String, { nullable: true })
  countryCode!: string | null;
}

@ObjectType('EInvoiceLine', {
  description: 'A line as the e-invoice has it, with the VAT code it maps to.',
})
export class EInvoiceLineType {
  @Field(() => String)
  lineId!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  quantity!: string | null;

  @Field(() => String, { nullable: true })
  unitCode!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  unitPrice!: string | null;

  @Field(() => DecimalScalar)
  netAmount!: string;

  @Field(() => String, { nullable: true })
  vatCategory!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  vatRate!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Null: no VAT mapping for the category and rate.',
  })
  vatCode!: string | null;
}

@ObjectType('EInvoiceAttachment', { implements: Node })
export class EInvoiceAttachmentType extends Node {
  @Field(() => String, { nullable: true })
  filename!: string | null;

  @Field(() => String)
  mimeType!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Int)
  byteSize!: number;

  @Field(() => String, { description: 'GET it with the session cookie or the API token.' })
  downloadUrl!: string;
}

@ObjectType('EInvoiceDocument', {
  implements: Node,
  description: 'An imported e-invoice: the original, how it was validated, what it became.',
})
export class EInvoiceDocumentType extends Node {
  @Field(() => EInvoiceFormat)
  format!: EInvoiceFormat;

  @Field(() => EInvoiceState)
  state!: EInvoiceState;

  @Field(() => String, { nullable: true })
  filename!: string | null;

  @Field(() => String, { description: 'Hex sha256 of the bytes received.' })
  sha256!: string;

  @Field(() => Int)
  byteSize!: number;

  @Field(() => Date, { description: 'When it was imported.' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'An API token or the command line.' })
  importedVia!: string | null;
}
