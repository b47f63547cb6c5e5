/** Tenant matrix rows: transfers to accounting and their subscriptions. */
import { randomUUID } from 'node:crypto';
import { gid } from '../testing/factories.js';
import {
  EVERYONE,
  EXPORTERS,
  UE,
  WRITERS,
  type MatrixContext,
  type Row,
} from './tenant-matrix.helpers.js';

export function transferRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, take, draft, approved, pools } = ctx;
  return {
    exportInvoices: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv = t === 'missing' ? { id: missing('PurchaseInvoice') } : await approved(t, fresh);
        return {
          query: `mutation($i: ExportInvoicesInput!) { exportInvoices(input: $i) { batch { id } transfers { id } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
              invoiceIds: [inv.id],
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
    exportPayments: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const paymentId = t === 'missing' ? randomUUID() : await take(pools.paid, 'paid', t, fresh);
        return {
          query: `mutation($i: ExportPaymentsInput!) { exportPayments(input: $i) { batch { id } transfers { id } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
              paymentIds: [gid('Payment', paymentId)],
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
    retryTransfer: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const id = t === 'missing' ? randomUUID() : await take(pools.failed, 'failed', t, fresh);
        return {
          query: `mutation($i: RetryTransferInput!) { retryTransfer(input: $i) { transfer { id } ${UE} } }`,
          variables: { i: { transferId: gid('Transfer', id), idempotencyKey: randomUUID() } },
        };
      },
    },
    removeInvoice: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv = t === 'missing' ? { id: missing('PurchaseInvoice') } : await draft(t, fresh);
        return {
          query: `mutation($i: RemoveInvoiceInput!) { removeInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: {
            i: { invoiceId: inv.id, alsoRemoveFromAccounting: false, idempotencyKey: randomUUID() },
          },
        };
      },
    },
    removeFromAccounting: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const id = t === 'missing' ? randomUUID() : await take(pools.inLedger, 'reverse', t, fresh);
        return {
          query: `mutation($i: RemoveFromAccountingInput!) { removeFromAccounting(input: $i) { transfer { id } ${UE} } }`,
          variables: { i: { invoiceId: gid('PurchaseInvoice', id), idempotencyKey: randomUUID() } },
        };
      },
    },
  };
}

export function transferSubscriptionRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, batches } = ctx;
  return {
    // ---- subscriptions ------------------------------------------------------------------------
    transferStatusChanged: {
      kind: 'subscription',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `subscription($org: ID!) { transferStatusChanged(organizationId: $org) { status } }`,
        variables: { org: t === 'missing' ? missing('Organization') : tenantOf(t).orgId },
      }),
    },
    transferBatchProgress: {
      kind: 'subscription',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `subscription($batch: ID!) { transferBatchProgress(batchId: $batch) { id status } }`,
        variables: {
          batch: t === 'missing' ? missing('TransferBatch') : batches.get(tenantOf(t).org.slug)!,
        },
      }),
    },
  };
}
