import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import {
  EInvoiceAttachment,
  EInvoiceDocument,
  EInvoiceFormat,
  EInvoiceState,
  VatMapping,
} from './einvoice.entity.js';
import { EInvoiceMutationResolver } from './einvoice.mutations.resolver.js';
import {
  EInvoiceDocumentResolver,
  InvoiceEInvoiceResolver,
  VatMappingResolver,
} from './einvoice.resolver.js';

registerEnumType(EInvoiceFormat, { name: 'EInvoiceFormat' });
registerEnumType(EInvoiceState, { name: 'EInvoiceState' });

registerTenantEntity('EInvoiceDocument', EInvoiceDocument);
// Attachments are read through their document and downloaded over HTTP; VAT mappings are listed.
registerTenantEntity('EInvoiceAttachment', EInvoiceAttachment, { load: false });
registerTenantEntity('VatMapping', VatMapping, { load: false });

export const einvoicesModule: ApiModule = {
  name: 'einvoices',
  resolvers: [
    EInvoiceDocumentResolver,
    InvoiceEInvoiceResolver,
    VatMappingResolver,
    EInvoiceMutationResolver,
  ],
};
