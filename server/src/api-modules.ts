/**
 * The modules of the API, in one list. Importing a module registers its GraphQL enums, node
 * types and tenant objects (common/tenant-objects.ts); its resolvers make up the schema.
 * Add a module here.
 */
import { accountingModule } from './accounting/graphql/accounting.module.js';
import { builtinLedgerModule } from './accounting/ledger/ledger.module.js';
import type { ApiModule } from './common/api-module.js';
import { NodeResolver } from './common/node.resolver.js';
import { accountingConnectionsModule } from './modules/accounting-connections/accounting-connections.module.js';
import { apiClientsModule } from './modules/api-clients/api-clients.module.js';
import { approvalModule } from './modules/approval/approval.module.js';
import { auditModule } from './modules/audit/audit.module.js';
import { bankStatementsModule } from './modules/bank-statements/bank-statements.module.js';
import { einvoicesModule } from './modules/einvoices/einvoices.module.js';
import { invoicesModule } from './modules/invoices/invoices.module.js';
import { organizationsModule } from './modules/organizations/organizations.module.js';
import { paymentsModule } from './modules/payments/payments.module.js';
import { rateLimitsModule } from './modules/rate-limits/rate-limits.module.js';
import { suppliersModule } from './modules/suppliers/suppliers.module.js';
import { transfersModule } from './modules/transfers/transfers.module.js';
import { usersModule } from './modules/users/users.module.js';

export const API_MODULES: readonly ApiModule[] = [
  { name: 'node', resolvers: [NodeResolver] },
  usersModule,
  organizationsModule,
  apiClientsModule,
  suppliersModule,
  approvalModule,
  invoicesModule,
  paymentsModule,
  bankStatementsModule,
  einvoicesModule,
  transfersModule,
  auditModule,
  rateLimitsModule,
  accountingModule,
  builtinLedgerModule,
  accountingConnectionsModule,
];

/** Every resolver class of the API. */
export const RESOLVERS = API_MODULES.flatMap((m) => m.resolvers);
