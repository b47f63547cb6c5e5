import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { InvoiceLine, InvoiceSource, InvoiceStatus, PurchaseInvoice } from './invoice.entity.js';
import { InvoiceMutationResolver } from './invoice.mutations.resolver.js';
import { InvoiceLineResolver, InvoiceResolver } from './invoice.resolver.js';

registerEnumType(InvoiceStatus, { name: 'InvoiceStatus' });
registerEnumType(InvoiceSource, { name: 'InvoiceSource' });

registerTenantEntity('PurchaseInvoice', PurchaseInvoice);
registerTenantEntity('InvoiceLine', InvoiceLine);

export const invoicesModule: ApiModule = {
  name: 'invoices',
  resolvers: [InvoiceResolver, InvoiceLineResolver, InvoiceMutationResolver],
};
