/** Tenant matrix rows: signing in and out, periods, settings, processes and tokens. */
import { randomUUID } from 'node:crypto';
import { ApiScope } from '../modules/api-clients/api-client.entity.js';
import { createApiClient } from '../modules/api-clients/api-client.service.js';
import { gid, TEST_PASSWORD } from '../testing/factories.js';
import { ADMINS, UE, type MatrixContext, type Row } from './tenant-matrix.helpers.js';

export function sessionRows(): Record<string, Row> {
  return {
    // ---- mutations ----------------------------------------------------------------------------
    login: {
      kind: 'mutation',
      allow: 'public',
      scoped: false,
      op: async () => ({
        query: `mutation($i: LoginInput!) { login(input: $i) { user { id } ${UE} } }`,
        variables: { i: { email: 'viewer@mxa.test', password: TEST_PASSWORD } },
      }),
    },
    logout: {
      kind: 'mutation',
      allow: 'public',
      scoped: false,
      op: async () => ({ query: `mutation { logout { ${UE} } }`, variables: {} }),
    },
  };
}

export function adminRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, em, fixture, take, periodOf, spareProcess, thisYear, pools } = ctx;
  return {
    adjustPostingPeriod: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        let entry = gid('LedgerEntry', randomUUID());
        let period = gid('AccountingPeriod', randomUUID());
        if (t !== 'missing') {
          const invoiceId = await take(pools.inLedger, 'adjust', t, fresh);
          const [row] = await ctx.srv.db.sql<{ ledger_entry_id: string }>(
            `select ledger_entry_id from purchase_invoice where id = $1`,
            [invoiceId],
          );
          entry = gid('LedgerEntry', row.ledger_entry_id);
          period = await periodOf(tenantOf(t), thisYear + 1, null);
        }
        return {
          query: `mutation($i: AdjustPostingPeriodInput!) { adjustPostingPeriod(input: $i) { ledgerEntry { id } ${UE} } }`,
          variables: { i: { ledgerEntryId: entry, periodId: period } },
        };
      },
    },
    updateTransferSettings: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: UpdateTransferSettingsInput!) { updateTransferSettings(input: $i) { transferSettings { exportMode } ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            exportMode: 'ITEM',
          },
        },
      }),
    },
    setLockDate: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: SetLockDateInput!) { setLockDate(input: $i) { lockDate ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            lockDate: `${thisYear - 2}-01-31`,
          },
        },
      }),
    },
    closePeriod: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const period =
          t === 'missing'
            ? missing('AccountingPeriod')
            : await fixture('open-period', t, fresh, (tenant) =>
                periodOf(tenant, thisYear - 2, 'OPEN'),
              );
        return {
          query: `mutation($i: PeriodInput!) { closePeriod(input: $i) { period { id status } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
              periodId: period,
            },
          },
        };
      },
    },
    reopenPeriod: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const period =
          t === 'missing'
            ? missing('AccountingPeriod')
            : await fixture('closed-period', t, fresh, (tenant) =>
                periodOf(tenant, thisYear - 1, 'CLOSED'),
              );
        return {
          query: `mutation($i: PeriodInput!) { reopenPeriod(input: $i) { period { id status } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
              periodId: period,
            },
          },
        };
      },
    },
    createApprovalProcess: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: CreateApprovalProcessInput!) { createApprovalProcess(input: $i) { approvalProcess { id } ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            name: `Matrix ${randomUUID().slice(0, 8)}`,
            stages: [{ name: 'Check', approverRole: 'APPROVER', transferFromThisStep: true }],
          },
        },
      }),
    },
    updateApprovalProcess: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const p =
          t === 'missing'
            ? { id: missing('ApprovalProcess'), version: 1 }
            : await spareProcess(t, fresh);
        return {
          query: `mutation($i: UpdateApprovalProcessInput!) { updateApprovalProcess(input: $i) { approvalProcess { id } ${UE} } }`,
          variables: {
            i: {
              approvalProcessId: p.id,
              version: p.version,
              name: `Renamed ${randomUUID().slice(0, 8)}`,
            },
          },
        };
      },
    },
    deleteApprovalProcess: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const p =
          t === 'missing' ? { id: missing('ApprovalProcess') } : await spareProcess(t, fresh);
        return {
          query: `mutation($i: DeleteApprovalProcessInput!) { deleteApprovalProcess(input: $i) { deletedApprovalProcessId ${UE} } }`,
          variables: { i: { approvalProcessId: p.id } },
        };
      },
    },
    createApiToken: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { apiToken { id } token ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            name: 'Matrix token',
            scopes: ['ADMIN'],
          },
        },
      }),
    },
    revokeApiToken: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const id =
          t === 'missing'
            ? missing('ApiClient')
            : await fixture('spare-token', t, fresh, async (tenant) => {
                const { client } = await createApiClient(
                  em(),
                  tenant.org,
                  'Spare',
                  [ApiScope.READ],
                  null,
                );
                return gid('ApiClient', client.id);
              });
        return {
          query: `mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { apiToken { id revokedAt } ${UE} } }`,
          variables: { i: { apiTokenId: id } },
        };
      },
    },
  };
}
