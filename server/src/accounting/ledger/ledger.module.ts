import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { LedgerEntry, LedgerPeriod } from './ledger.entities.js';

// The built-in ledger's rows carry their organization: the audit finds the owner of a named
// period or entry there. node(id) loads them through the port (accounting/graphql).
registerTenantEntity('AccountingPeriod', LedgerPeriod, { load: false });
registerTenantEntity('LedgerEntry', LedgerEntry, { load: false });

export const builtinLedgerModule: ApiModule = { name: 'builtin-ledger', resolvers: [] };
