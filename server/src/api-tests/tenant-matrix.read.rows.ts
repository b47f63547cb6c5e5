/** Tenant matrix rows: every query. */

import {
  ADMINS,
  EVERYONE,
  type MatrixContext,
  type Row,
  type Target,
} from './tenant-matrix.helpers.js';

export function readRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, approved } = ctx;
  return {
    // ---- queries ------------------------------------------------------------------------------
    viewer: {
      kind: 'query',
      allow: EVERYONE,
      scoped: false,
      op: async () => ({ query: `{ viewer { organizations { id } } }`, variables: {} }),
    },
    rateLimit: {
      kind: 'query',
      allow: 'public',
      scoped: false,
      op: async () => ({ query: `{ rateLimit { limit remaining } }`, variables: {} }),
    },
    node: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($id: ID!) { node(id: $id) { id } }`,
        variables: {
          id: t === 'missing' ? missing('PurchaseInvoice') : (await approved(t, false)).id,
        },
      }),
    },
    invoice: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($id: ID!) { invoice(id: $id) { id invoiceNumber } }`,
        variables: {
          id: t === 'missing' ? missing('PurchaseInvoice') : (await approved(t, false)).id,
        },
      }),
    },
    ...Object.fromEntries(
      (
        [
          ['accountingPeriods', `accountingPeriods(organizationId: $org) { id }`, EVERYONE],
          ['approvalProcesses', `approvalProcesses(organizationId: $org) { id }`, EVERYONE],
          ['invoiceTabCounts', `invoiceTabCounts(organizationId: $org) { tab count }`, EVERYONE],
          [
            'invoices',
            `invoices(organizationId: $org, tab: ALL, first: 1) { totalCount nodes { id } }`,
            EVERYONE,
          ],
          [
            'ledgerEntries',
            `ledgerEntries(organizationId: $org, first: 1) { totalCount }`,
            EVERYONE,
          ],
          ['lockDate', `lockDate(organizationId: $org)`, EVERYONE],
          ['masterData', `masterData(organizationId: $org) { vatCodes { code } }`, EVERYONE],
          ['payments', `payments(organizationId: $org, first: 1) { totalCount }`, EVERYONE],
          ['suppliers', `suppliers(organizationId: $org, first: 1) { totalCount }`, EVERYONE],
          [
            'transferReports',
            `transferReports(organizationId: $org, first: 1) { totalCount }`,
            EVERYONE,
          ],
          ['transferSettings', `transferSettings(organizationId: $org) { exportMode }`, EVERYONE],
          ['transfers', `transfers(organizationId: $org, first: 1) { totalCount }`, EVERYONE],
          ['bankAccounts', `bankAccounts(organizationId: $org) { id identifier }`, EVERYONE],
          [
            'bankStatements',
            `bankStatements(organizationId: $org, first: 1) { totalCount nodes { id } }`,
            EVERYONE,
          ],
          [
            'bankEntryQueue',
            `bankEntryQueue(organizationId: $org, first: 1) { totalCount nodes { id } }`,
            EVERYONE,
          ],
          [
            'apiTokens',
            `apiTokens(organizationId: $org, first: 1) { totalCount nodes { id name } }`,
            ADMINS,
          ],
          [
            'members',
            `members(organizationId: $org, first: 1) { totalCount nodes { role user { id } } }`,
            ADMINS,
          ],
        ] as const
      ).map(([name, selection, allow]) => [
        name,
        {
          kind: 'query',
          allow: [...allow],
          scoped: true,
          op: async (t: Target) => ({
            query: `query($org: ID!) { ${selection} }`,
            variables: { org: t === 'missing' ? missing('Organization') : tenantOf(t).orgId },
          }),
        } satisfies Row,
      ]),
    ),
  };
}
