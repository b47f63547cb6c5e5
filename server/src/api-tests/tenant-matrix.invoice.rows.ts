/** Tenant matrix rows: writing, circulating and paying invoices. */
import { randomUUID } from 'node:crypto';
import { DocumentKind } from '../modules/invoices/invoice.enums.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { createInvoice, gid } from '../testing/factories.js';
import {
  STAGE_APPROVERS,
  UE,
  WRITERS,
  type MatrixContext,
  type Target,
  type Row,
} from './tenant-matrix.helpers.js';

export function invoiceRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, draft, circulating, approved, today, fixture, em } = ctx;
  /** A posted credit note and a posted invoice of the same supplier, to offset. */
  const offsetPair = (t: Target, fresh: boolean) =>
    fixture('offsetPair', t, fresh, async (tenant) => {
      const invoice = await createInvoice(em(), tenant, { status: InvoiceStatus.APPROVED });
      const creditNote = await createInvoice(em(), tenant, {
        status: InvoiceStatus.APPROVED,
        kind: DocumentKind.CREDIT_NOTE,
        lines: [{ netAmount: '-10.00' }],
      });
      return {
        invoiceId: gid('PurchaseInvoice', invoice.id),
        creditNoteId: gid('PurchaseInvoice', creditNote.id),
      };
    });
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
    offsetCreditNote: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const pair =
          t === 'missing'
            ? { invoiceId: missing('PurchaseInvoice'), creditNoteId: missing('PurchaseInvoice') }
            : await offsetPair(t, fresh);
        return {
          query: `mutation($i: OffsetCreditNoteInput!) { offsetCreditNote(input: $i) { offset { id } ${UE} } }`,
          variables: { i: { ...pair, amount: '5.00', idempotencyKey: randomUUID() } },
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
