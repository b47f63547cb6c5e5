import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { Supplier } from './supplier.entity.js';
import { supplierNode } from './supplier.mappers.js';
import { SupplierResolver } from './supplier.resolver.js';

registerTenantEntity('Supplier', Supplier, {
  async load(ctx, id, organizationIds) {
    const s = await ctx.em.findOne(Supplier, { id, organization: { $in: organizationIds } });
    return s && supplierNode(s);
  },
});

export const suppliersModule: ApiModule = { name: 'suppliers', resolvers: [SupplierResolver] };
