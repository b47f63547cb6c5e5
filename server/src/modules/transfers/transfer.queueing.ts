/**
 * Writing queued transfers: the transfer rows, their batch, history, the documents' transfer
 * status and the jobs that send them, all in the caller's transaction. The callers (exports,
 * retries, reversals, automatic transfer) decide what may go to the ledger; sending is
 * transfer.worker.ts.
 *
 * Exactly once starts here: documents are locked FOR UPDATE while eligibility is checked, a
 * unique partial index allows one live transfer per document, and the job that sends a
 * transfer commits with it (no transfer without a job, no job without a transfer).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { AUTOMATIC_TRANSFER, type AuditActor } from '../audit/audit.service.js';
import type { PurchaseInvoice } from '../invoices/invoice.entity.js';
import type { Payment } from '../payments/payment.entity.js';
import {
  isLiveTransferStatus,
  TransferKind,
  TransferStatus,
  TransferTrigger,
  type DocumentType,
} from './transfer.enums.js';
import { insertAuditRows, transferEvent } from './transfer.history.js';
import { markDocumentsQueued } from './transfer.document-state.js';
import { enqueueTransfers, notifyTransfersChanged } from './transfer.jobs.js';
import { exec } from './transfer.sql.js';

/** Who a transfer is for, and how history should name them. */
export interface Requester {
  actor: AuditActor;
  userId: string | null;
  apiClientId: string | null;
  requestId: string | null;
}

/** A document to transfer, locked and checked by the caller (a managed entity). */
export interface Draft {
  invoice?: PurchaseInvoice;
  payment?: Payment;
  kind: TransferKind;
}

/**
 * A document to transfer as plain columns, locked and checked by the caller: what an export of
 * hundreds reads with one statement instead of loading entities.
 */
export interface DocumentDraft {
  kind: TransferKind;
  /** Set for an invoice's transfer. */
  invoiceId: string | null;
  /** Set for a payment's transfer. */
  paymentId: string | null;
  /** The invoice the history is shown under: the invoice, or the payment's invoice. */
  historyInvoiceId: string;
  postingVersion: number;
  /** The document's own date (bill date or payment date), YYYY-MM-DD. */
  originalDate: string;
  ledgerEntryId: string | null;
}

function documentDraft(d: Draft): DocumentDraft {
  const doc = d.invoice ?? d.payment!;
  return {
    kind: d.kind,
    invoiceId: d.invoice?.id ?? null,
    paymentId: d.payment?.id ?? null,
    historyInvoiceId: d.invoice?.id ?? d.payment!.invoice.id,
    postingVersion: doc.postingVersion,
    originalDate: d.invoice ? d.invoice.billDate : d.payment!.paymentDate,
    ledgerEntryId: doc.ledgerEntryId ?? null,
  };
}

/** The transfer an invoice needs now: POST when not in the ledger, CORRECTION when out of date. */
export function invoiceKind(invoice: PurchaseInvoice): TransferKind {
  return invoice.ledgerVersion == null ? TransferKind.POST : TransferKind.CORRECTION;
}

/**
 * Whether payments of the invoice may go to the ledger now: the invoice is there and nothing of
 * it is in flight. Callers hold a lock on the invoice row, and reversing an invoice takes a
 * stronger one and refuses while a payment is in flight, so a payment never lands after its
 * invoice's reversal.
 */
export function invoiceTakesPayments(invoice: PurchaseInvoice): boolean {
  return invoice.ledgerVersion != null && !isLiveTransferStatus(invoice.transferStatus);
}

/** What createTransfers wrote: the batch and, in the order of the drafts, each transfer. */
export interface CreatedTransfers {
  batchId: string;
  transfers: { id: string; invoiceId: string | null; paymentId: string | null }[];
}

/**
 * Writes transfers for documents that were locked and checked by the caller (managed entities):
 * see queueTransfers. The entities get their new transfer state in memory too, so the rest of
 * the caller's transaction sees it; their flush writes the same values again.
 */
export async function createTransfers(
  em: EntityManager,
  organizationId: string,
  documentType: DocumentType,
  drafts: Draft[],
  trigger: TransferTrigger,
  requester: Requester,
): Promise<CreatedTransfers> {
  const created = await queueTransfers(
    em,
    organizationId,
    documentType,
    drafts.map(documentDraft),
    trigger,
    requester,
  );
  drafts.forEach((d, i) => {
    const doc = d.invoice ?? d.payment!;
    doc.transferStatus = TransferStatus.QUEUED;
    doc.lastTransferId = created.transfers[i].id;
  });
  await em.flush();
  return created;
}

/**
 * Writes transfers for documents that were locked and checked by the caller: one batch, one
 * transfer each, history, the documents' transfer status, jobs and change notifications, in a
 * few set-based statements (an export of 500 is the same six statements as an export of one).
 */
export async function queueTransfers(
  em: EntityManager,
  organizationId: string,
  documentType: DocumentType,
  drafts: DocumentDraft[],
  trigger: TransferTrigger,
  requester: Requester,
): Promise<CreatedTransfers> {
  const automatic = trigger === TransferTrigger.AUTOMATIC;
  const batchId = randomUUID();
  const rows = drafts.map((d) => ({
    id: randomUUID(),
    invoice_id: d.invoiceId,
    payment_id: d.paymentId,
    history_invoice_id: d.historyInvoiceId,
    document_version: d.postingVersion,
    kind: d.kind,
    original_date: d.originalDate,
    reverses_entry_id: d.kind === TransferKind.POST ? null : d.ledgerEntryId,
  }));
  try {
    // The batch and its transfers in one statement (the transfers' batch_id check sees the batch).
    await exec(
      em,
      `with b as (
         insert into transfer_batch (id, organization_id, created_at, updated_at, document_type, trigger, total, status,
           requested_by_user_id, requested_by_api_client_id)
         values (?::uuid, ?::uuid, clock_timestamp(), clock_timestamp(), ?, ?, ?, 'RUNNING', ?::uuid, ?::uuid)
         returning id, organization_id, document_type, trigger, requested_by_user_id, requested_by_api_client_id)
       insert into transfer (id, organization_id, created_at, updated_at, document_type, invoice_id, payment_id, document_version,
         kind, status, trigger, batch_id, attempts, original_date, errors, reverses_entry_id, requested_by_user_id,
         requested_by_api_client_id, performer)
       select x.id, b.organization_id, clock_timestamp(), clock_timestamp(), b.document_type, x.invoice_id, x.payment_id,
              x.document_version, x.kind, 'QUEUED', b.trigger, b.id, 0, x.original_date, '[]'::jsonb, x.reverses_entry_id,
              b.requested_by_user_id, b.requested_by_api_client_id, ?
         from b, jsonb_to_recordset(?::jsonb) as x(id uuid, invoice_id uuid, payment_id uuid, document_version int, kind text,
              original_date date, reverses_entry_id uuid)`,
      [
        batchId,
        organizationId,
        documentType,
        trigger,
        drafts.length,
        requester.userId,
        requester.apiClientId,
        automatic ? AUTOMATIC_TRANSFER : null,
        JSON.stringify(rows),
      ],
    );
  } catch (err) {
    // The unique partial index: another transaction queued one of these documents first.
    if ((err as { code?: string }).code === '23505') {
      throw new DomainError(
        UserErrorCode.TRANSFER_IN_PROGRESS,
        'A transfer of this document is already in progress',
      );
    }
    throw err;
  }
  // The history names the requester as the transfer row records them (transferActor), the same
  // way the worker's steps of this transfer will.
  const requestedBy = {
    trigger,
    requestedByUserId: requester.userId,
    requestedByApiClientId: requester.apiClientId,
  };
  await insertAuditRows(
    em,
    rows.map((r) =>
      transferEvent({
        organizationId,
        transferId: r.id,
        invoiceId: r.history_invoice_id,
        requester: requestedBy,
        action: 'transfer.queued',
        requestId: requester.requestId,
        details: {
          transferId: r.id,
          kind: r.kind,
          trigger,
          documentType,
          paymentId: r.payment_id,
          documentVersion: r.document_version,
        },
      }),
    ),
  );
  await markDocumentsQueued(
    em,
    documentType,
    rows.map((r) => ({ documentId: r.invoice_id ?? r.payment_id!, transferId: r.id })),
  );
  await enqueueTransfers(
    em,
    rows.map((r) => r.id),
  );
  await notifyTransfersChanged(
    em,
    rows.map((r) => ({ organizationId, transferId: r.id, batchId })),
  );
  return {
    batchId,
    transfers: rows.map((r) => ({ id: r.id, invoiceId: r.invoice_id, paymentId: r.payment_id })),
  };
}
