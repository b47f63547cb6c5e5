import { toGlobalId } from '../../common/ids.js';
import type { Supplier } from './supplier.entity.js';
import type { SupplierType } from './supplier.types.js';

export function supplierNode(s: Supplier): SupplierType & { __typename: 'Supplier' } {
  return {
    __typename: 'Supplier',
    id: toGlobalId('Supplier', s.id),
    name: s.name,
    accountName: s.accountName,
    businessId: s.businessId ?? null,
    vatNumber: s.vatNumber ?? null,
    peppolEndpoint: s.peppolEndpointId
      ? `${s.peppolEndpointScheme ? `${s.peppolEndpointScheme}:` : ''}${s.peppolEndpointId}`
      : null,
    iban: s.iban ?? null,
    country: s.country,
  };
}
