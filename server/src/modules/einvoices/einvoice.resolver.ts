import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { readableOrganization } from '../../auth/access.js';
import { toGlobalId } from '../../common/ids.js';
import { DateScalar, DecimalScalar } from '../../common/scalars.js';
import { Warning } from '../../common/payload.types.js';
import type { RequestContext } from '../../context.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { User } from '../users/user.entity.js';
import { EInvoiceAttachment, EInvoiceDocument, EInvoiceState } from './einvoice.entity.js';
import {
  EInvoiceAttachmentType,
  EInvoiceDocumentType,
  EInvoiceFindingType,
  EInvoiceLineType,
  EInvoicePartyType,
  EInvoiceRuleSetType,
} from './einvoice.types.js';
import { VatMappingType } from './einvoice.payloads.js';
import { attachmentUrl, documentXmlUrl } from './einvoice-downloads.js';
import type { ParsedParty } from './mapping/parsed-einvoice.js';
import { partyKeys } from './supplier-matching.js';
import { vatMappingsOf } from './vat-mapping.service.js';

const MAX_LISTED = 200;

function partyNode(p: ParsedParty): EInvoicePartyType {
  const keys = partyKeys(p);
  return {
    name: p.name,
    endpoint: keys.endpoint
      ? `${keys.endpoint.scheme ? `${keys.endpoint.scheme}:` : ''}${keys.endpoint.value}`
      : null,
    vatNumber: keys.vatNumber,
    businessId: keys.businessId,
    legalId: p.legalId?.value ?? null,
    countryCode: p.countryCode,
  };
}

@Resolver(() => EInvoiceDocumentType)
export class EInvoiceDocumentResolver {
  @Query(() => [EInvoiceDocumentType], {
    description: `Imported e-invoices of the organization, newest first (at most ${MAX_LISTED}); state NEEDS_SUPPLIER lists those waiting for a supplier.`,
  })
  async einvoiceDocuments(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('state', () => EInvoiceState, { nullable: true }) state: EInvoiceState | null,
    @Ctx() ctx: RequestContext,
  ) {
    const org = readableOrganization(ctx.caller, organizationId);
    return ctx.em.find(
      EInvoiceDocument,
      { organization: org, ...(state ? { state } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: MAX_LISTED },
    );
  }

  @FieldResolver(() => ID)
  id(@Root() d: EInvoiceDocument) {
    return toGlobalId('EInvoiceDocument', d.id);
  }

  @FieldResolver(() => String, { description: 'BT-1 as written.' })
  invoiceNumber(@Root() d: EInvoiceDocument) {
    return d.parsed.invoiceNumber;
  }

  @FieldResolver(() => String, { description: 'INVOICE or CREDIT_NOTE, as the document says.' })
  kind(@Root() d: EInvoiceDocument) {
    return d.parsed.kind;
  }

  @FieldResolver(() => DateScalar)
  issueDate(@Root() d: EInvoiceDocument) {
    return d.parsed.issueDate;
  }

  @FieldResolver(() => DateScalar, { nullable: true })
  dueDate(@Root() d: EInvoiceDocument) {
    return d.parsed.dueDate;
  }

  @FieldResolver(() => String)
  currency(@Root() d: EInvoiceDocument) {
    return d.parsed.currency;
  }

  @FieldResolver(() => DecimalScalar, { description: 'BT-112, total with VAT, as written.' })
  grossAmount(@Root() d: EInvoiceDocument) {
    return d.parsed.grossAmount;
  }

  @FieldResolver(() => String, { nullable: true })
  paymentReference(@Root() d: EInvoiceDocument) {
    return d.parsed.paymentReference;
  }

  @FieldResolver(() => String, { nullable: true })
  iban(@Root() d: EInvoiceDocument) {
    return d.parsed.iban;
  }

  @FieldResolver(() => String, { nullable: true })
  bic(@Root() d: EInvoiceDocument) {
    return d.parsed.bic;
  }

  @FieldResolver(() => EInvoicePartyType, { description: 'The seller as the document names it.' })
  seller(@Root() d: EInvoiceDocument) {
    return partyNode(d.parsed.supplier);
  }

  @FieldResolver(() => [EInvoiceLineType])
  lines(@Root() d: EInvoiceDocument): EInvoiceLineType[] {
    return d.parsed.lines.map((l) => ({ ...l, lineId: l.id }));
  }

  @FieldResolver(() => [EInvoiceFindingType], { description: 'Warnings of the official rules.' })
  findings(@Root() d: EInvoiceDocument) {
    return d.findings;
  }

  @FieldResolver(() => [EInvoiceRuleSetType], { description: 'The rule sets run, with versions.' })
  ruleSets(@Root() d: EInvoiceDocument) {
    return d.ruleSets;
  }

  @FieldResolver(() => [Warning], {
    description: 'Mapping warnings (VAT_CODE_UNMAPPED, PAYMENT_REFERENCE_INVALID, …).',
  })
  warnings(@Root() d: EInvoiceDocument) {
    return d.mappingWarnings;
  }

  @FieldResolver(() => String, {
    description: 'GET the original XML (session cookie or API token).',
  })
  xmlUrl(@Root() d: EInvoiceDocument) {
    return documentXmlUrl(d.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Email of the user who imported it.',
  })
  async importedBy(@Root() d: EInvoiceDocument, @Ctx() ctx: RequestContext) {
    if (!d.importedBy) return null;
    return (await ctx.em.findOne(User, { id: d.importedBy.id }))?.email ?? null;
  }

  @FieldResolver(() => [EInvoiceAttachmentType])
  async attachments(
    @Root() d: EInvoiceDocument,
    @Ctx() ctx: RequestContext,
  ): Promise<EInvoiceAttachmentType[]> {
    const rows = await ctx.em.find(
      EInvoiceAttachment,
      { organization: d.organization.id, document: d.id },
      { orderBy: { position: 'asc' } },
    );
    return rows.map((a) => ({
      id: toGlobalId('EInvoiceAttachment', a.id),
      filename: a.filename ?? null,
      mimeType: a.mimeType,
      description: a.description ?? null,
      byteSize: a.byteSize,
      downloadUrl: attachmentUrl(a.id),
    }));
  }

  @FieldResolver(() => PurchaseInvoiceType, { nullable: true })
  async invoice(@Root() d: EInvoiceDocument, @Ctx() ctx: RequestContext) {
    if (!d.invoice) return null;
    return ctx.em.findOne(PurchaseInvoice, { id: d.invoice.id, organization: d.organization.id });
  }
}

@Resolver(() => PurchaseInvoiceType)
export class InvoiceEInvoiceResolver {
  @FieldResolver(() => EInvoiceDocumentType, {
    nullable: true,
    description: 'The e-invoice the invoice was imported from, with its original and findings.',
  })
  async einvoice(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return ctx.em.findOne(EInvoiceDocument, { organization: inv.organization.id, invoice: inv.id });
  }
}

@Resolver(() => VatMappingType)
export class VatMappingResolver {
  @Query(() => [VatMappingType], {
    description: "The organization's VAT codes for e-invoice VAT categories and rates.",
  })
  async vatMappings(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<VatMappingType[]> {
    const org = readableOrganization(ctx.caller, organizationId);
    return (await vatMappingsOf(ctx.em, org)).map((m) => ({
      id: toGlobalId('VatMapping', m.id),
      category: m.category,
      rate: m.rate,
      vatCode: m.vatCode,
    }));
  }
}
