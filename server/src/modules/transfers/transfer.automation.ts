/**
 * Automatic transfer: invoices saved at a flagged stage (and their later corrections), and
 * payments, queued without anyone pressing export, when the organization's settings say so.
 * Subscribed to the write side's domain events (in their transaction), and told by the worker
 * when invoices reach the ledger, so their waiting payments can follow.
 */
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { hasAccountingRights, Permission, scopesAllow } from '../../auth/permissions.js';
import { onDomainEvent } from '../../common/domain-events.js';
import { UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import { ApiClient, type ApiScope } from '../api-clients/api-client.entity.js';
import { ApprovalStage } from '../approval/approval-process.entity.js';
import { ActorType } from '../audit/audit-event.entity.js';
import { AUTOMATIC_TRANSFER, recordAudit, type AuditActor } from '../audit/audit.service.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { invoiceTransferBlockers } from '../invoices/invoice.rules.js';
import { Membership } from '../organizations/organization.entity.js';
import { Payment } from '../payments/payment.entity.js';
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
  invoiceKind,
  invoiceTakesPayments,
  type Requester,
} from './transfer.queueing.js';
import { loadTransferSettings } from './transfer-settings.service.js';

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

/** An invoice that just reached the ledger, and who its transfer was for. */
export interface PostedInvoice {
  organizationId: string;
  invoiceId: string;
  requestedByUserId: string | null;
}

/**
 * Queues the payments that waited for these invoices to reach the ledger, in the organizations
 * that transfer payments automatically; on behalf of the requester of the organization's first
 * posted invoice. Called by the worker, in the transaction that records the invoices' outcome.
 */
export async function queuePaymentsAwaitingInvoices(
  em: EntityManager,
  posted: PostedInvoice[],
): Promise<void> {
  const byOrg = new Map<string, PostedInvoice[]>();
  for (const p of posted) byOrg.set(p.organizationId, [...(byOrg.get(p.organizationId) ?? []), p]);
  for (const [organizationId, invoices] of byOrg) {
    const settings = await loadTransferSettings(em, organizationId);
    if (!settings.autoTransferPayments) continue;
    const onBehalfOf = invoices[0].requestedByUserId;
    await queuePendingPayments(
      em,
      organizationId,
      invoices.map((i) => i.invoiceId),
      {
        actor: { type: ActorType.SYSTEM, name: AUTOMATIC_TRANSFER, onBehalfOfUserId: onBehalfOf },
        userId: onBehalfOf,
        apiClientId: null,
        requestId: null,
      },
    );
  }
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
      // Neither in flight nor failed (a failed one is retried by hand).
      $or: [
        { transferStatus: null },
        { transferStatus: { $nin: [...LIVE_TRANSFER_STATUSES, TransferStatus.FAILED] } },
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
