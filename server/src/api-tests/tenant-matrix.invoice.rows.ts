/** Tenant matrix rows: writing, circulating and paying invoices. */
import { randomUUID } from 'node:crypto';
import { gid } from '../testing/factories.js';
import {
  STAGE_APPROVERS,
  UE,
  WRITERS,
  type MatrixContext,
  type Row,
} from './tenant-matrix.helpers.js';

export function invoiceRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, draft, circulating, approved, today } = ctx;
  return {
    createPurchaseInvoice: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t) => {
        const tenant = tenantOf(t);
        return {
          query: `mutation($i: CreatePurchaseInvoiceInput!) { createPurchaseInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenant.orgId,
              supplierId:
                t === 'missing' ? missing('Supplier') : gid('Supplier', tenant.suppliers[0].id),
              invoiceNumber: `MX-${randomUUID().slice(0, 8)}`,
              billDate: today,
              dueDate: today,
              currency: 'EUR',
              netAmount: '100.00',
              vatAmount: '25.50',
              grossAmount: '125.50',
              allowDuplicate: true,
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
    updatePosting: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing' ? { id: missing('PurchaseInvoice'), version: 1 } : await draft(t, fresh);
        return {
          query: `mutation($i: UpdatePostingInput!) { updatePosting(input: $i) { invoice { id } ${UE} } }`,
          variables: {
            i: {
              invoiceId: inv.id,
              version: inv.version,
              lines: [
                {
                  accountCode: '6800',
                  costUnitCode: 'SAL',
                  vatCode: 'VAT255',
                  netAmount: '100.00',
                },
              ],
            },
          },
        };
      },
    },
    postInvoice: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing' ? { id: missing('PurchaseInvoice'), version: 1 } : await draft(t, fresh);
        return {
          query: `mutation($i: PostInvoiceInput!) { postInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: { i: { invoiceId: inv.id, version: inv.version } },
        };
      },
    },
    sendToCirculation: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing' ? { id: missing('PurchaseInvoice'), version: 1 } : await draft(t, fresh);
        return {
          query: `mutation($i: SendToCirculationInput!) { sendToCirculation(input: $i) { invoice { id } ${UE} } }`,
          variables: { i: { invoiceId: inv.id, version: inv.version } },
        };
      },
    },
    approveInvoice: {
      kind: 'mutation',
      allow: STAGE_APPROVERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing'
            ? { id: missing('PurchaseInvoice'), version: 1 }
            : await circulating(t, fresh);
        return {
          query: `mutation($i: ApproveInvoiceInput!) { approveInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: { i: { invoiceId: inv.id, version: inv.version } },
        };
      },
    },
    approveInvoices: {
      kind: 'mutation',
      allow: STAGE_APPROVERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing'
            ? { id: missing('PurchaseInvoice'), version: 1 }
            : await circulating(t, fresh);
        return {
          query: `mutation($i: ApproveInvoicesInput!) { approveInvoices(input: $i) { results { invoiceId ${UE} } ${UE} } }`,
          variables: { i: { invoiceIds: [inv.id] } },
        };
      },
    },
    rejectInvoice: {
      kind: 'mutation',
      allow: STAGE_APPROVERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing'
            ? { id: missing('PurchaseInvoice'), version: 1 }
            : await circulating(t, fresh);
        return {
          query: `mutation($i: RejectInvoiceInput!) { rejectInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: { i: { invoiceId: inv.id, version: inv.version, reason: 'Wrong supplier' } },
        };
      },
    },
    recordPayment: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv = t === 'missing' ? { id: missing('PurchaseInvoice') } : await approved(t, fresh);
        return {
          query: `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { payment { id } ${UE} } }`,
          variables: {
            i: {
              invoiceId: inv.id,
              amount: '10.00',
              paymentDate: today,
              source: 'MANUAL',
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
  };
}
