import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { serviceContext } from '../../common/service-context.js';
import { toGlobalId } from '../../common/ids.js';
import type { RequestContext } from '../../context.js';
import { supplierNode } from '../suppliers/supplier.mappers.js';
import {
  CreateSupplierFromEInvoiceInput,
  ImportEInvoiceInput,
  RemoveVatMappingInput,
  SetVatMappingInput,
} from './einvoice.inputs.js';
import {
  CreateSupplierFromEInvoicePayload,
  ImportEInvoicePayload,
  RemoveVatMappingPayload,
  SetVatMappingPayload,
} from './einvoice.payloads.js';
import { createSupplierFromEInvoice } from './einvoice-invoice.js';
import { importEInvoiceAndLoad } from './einvoice-import.payload.js';
import { removeVatMapping, setVatMapping } from './vat-mapping.service.js';

@Resolver()
export class EInvoiceMutationResolver {
  @Mutation(() => ImportEInvoicePayload, {
    description:
      'Imports a Peppol BIS Billing 3.0 / EN 16931 UBL Invoice or CreditNote: guarded (size, no DOCTYPE), validated with the official Schematron rules (a fatal finding → REJECTED, nothing written; warnings are kept), stored with its attachments, its supplier matched by Peppol endpoint, VAT number or business id, and the invoice created as a DRAFT (source PEPPOL). The same bytes again → DUPLICATE with the existing invoice; the same supplier and number → DUPLICATE_INVOICE. No matching supplier → NEEDS_SUPPLIER. Finvoice → UNSUPPORTED_FORMAT. Needs ACCOUNTANT or ADMIN (tokens: write).',
  })
  async importEInvoice(
    @Arg('input', () => ImportEInvoiceInput) input: ImportEInvoiceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ImportEInvoicePayload> {
    return importEInvoiceAndLoad(ctx, input);
  }

  @Mutation(() => CreateSupplierFromEInvoicePayload, {
    description:
      'For an e-invoice in NEEDS_SUPPLIER: creates the supplier as the document names it (name, VAT number, business id, Peppol endpoint, IBAN) and then its invoice.',
  })
  async createSupplierFromEInvoice(
    @Arg('input', () => CreateSupplierFromEInvoiceInput) input: CreateSupplierFromEInvoiceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateSupplierFromEInvoicePayload> {
    return runMutation<Omit<CreateSupplierFromEInvoicePayload, 'userErrors'>>(
      ctx,
      { document: null, supplier: null, invoice: null },
      async (em) => {
        const r = await createSupplierFromEInvoice(em, serviceContext(ctx), input.documentId);
        return { ...r, supplier: supplierNode(r.supplier) };
      },
    );
  }

  @Mutation(() => SetVatMappingPayload, {
    description:
      'Sets the VAT code e-invoice lines of a VAT category and rate get (replacing an existing one). Needs ADMIN.',
  })
  async setVatMapping(
    @Arg('input', () => SetVatMappingInput) input: SetVatMappingInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SetVatMappingPayload> {
    return runMutation<Omit<SetVatMappingPayload, 'userErrors'>>(
      ctx,
      { vatMapping: null },
      async (em) => {
        const m = await setVatMapping(em, serviceContext(ctx), input);
        return {
          vatMapping: {
            id: toGlobalId('VatMapping', m.id),
            category: m.category,
            rate: m.rate,
            vatCode: m.vatCode,
          },
        };
      },
    );
  }

  @Mutation(() => RemoveVatMappingPayload, { description: 'Removes a VAT mapping. Needs ADMIN.' })
  async removeVatMapping(
    @Arg('input', () => RemoveVatMappingInput) input: RemoveVatMappingInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RemoveVatMappingPayload> {
    return runMutation<Omit<RemoveVatMappingPayload, 'userErrors'>>(
      ctx,
      { removed: false },
      async (em) => ({
        removed: await removeVatMapping(em, serviceContext(ctx), input),
      }),
    );
  }
}
