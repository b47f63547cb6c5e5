/**
 * Tenant matrix rows: accounting connections (admin only) and the batched removal from accounting.
 * The connection mutations are sent so that they change nothing whoever is let in: the tenants
 * transfer into the built-in ledger, so an admin's call ends at a business rule (NOT_CONNECTED, or
 * VALIDATION for "connect the built-in ledger") — proof it passed authorization and tenancy —
 * while a foreign organization is NOT_FOUND exactly like a missing one.
 */
import { randomUUID } from 'node:crypto';
import { gid } from '../testing/factories.js';
import {
  ADMINS,
  EVERYONE,
  EXPORTERS,
  UE,
  type MatrixContext,
  type Row,
  type Target,
} from './tenant-matrix.helpers.js';

export function connectionRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, take, pools } = ctx;
  const orgOf = (t: Target) => (t === 'missing' ? missing('Organization') : tenantOf(t).orgId);
  const orgInput = (name: string) => ({
    kind: 'mutation' as const,
    allow: ADMINS,
    scoped: true,
    pastAuthorization: ['NOT_CONNECTED'],
    op: async (t: Target) => ({
      query: `mutation($i: AccountingConnectionOrganizationInput!) { ${name}(input: $i) { ${UE} } }`,
      variables: { i: { organizationId: orgOf(t) } },
    }),
  });
  return {
    accountingConnection: {
      kind: 'query',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `query($o: ID!) { accountingConnection(organizationId: $o) { id connected } }`,
        variables: { o: orgOf(t) },
      }),
    },
    accountingSystem: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($o: ID!) { accountingSystem(organizationId: $o) { id system } }`,
        variables: { o: orgOf(t) },
      }),
    },
    accountingDriftReport: {
      kind: 'query',
      allow: ADMINS,
      scoped: true,
      // No drift check has run for the tenants: null is the answer, refusals are errors.
      nullIsAnswer: true,
      op: async (t) => ({
        query: `query($o: ID!) { accountingDriftReport(organizationId: $o) { id } }`,
        variables: { o: orgOf(t) },
      }),
    },
    connectAccounting: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      pastAuthorization: ['VALIDATION'],
      op: async (t) => ({
        query: `mutation($i: ConnectAccountingInput!) { connectAccounting(input: $i) { connection { id } ${UE} } }`,
        variables: {
          i: {
            organizationId: orgOf(t),
            system: 'BUILTIN',
            endpoint: 'https://accountsiq.invalid/integration_2_0.asmx',
            entity: 'matrix',
            clientId: 'matrix',
            clientSecret: 'matrix-secret',
          },
        },
      }),
    },
    updateAccountingConnection: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      pastAuthorization: ['NOT_CONNECTED'],
      op: async (t) => ({
        query: `mutation($i: UpdateAccountingConnectionInput!) { updateAccountingConnection(input: $i) { connection { id } ${UE} } }`,
        variables: { i: { organizationId: orgOf(t), version: 1, entity: 'other' } },
      }),
    },
    testAccountingConnection: orgInput('testAccountingConnection'),
    disconnectAccounting: orgInput('disconnectAccounting'),
    refreshMasterData: orgInput('refreshMasterData'),
    runDriftCheck: orgInput('runDriftCheck'),
    removeInvoicesFromAccounting: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const id =
          t === 'missing' ? randomUUID() : await take(pools.inLedger, 'reverse-many', t, fresh);
        return {
          query: `mutation($i: RemoveInvoicesFromAccountingInput!) { removeInvoicesFromAccounting(input: $i) { batch { id } ${UE} } }`,
          variables: {
            i: {
              organizationId: orgOf(t),
              invoiceIds: [gid('PurchaseInvoice', id)],
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
  };
}
