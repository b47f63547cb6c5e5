/**
 * The transfer commands: exporting invoices and payments (what may go to the ledger, and why
 * not), retrying a failed transfer, reversing a document's entry, and removing an invoice. The
 * transfers themselves are written by transfer.queueing.ts, automatic ones are
 * transfer.automation.ts, and sending is transfer.worker.ts.
 */
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { can } from '../../auth/access.js';
import type { Caller } from '../../auth/authenticate.js';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { InvoiceStatus, PurchaseInvoice } from '../invoices/invoice.entity.js';
import { invoiceTransferBlockers } from '../invoices/invoice.rules.js';
import { Payment } from '../payments/payment.entity.js';
import { Transfer } from './transfer.entity.js';
import {
  DocumentType,
  isLiveTransferStatus,
  LIVE_TRANSFER_STATUSES,
  TransferKind,
  TransferStatus,
  TransferTrigger,
} from './transfer.enums.js';
import {
  createTransfers,
  invoiceTakesPayments,
  queueTransfers,
  type Draft,
  type DocumentDraft,
  type Requester,
} from './transfer.queueing.js';
import { exec } from './transfer.sql.js';

/** The requester of a caller's command, for the transfers it queues and their history. */
export function requesterOf(caller: Caller, requestId: string | null): Requester {
  return {
    actor: actorOf(caller),
    userId: caller.kind === 'user' ? caller.user.id : null,
    apiClientId: caller.kind === 'apiClient' ? caller.apiClient.id : null,
    requestId,
  };
}

export interface ExportResult {
  batchId: string | null;
  transferIds: string[];
  errors: UserErrorDetail[];
}

function dedupeIds(ids: string[], field: string, errors: UserErrorDetail[]): Map<string, number> {
  const firstIndex = new Map<string, number>();
  ids.forEach((id, index) => {
    if (firstIndex.has(id)) {
      errors.push({
        code: UserErrorCode.VALIDATION,
        message: 'The same document is listed twice',
        field: [field, String(index)],
      });
    } else firstIndex.set(id, index);
  });
  return firstIndex;
}

/**
 * The invoice ids a batch call asks for, each with its index in the input: an id that did not
 * parse (null) is NOT_FOUND and a repeat is refused (dedupeIds), both as errors at their index.
 */
function wantedInvoiceIds(
  invoiceIds: (string | null)[],
  errors: UserErrorDetail[],
): Map<string, number> {
  const wanted = new Map<string, number>();
  invoiceIds.forEach((id, index) => {
    if (!id)
      errors.push({
        code: UserErrorCode.NOT_FOUND,
        message: 'Invoice not found',
        field: ['invoiceIds', String(index)],
      });
  });
  for (const [id, index] of dedupeIds(
    invoiceIds.map((id, i) => id ?? `missing:${i}`),
    'invoiceIds',
    errors,
  )) {
    if (!id.startsWith('missing:')) wanted.set(id, index);
  }
  return wanted;
}

/** A batch call's answer: its transfers in the order the caller listed their documents. */
function inCallerOrder<T extends { id: string }>(
  batchId: string | null,
  transfers: T[],
  documentOf: (t: T) => string | null,
  wanted: Map<string, number>,
  errors: UserErrorDetail[],
): ExportResult {
  const order = (t: T) => wanted.get(documentOf(t)!)!;
  return {
    batchId,
    transferIds: transfers.sort((a, b) => order(a) - order(b)).map((t) => t.id),
    errors: sortErrors(errors),
  };
}

/**
 * Manual export of invoices. Eligible ones are queued in one batch; each ineligible one comes
 * back as an error with field ["invoiceIds", index] and the reason.
 */
export async function exportInvoices(
  em: EntityManager,
  organizationId: string,
  invoiceIds: (string | null)[],
  requester: Requester,
): Promise<ExportResult> {
  const errors: UserErrorDetail[] = [];
  const wanted = wantedInvoiceIds(invoiceIds, errors);
  // One statement locks (FOR UPDATE, in id order: see lockInIdOrder) and reads what the rules
  // need, instead of 500 managed entities whose flush would dominate the export.
  const invoices = wanted.size
    ? await exec<ExportableInvoiceRow>(
        em,
        `select i.id, i.status, i.posted, i.document_number, i.ledger_version, i.posting_version, i.transfer_status,
                i.removed_at, to_char(i.bill_date, 'YYYY-MM-DD') as bill_date, i.ledger_entry_id,
                coalesce(st.transfer_from_this_step, false) as stage_transfers
           from purchase_invoice i left join approval_stage st on st.id = i.current_stage_id
          where i.organization_id = ?::uuid and i.id in (select (jsonb_array_elements_text(?::jsonb))::uuid)
          order by i.id for update of i`,
        [organizationId, JSON.stringify([...wanted.keys()])],
      )
    : [];
  const found = new Set(invoices.map((i) => i.id));
  for (const [id, index] of wanted) {
    if (!found.has(id))
      errors.push({
        code: UserErrorCode.NOT_FOUND,
        message: 'Invoice not found',
        field: ['invoiceIds', String(index)],
      });
  }
  const drafts: DocumentDraft[] = [];
  for (const row of invoices) {
    const field = ['invoiceIds', String(wanted.get(row.id))];
    const blockers = invoiceTransferBlockers(
      {
        status: row.status,
        posted: row.posted,
        documentNumber: row.document_number,
        ledgerVersion: row.ledger_version,
        postingVersion: row.posting_version,
        transferStatus: row.transfer_status,
        removedAt: row.removed_at,
      },
      row.stage_transfers,
      field,
    );
    if (blockers.length) errors.push(...blockers);
    else
      drafts.push({
        kind: row.ledger_version == null ? TransferKind.POST : TransferKind.CORRECTION,
        invoiceId: row.id,
        paymentId: null,
        historyInvoiceId: row.id,
        postingVersion: row.posting_version,
        originalDate: row.bill_date,
        ledgerEntryId: row.ledger_entry_id,
      });
  }
  if (!drafts.length) return { batchId: null, transferIds: [], errors: sortErrors(errors) };
  const { batchId, transfers } = await queueTransfers(
    em,
    organizationId,
    DocumentType.INVOICE,
    drafts,
    TransferTrigger.MANUAL,
    requester,
  );
  return inCallerOrder(batchId, transfers, (t) => t.invoiceId, wanted, errors);
}

/** An invoice as the export locks and checks it. */
interface ExportableInvoiceRow {
  id: string;
  status: InvoiceStatus;
  posted: boolean;
  document_number: number | null;
  ledger_version: number | null;
  posting_version: number;
  transfer_status: TransferStatus | null;
  removed_at: Date | null;
  bill_date: string;
  ledger_entry_id: string | null;
  stage_transfers: boolean;
}

function sortErrors(errors: UserErrorDetail[]): UserErrorDetail[] {
  return errors.sort((a, b) => Number(a.field?.[1] ?? 0) - Number(b.field?.[1] ?? 0));
}

/** Why a payment cannot be transferred now (empty when it can). */
function paymentBlockers(
  payment: Payment,
  invoice: PurchaseInvoice,
  field: string[],
): UserErrorDetail[] {
  if (payment.removedAt)
    return [{ code: UserErrorCode.NOT_FOUND, message: 'The payment has been removed', field }];
  if (isLiveTransferStatus(payment.transferStatus)) {
    return [
      {
        code: UserErrorCode.TRANSFER_IN_PROGRESS,
        message: 'A transfer of this payment is already in progress',
        field,
      },
    ];
  }
  if (payment.ledgerVersion != null && payment.ledgerVersion === payment.postingVersion) {
    return [
      {
        code: UserErrorCode.ALREADY_TRANSFERRED,
        message: 'This payment is already in the ledger',
        field,
      },
    ];
  }
  if (invoice.ledgerVersion == null) {
    return [
      {
        code: UserErrorCode.INVOICE_NOT_TRANSFERRED,
        message:
          'A payment is transferred only after its invoice is in the ledger: transfer the invoice first',
        field,
      },
    ];
  }
  if (!invoiceTakesPayments(invoice)) {
    // Its invoice may be on its way out of the ledger (a reversal): the payment would land after it.
    return [
      {
        code: UserErrorCode.TRANSFER_IN_PROGRESS,
        message:
          'A transfer of its invoice is in progress; transfer the payment when that has finished',
        field,
      },
    ];
  }
  return [];
}

export async function exportPayments(
  em: EntityManager,
  organizationId: string,
  paymentIds: (string | null)[],
  requester: Requester,
): Promise<ExportResult> {
  const errors: UserErrorDetail[] = [];
  const wanted = new Map<string, number>();
  paymentIds.forEach((id, index) => {
    if (!id)
      errors.push({
        code: UserErrorCode.NOT_FOUND,
        message: 'Payment not found',
        field: ['paymentIds', String(index)],
      });
  });
  for (const [id, index] of dedupeIds(
    paymentIds.map((id, i) => id ?? `missing:${i}`),
    'paymentIds',
    errors,
  )) {
    if (!id.startsWith('missing:')) wanted.set(id, index);
  }
  const payments = wanted.size
    ? await em.find(
        Payment,
        { id: { $in: [...wanted.keys()] }, organization: organizationId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
      )
    : [];
  const found = new Map(payments.map((p) => [p.id, p]));
  for (const [id, index] of wanted) {
    if (!found.has(id))
      errors.push({
        code: UserErrorCode.NOT_FOUND,
        message: 'Payment not found',
        field: ['paymentIds', String(index)],
      });
  }
  const invoices = new Map(
    (
      await em.find(
        PurchaseInvoice,
        { id: { $in: payments.map((p) => p.invoice.id) }, organization: organizationId },
        // FOR SHARE: a reversal of the invoice (FOR UPDATE) waits for this export, or this for it.
        { lockMode: LockMode.PESSIMISTIC_READ, orderBy: { id: 'asc' } },
      )
    ).map((i) => [i.id, i]),
  );
  const drafts: Draft[] = [];
  for (const payment of payments) {
    const blockers = paymentBlockers(payment, invoices.get(payment.invoice.id)!, [
      'paymentIds',
      String(wanted.get(payment.id)),
    ]);
    if (blockers.length) errors.push(...blockers);
    else
      drafts.push({
        payment,
        kind: payment.ledgerVersion == null ? TransferKind.POST : TransferKind.CORRECTION,
      });
  }
  if (!drafts.length) return { batchId: null, transferIds: [], errors: sortErrors(errors) };
  const { batchId, transfers } = await createTransfers(
    em,
    organizationId,
    DocumentType.PAYMENT,
    drafts,
    TransferTrigger.MANUAL,
    requester,
  );
  return inCallerOrder(batchId, transfers, (t) => t.paymentId, wanted, errors);
}

/** Sends a failed (or cancelled) transfer's document again, as a new transfer. */
export async function retryTransfer(
  em: EntityManager,
  organizationId: string,
  transferId: string,
  requester: Requester,
): Promise<{ transferId: string }> {
  const failed = await em.findOne(Transfer, { id: transferId, organization: organizationId });
  if (!failed) throw new DomainError(UserErrorCode.NOT_FOUND, 'Transfer not found', ['transferId']);
  if (failed.status !== TransferStatus.FAILED && failed.status !== TransferStatus.CANCELLED) {
    throw new DomainError(
      isLiveTransferStatus(failed.status)
        ? UserErrorCode.TRANSFER_IN_PROGRESS
        : UserErrorCode.ALREADY_TRANSFERRED,
      `Only a failed transfer can be retried; this one is ${failed.status}`,
      ['transferId'],
    );
  }
  if (failed.kind === TransferKind.REVERSAL) {
    return reverseDocument(
      em,
      organizationId,
      { invoiceId: failed.invoice?.id, paymentId: failed.payment?.id },
      requester,
    );
  }
  const result = failed.invoice
    ? await exportInvoices(em, organizationId, [failed.invoice.id], requester)
    : await exportPayments(em, organizationId, [failed.payment!.id], requester);
  if (result.errors.length) {
    throw new DomainError(result.errors.map((e) => ({ ...e, field: ['transferId'] })));
  }
  return { transferId: result.transferIds[0] };
}

/** Queues a REVERSAL of a document's ledger entry (the period rule applies to the reversal date). */
export async function reverseDocument(
  em: EntityManager,
  organizationId: string,
  ids: { invoiceId?: string | null; paymentId?: string | null },
  requester: Requester,
  trigger = TransferTrigger.MANUAL,
): Promise<{ transferId: string }> {
  const draft = await reversalDraft(em, organizationId, ids);
  const { transfers } = await createTransfers(
    em,
    organizationId,
    draft.invoice ? DocumentType.INVOICE : DocumentType.PAYMENT,
    [draft],
    trigger,
    requester,
  );
  return { transferId: transfers[0].id };
}

/**
 * Reverses many invoices' entries in one call and one batch, as exportInvoices queues many:
 * each refused invoice comes back as an error with field ["invoiceIds", index] and the reason,
 * the others are queued. The rules are reverseDocument's, checked invoice by invoice in id order
 * (each check locks its invoice before anything is written).
 */
export async function reverseInvoices(
  em: EntityManager,
  organizationId: string,
  invoiceIds: (string | null)[],
  requester: Requester,
): Promise<ExportResult> {
  const errors: UserErrorDetail[] = [];
  const wanted = wantedInvoiceIds(invoiceIds, errors);
  const drafts: Draft[] = [];
  for (const id of [...wanted.keys()].sort()) {
    const field = ['invoiceIds', String(wanted.get(id))];
    try {
      drafts.push(await reversalDraft(em, organizationId, { invoiceId: id }));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      errors.push(...err.errors.map((e) => ({ ...e, field })));
    }
  }
  if (!drafts.length) return { batchId: null, transferIds: [], errors: sortErrors(errors) };
  const { batchId, transfers } = await createTransfers(
    em,
    organizationId,
    DocumentType.INVOICE,
    drafts,
    TransferTrigger.MANUAL,
    requester,
  );
  return inCallerOrder(batchId, transfers, (t) => t.invoiceId, wanted, errors);
}

/** The REVERSAL a document needs, locked and checked; a DomainError says why it cannot have one. */
async function reversalDraft(
  em: EntityManager,
  organizationId: string,
  ids: { invoiceId?: string | null; paymentId?: string | null },
): Promise<Draft> {
  const invoice = ids.invoiceId
    ? await em.findOne(
        PurchaseInvoice,
        { id: ids.invoiceId, organization: organizationId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      )
    : null;
  const payment = ids.paymentId
    ? await em.findOne(
        Payment,
        { id: ids.paymentId, organization: organizationId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      )
    : null;
  const doc = invoice ?? payment;
  if (!doc)
    throw new DomainError(UserErrorCode.NOT_FOUND, 'Document not found', [
      invoice ? 'invoiceId' : 'paymentId',
    ]);
  if (isLiveTransferStatus(doc.transferStatus)) {
    throw new DomainError(
      UserErrorCode.TRANSFER_IN_PROGRESS,
      'A transfer of this document is in progress; try again when it has finished',
    );
  }
  if (!doc.ledgerEntryId)
    throw new DomainError(UserErrorCode.NOT_IN_LEDGER, 'The document is not in the ledger');
  if (invoice) {
    const paymentsInLedger = await em.count(Payment, {
      organization: organizationId,
      invoice: invoice.id,
      removedAt: null,
      $or: [
        { ledgerEntryId: { $ne: null } },
        { transferStatus: { $in: [...LIVE_TRANSFER_STATUSES] } },
      ],
    });
    if (paymentsInLedger > 0) {
      throw new DomainError(
        UserErrorCode.IN_USE,
        'Payments of this invoice are in the ledger or on their way there: remove them from accounting first, or wait for their transfer to finish',
        ['invoiceId'],
      );
    }
  }
  return {
    invoice: invoice ?? undefined,
    payment: payment ?? undefined,
    kind: TransferKind.REVERSAL,
  };
}

/**
 * Removes an invoice (soft: its history stays). When it is in the ledger the caller must have
 * chosen: keep the entry (it stays in accounting, and the history says so) or post a reversal.
 */
export async function removeInvoice(
  em: EntityManager,
  caller: Caller,
  organizationId: string,
  invoiceId: string,
  alsoRemoveFromAccounting: boolean,
  requester: Requester,
): Promise<{ invoiceId: string; transferId: string | null; keptInLedger: boolean }> {
  const invoice = await em.findOne(
    PurchaseInvoice,
    { id: invoiceId, organization: organizationId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!invoice || invoice.removedAt)
    throw new DomainError(UserErrorCode.NOT_FOUND, 'Invoice not found', ['invoiceId']);
  if (isLiveTransferStatus(invoice.transferStatus)) {
    throw new DomainError(
      UserErrorCode.TRANSFER_IN_PROGRESS,
      'A transfer of this invoice is in progress; remove it when it has finished',
      ['invoiceId'],
    );
  }
  const inLedger = !!invoice.ledgerEntryId;
  let transferId: string | null = null;
  if (inLedger && alsoRemoveFromAccounting) {
    if (!can(caller, organizationId, Permission.EXPORT)) {
      throw new DomainError(
        UserErrorCode.FORBIDDEN,
        'Removing from accounting needs accounting rights (ACCOUNTANT or ADMIN; tokens: export)',
      );
    }
    transferId = (await reverseDocument(em, organizationId, { invoiceId }, requester)).transferId;
  }
  invoice.status = InvoiceStatus.REMOVED;
  invoice.removedAt = new Date();
  invoice.version += 1;
  recordAudit(em, {
    organizationId,
    action: 'invoice.removed',
    actor: requester.actor,
    entityType: 'PurchaseInvoice',
    entityId: invoice.id,
    invoiceId: invoice.id,
    details: {
      inLedger,
      alsoRemoveFromAccounting: inLedger ? alsoRemoveFromAccounting : false,
      keptInLedger: inLedger && !alsoRemoveFromAccounting,
      ledgerEntryId: invoice.ledgerEntryId ?? null,
      reversalTransferId: transferId,
    },
    requestId: requester.requestId,
  });
  await em.flush();
  return { invoiceId, transferId, keptInLedger: inLedger && !alsoRemoveFromAccounting };
}
