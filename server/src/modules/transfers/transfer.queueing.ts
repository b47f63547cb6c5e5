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
import { enqueueTransfers, notifyTransfersChanged } from './transfer.jobs.js';

/** Who a transfer is for, and how history should name them. */
export interface Requester {
  actor: AuditActor;
  userId: string | null;
  apiClientId: string | null;
  requestId: string | null;
}

/** A document to transfer, locked and checked by the caller. */
export interface Draft {
  invoice?: PurchaseInvoice;
  payment?: Payment;
  kind: TransferKind;
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
 * Writes transfers for documents that were locked and checked by the caller: one batch, one
 * transfer each, history, the documents' transfer status, jobs and change notifications.
 *
 * The batch, the transfers and their history are a few set-based statements, not ORM entities:
 * an export of 500 would otherwise spend most of its time in the unit of work. The documents
 * are managed entities already and get their new status through the caller's flush.
 */
export async function createTransfers(
  em: EntityManager,
  organizationId: string,
  documentType: DocumentType,
  drafts: Draft[],
  trigger: TransferTrigger,
  requester: Requester,
): Promise<CreatedTransfers> {
  const automatic = trigger === TransferTrigger.AUTOMATIC;
  const batchId = randomUUID();
  const rows = drafts.map((d) => {
    const doc = d.invoice ?? d.payment!;
    return {
      id: randomUUID(),
      invoice_id: d.invoice?.id ?? null,
      payment_id: d.payment?.id ?? null,
      history_invoice_id: d.invoice?.id ?? d.payment!.invoice.id,
      document_version: doc.postingVersion,
      kind: d.kind,
      original_date: d.invoice ? d.invoice.billDate : d.payment!.paymentDate,
      reverses_entry_id: d.kind === TransferKind.POST ? null : doc.ledgerEntryId,
    };
  });
  const run = (sql: string, params: unknown[]) =>
    em.getConnection().execute(sql, params, 'run', em.getTransactionContext());
  await run(
    `insert into transfer_batch (id, organization_id, created_at, updated_at, document_type, trigger, total, status,
       requested_by_user_id, requested_by_api_client_id)
     values (?, ?, clock_timestamp(), clock_timestamp(), ?, ?, ?, 'RUNNING', ?, ?)`,
    [
      batchId,
      organizationId,
      documentType,
      trigger,
      drafts.length,
      requester.userId,
      requester.apiClientId,
    ],
  );
  try {
    await run(
      `insert into transfer (id, organization_id, created_at, updated_at, document_type, invoice_id, payment_id, document_version,
         kind, status, trigger, batch_id, attempts, original_date, errors, reverses_entry_id, requested_by_user_id,
         requested_by_api_client_id, performer)
       select x.id, ?, clock_timestamp(), clock_timestamp(), ?, x.invoice_id, x.payment_id, x.document_version, x.kind, 'QUEUED',
              ?, ?, 0, x.original_date, '[]'::jsonb, x.reverses_entry_id, ?, ?, ?
         from jsonb_to_recordset(?::jsonb) as x(id uuid, invoice_id uuid, payment_id uuid, document_version int, kind text,
              original_date date, reverses_entry_id uuid)`,
      [
        organizationId,
        documentType,
        trigger,
        batchId,
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
  drafts.forEach((d, i) => {
    const doc = d.invoice ?? d.payment!;
    doc.transferStatus = TransferStatus.QUEUED;
    doc.lastTransferId = rows[i].id;
  });
  await em.flush();
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
