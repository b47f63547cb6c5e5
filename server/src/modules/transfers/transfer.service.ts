/**
 * Queueing transfers: deciding what may go to the ledger, and writing the transfer rows, their
 * batch, history and jobs in the caller's transaction. Sending is transfer.worker.ts.
 *
 * Exactly once starts here: documents are locked FOR UPDATE while eligibility is checked, a
 * unique partial index allows one live transfer per document, and the job that sends a
 * transfer commits with it (no transfer without a job, no job without a transfer).
 */
import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { can } from '../../auth/access.js';
import type { Caller } from '../../auth/authenticate.js';
import { hasAccountingRights, Permission, scopesAllow } from '../../auth/permissions.js';
import { DomainError, UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import { onDomainEvent } from '../../common/domain-events.js';
import { ApiClient } from '../api-clients/api-client.entity.js';
import { ApiScope } from '../api-clients/api-client.entity.js';
import { ApprovalStage } from '../approval/approval-process.entity.js';
import { ActorType } from '../audit/audit-event.entity.js';
import {
  actorOf,
  AUTOMATIC_TRANSFER,
  recordAudit,
  type AuditActor,
} from '../audit/audit.service.js';
import { InvoiceStatus, PurchaseInvoice } from '../invoices/invoice.entity.js';
import { invoiceTransferBlockers, isLiveTransferStatus } from '../invoices/invoice.rules.js';
import { Membership } from '../organizations/organization.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { auditColumns, insertAuditRows } from './transfer.history.js';
import { enqueueTransfers, notifyTransfersChanged } from './transfer.jobs.js';
import { Transfer } from './transfer.entity.js';
import {
  DocumentType,
  LIVE_TRANSFER_STATUSES,
  TransferKind,
  TransferStatus,
  TransferTrigger,
} from './transfer.enums.js';
import { loadTransferSettings } from './transfer-settings.service.js';

/** Who a transfer is for, and how history should name them. */
export interface Requester {
  actor: AuditActor;
  userId: string | null;
  apiClientId: string | null;
  requestId: string | null;
}

export function requesterOf(caller: Caller, requestId: string | null): Requester {
  return {
    actor: actorOf(caller),
    userId: caller.kind === 'user' ? caller.user.id : null,
    apiClientId: caller.kind === 'apiClient' ? caller.apiClient.id : null,
    requestId,
  };
}

interface Draft {
  invoice?: PurchaseInvoice;
  payment?: Payment;
  kind: TransferKind;
}

/** The transfer an invoice needs now: POST when not in the ledger, CORRECTION when out of date. */
function invoiceKind(invoice: PurchaseInvoice): TransferKind {
  return invoice.ledgerVersion == null ? TransferKind.POST : TransferKind.CORRECTION;
}

/** What createTransfers wrote: the batch and, in the order of the drafts, each transfer. */
interface CreatedTransfers {
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
async function createTransfers(
  em: EntityManager,
  organizationId: string,
  documentType: DocumentType,
  drafts: Draft[],
  trigger: TransferTrigger,
  requester: Requester,
): Promise<CreatedTransfers> {
  const automatic = trigger === TransferTrigger.AUTOMATIC;
  const batchId = randomUUID();
  const historyActor: AuditActor = automatic
    ? { type: ActorType.SYSTEM, name: AUTOMATIC_TRANSFER, onBehalfOfUserId: requester.userId }
    : requester.actor;
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
  await insertAuditRows(
    em,
    rows.map((r) => ({
      ...auditColumns(organizationId, historyActor),
      id: randomUUID(),
      action: 'transfer.queued',
      entity_type: 'Transfer',
      entity_id: r.id,
      invoice_id: r.history_invoice_id,
      request_id: requester.requestId,
      details: {
        transferId: r.id,
        kind: r.kind,
        trigger,
        documentType,
        paymentId: r.payment_id,
        documentVersion: r.document_version,
      },
    })),
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

export interface ExportResult {
  batchId: string | null;
  transferIds: string[];
  errors: UserErrorDetail[];
}

/** Stage flags of the invoices' current stages, in one query. */
async function transferStageIds(
  em: EntityManager,
  invoices: PurchaseInvoice[],
): Promise<Set<string>> {
  const stageIds = [
    ...new Set(invoices.map((i) => i.currentStage?.id).filter((x): x is string => !!x)),
  ];
  if (!stageIds.length) return new Set();
  const stages = await em.find(ApprovalStage, {
    id: { $in: stageIds },
    transferFromThisStep: true,
  });
  return new Set(stages.map((s) => s.id));
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
  const invoices = wanted.size
    ? await em.find(
        PurchaseInvoice,
        { id: { $in: [...wanted.keys()] }, organization: organizationId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
      )
    : [];
  const found = new Map(invoices.map((i) => [i.id, i]));
  for (const [id, index] of wanted) {
    if (!found.has(id))
      errors.push({
        code: UserErrorCode.NOT_FOUND,
        message: 'Invoice not found',
        field: ['invoiceIds', String(index)],
      });
  }
  const flagged = await transferStageIds(em, invoices);
  const drafts: Draft[] = [];
  for (const invoice of invoices) {
    const field = ['invoiceIds', String(wanted.get(invoice.id))];
    const blockers = invoiceTransferBlockers(
      invoice,
      !!invoice.currentStage && flagged.has(invoice.currentStage.id),
      field,
    );
    if (blockers.length) errors.push(...blockers);
    else drafts.push({ invoice, kind: invoiceKind(invoice) });
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
  // Report transfers in the order the caller listed the invoices.
  const order = (t: { invoiceId: string | null }) => wanted.get(t.invoiceId!)!;
  return {
    batchId,
    transferIds: transfers.sort((a, b) => order(a) - order(b)).map((t) => t.id),
    errors: sortErrors(errors),
  };
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

/**
 * Whether payments of the invoice may go to the ledger now: the invoice is there and nothing of
 * it is in flight. Callers hold a lock on the invoice row, and reversing an invoice takes a
 * stronger one and refuses while a payment is in flight, so a payment never lands after its
 * invoice's reversal.
 */
function invoiceTakesPayments(invoice: PurchaseInvoice): boolean {
  return invoice.ledgerVersion != null && !isLiveTransferStatus(invoice.transferStatus);
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
  const order = (t: { paymentId: string | null }) => wanted.get(t.paymentId!)!;
  return {
    batchId,
    transferIds: transfers.sort((a, b) => order(a) - order(b)).map((t) => t.id),
    errors: sortErrors(errors),
  };
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
  const { transfers } = await createTransfers(
    em,
    organizationId,
    invoice ? DocumentType.INVOICE : DocumentType.PAYMENT,
    [{ invoice: invoice ?? undefined, payment: payment ?? undefined, kind: TransferKind.REVERSAL }],
    trigger,
    requester,
  );
  return { transferId: transfers[0].id };
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

// --------------------------------------------------------------------------- automatic transfer

/** "Basic accounting rights": ACCOUNTANT/ADMIN members, or API clients with the export scope. */
async function saverHasAccountingRights(
  em: EntityManager,
  organizationId: string,
  actor: AuditActor,
): Promise<boolean> {
  if (actor.type === ActorType.USER) {
    const m = await em.findOne(Membership, { organization: organizationId, user: actor.userId });
    return !!m && hasAccountingRights(m.role);
  }
  if (actor.type === ActorType.API_CLIENT) {
    const client = await em.findOne(ApiClient, {
      id: actor.apiClientId,
      organization: organizationId,
    });
    return !!client && scopesAllow(client.scopes as ApiScope[], Permission.EXPORT);
  }
  return false;
}

function automaticRequester(e: {
  actor: AuditActor;
  userId: string | null;
  requestId: string | null;
}): Requester {
  return {
    actor: e.actor,
    userId: e.userId,
    apiClientId: e.actor.type === ActorType.API_CLIENT ? e.actor.apiClientId : null,
    requestId: e.requestId,
  };
}

function recordNotStarted(
  em: EntityManager,
  organizationId: string,
  invoiceId: string,
  userId: string | null,
  reasons: UserErrorDetail[],
  requestId: string | null,
) {
  recordAudit(em, {
    organizationId,
    action: 'transfer.automatic_not_started',
    actor: { type: ActorType.SYSTEM, name: AUTOMATIC_TRANSFER, onBehalfOfUserId: userId },
    entityType: 'PurchaseInvoice',
    entityId: invoiceId,
    invoiceId,
    details: { reasons: reasons.map((r) => ({ code: r.code, message: r.message })) },
    requestId,
  });
}

/** Subscribes the transfer engine to the write side's events. Called once at start. */
let registered = false;
export function registerAutomaticTransfers(): void {
  if (registered) return;
  registered = true;
  onDomainEvent('invoice.stage_saved', async (em, e) => {
    if (!e.transferFromThisStep) return;
    const settings = await loadTransferSettings(em, e.organizationId);
    if (!settings.autoTransferInvoices) return;
    const invoice = await em.findOne(
      PurchaseInvoice,
      { id: e.invoiceId, organization: e.organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!invoice) return;
    if (!(await saverHasAccountingRights(em, e.organizationId, e.actor))) {
      recordNotStarted(
        em,
        e.organizationId,
        invoice.id,
        e.userId,
        [
          {
            code: UserErrorCode.FORBIDDEN,
            message: 'The user who saved the stage has no accounting rights; transfer it manually',
          },
        ],
        e.requestId,
      );
      return;
    }
    // Saved at a flagged stage: the stage requirement is met by this save itself.
    const blockers = invoiceTransferBlockers(invoice, true);
    if (blockers.length) {
      if (
        !blockers.some(
          (b) =>
            b.code === UserErrorCode.ALREADY_TRANSFERRED ||
            b.code === UserErrorCode.TRANSFER_IN_PROGRESS,
        )
      ) {
        recordNotStarted(em, e.organizationId, invoice.id, e.userId, blockers, e.requestId);
      }
      return;
    }
    await createTransfers(
      em,
      e.organizationId,
      DocumentType.INVOICE,
      [{ invoice, kind: invoiceKind(invoice) }],
      TransferTrigger.AUTOMATIC,
      automaticRequester(e),
    );
  });

  onDomainEvent('invoice.posting_changed', async (em, e) => {
    const invoice = await em.findOne(
      PurchaseInvoice,
      { id: e.invoiceId, organization: e.organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!invoice || invoice.ledgerVersion == null || isLiveTransferStatus(invoice.transferStatus))
      return;
    const settings = await loadTransferSettings(em, e.organizationId);
    if (!settings.autoTransferInvoices || !invoice.approvalProcess) return;
    // Corrections follow automatically only when the process's last stage transfers automatically.
    const last = await em.findOne(
      ApprovalStage,
      { process: invoice.approvalProcess.id, organization: e.organizationId },
      { orderBy: { position: 'desc' } },
    );
    if (!last?.transferFromThisStep) return;
    await createTransfers(
      em,
      e.organizationId,
      DocumentType.INVOICE,
      [{ invoice, kind: TransferKind.CORRECTION }],
      TransferTrigger.AUTOMATIC,
      automaticRequester(e),
    );
  });

  onDomainEvent('payment.recorded', async (em, e) => {
    const settings = await loadTransferSettings(em, e.organizationId);
    if (!settings.autoTransferPayments) return;
    // A payment of an invoice not yet in the ledger waits; queuePendingPayments picks it up.
    await queuePendingPayments(em, e.organizationId, [e.invoiceId], automaticRequester(e));
  });
}

/**
 * Queues automatic transfers for payments waiting on their invoice: recorded, not in the ledger,
 * nothing in flight, their invoice in the ledger. Called when a payment is recorded and when an
 * invoice reaches the ledger.
 */
export async function queuePendingPayments(
  em: EntityManager,
  organizationId: string,
  invoiceIds: string[],
  requester: Requester,
): Promise<number> {
  if (!invoiceIds.length) return 0;
  const invoices = await em.find(
    PurchaseInvoice,
    { id: { $in: invoiceIds }, organization: organizationId },
    { lockMode: LockMode.PESSIMISTIC_READ, orderBy: { id: 'asc' } },
  );
  const ready = invoices.filter(invoiceTakesPayments).map((i) => i.id);
  if (!ready.length) return 0;
  const payments = await em.find(
    Payment,
    {
      organization: organizationId,
      invoice: { $in: ready },
      removedAt: null,
      ledgerVersion: null,
      $or: [
        { transferStatus: null },
        {
          transferStatus: {
            $nin: ['QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT', 'FAILED'] as TransferStatus[],
          },
        },
      ],
    },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
  );
  if (!payments.length) return 0;
  await createTransfers(
    em,
    organizationId,
    DocumentType.PAYMENT,
    payments.map((payment) => ({ payment, kind: TransferKind.POST })),
    TransferTrigger.AUTOMATIC,
    requester,
  );
  return payments.length;
}
