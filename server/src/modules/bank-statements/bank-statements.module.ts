import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import {
  BankAccount,
  BankEntryDirection,
  BankEntryMatchState,
  BankStatement,
  BankStatementEntry,
  BankStatementKind,
} from './bank-statement.entity.js';
import { BankStatementMutationResolver } from './bank-statement.mutations.resolver.js';
import {
  BankAccountResolver,
  BankStatementEntryResolver,
  BankStatementResolver,
} from './bank-statement.resolver.js';

registerEnumType(BankStatementKind, { name: 'BankStatementKind' });
registerEnumType(BankEntryMatchState, { name: 'BankEntryMatchState' });
registerEnumType(BankEntryDirection, { name: 'BankEntryDirection' });

registerTenantEntity('BankAccount', BankAccount);
registerTenantEntity('BankStatement', BankStatement);
registerTenantEntity('BankStatementEntry', BankStatementEntry);

export const bankStatementsModule: ApiModule = {
  name: 'bank-statements',
  resolvers: [
    BankStatementResolver,
    BankStatementEntryResolver,
    BankAccountResolver,
    BankStatementMutationResolver,
  ],
};
