import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { ApiClient, ApiScope } from './api-client.entity.js';
import { ApiTokenResolver } from './api-client.resolver.js';

registerEnumType(ApiScope, {
  name: 'ApiScope',
  valuesConfig: {
    READ: { description: 'read everything of the organization' },
    WRITE: { description: 'create invoices, posting, circulation, payments' },
    EXPORT: { description: 'transfer to accounting' },
    ADMIN: { description: 'settings, approval processes, periods, tokens' },
  },
});

// Named by mutations (the audit finds its organization), not fetchable by node(id).
registerTenantEntity('ApiClient', ApiClient, { load: false });

export const apiClientsModule: ApiModule = { name: 'api-clients', resolvers: [ApiTokenResolver] };
