import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantObject } from '../../common/tenant-objects.js';
import { EntryKind, Journal, PeriodStatus } from '../accounting.enums.js';
import { AccountingAdminResolver } from './accounting-admin.resolver.js';
import { entryNode, periodNode } from './accounting.mappers.js';
import { AccountingQueryResolver } from './accounting.resolver.js';

registerEnumType(Journal, { name: 'Journal' });
registerEnumType(EntryKind, { name: 'LedgerEntryKind' });
registerEnumType(PeriodStatus, { name: 'PeriodStatus' });

// Periods and entries load through the accounting port; their owner (for the audit) is the
// adapter's to register (accounting/ledger/ledger.module.ts for the built-in ledger).
registerTenantObject('AccountingPeriod', {
  async load(ctx, id, organizationIds) {
    for (const org of organizationIds) {
      const period = (await ctx.services.accounting.listPeriods(org)).find((p) => p.id === id);
      if (period) return periodNode(period);
    }
    return null;
  },
});
registerTenantObject('LedgerEntry', {
  async load(ctx, id, organizationIds) {
    for (const org of organizationIds) {
      const entry = await ctx.services.accounting.getEntry(org, id);
      if (entry) return entryNode(entry);
    }
    return null;
  },
});

export const accountingModule: ApiModule = {
  name: 'accounting',
  resolvers: [AccountingQueryResolver, AccountingAdminResolver],
};
