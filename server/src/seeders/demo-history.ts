/**
 * Each invoice's changes log, as the services would have written it along the way: who did
 * what and when, consistent with the state the invoice is in today.
 */
import { randomUUID } from 'node:crypto';
import { ActorType } from '../modules/audit/audit-event.entity.js';
import type { Actor, OrgPlan, PlanInvoice, PlanPayment, PlanTransfer } from './demo-plan-types.js';

export const AUTOMATIC_TRANSFER = 'Automatic transfer';

/** An audit_event row in `em.insertMany` shape (relations by id). */
export interface AuditRow {
  id: string;
  organization: string;
  at: Date;
  action: string;
  actorType: ActorType;
  actorUser: string | null;
  actorApiClient: string | null;
  systemName: string | null;
  onBehalfOf: string | null;
  entityType: string;
  entityId: string;
  invoiceId: string;
  details: Record<string, unknown>;
  requestId: string | null;
}

function actorColumns(a: Actor) {
  return {
    actorType:
      a.kind === 'user'
        ? ActorType.USER
        : a.kind === 'api'
          ? ActorType.API_CLIENT
          : ActorType.SYSTEM,
    actorUser: a.kind === 'user' ? a.userId : null,
    actorApiClient: a.kind === 'api' ? a.apiClientId : null,
    systemName: a.kind === 'system' ? a.name : null,
    onBehalfOf: a.kind === 'system' ? a.onBehalfOf : null,
  };
}

const user = (userId: string): Actor => ({ kind: 'user', userId });

/** Manual transfers act as the requesting user; automatic ones as "Automatic transfer" for them. */
export function transferActor(t: PlanTransfer): Actor {
  return t.trigger === 'AUTOMATIC'
    ? { kind: 'system', name: AUTOMATIC_TRANSFER, onBehalfOf: t.requestedBy }
    : user(t.requestedBy);
}

/** How a fixed posting was corrected, for the history line. */
function correction(inv: PlanInvoice): Record<string, unknown> {
  const before = inv.badLines?.[0];
  const after = inv.lines[0];
  if (!before) return {};
  if (before.accountCode !== after.accountCode)
    return { line: 1, field: 'accountCode', from: before.accountCode, to: after.accountCode };
  return { line: 1, field: 'costUnitCode', from: before.costUnitCode, to: after.costUnitCode };
}

export function invoiceHistory(plan: OrgPlan, inv: PlanInvoice): AuditRow[] {
  const org = plan.org;
  const rows: AuditRow[] = [];
  const push = (
    at: Date,
    action: string,
    actor: Actor,
    entityType: string,
    entityId: string,
    details: Record<string, unknown>,
  ) =>
    rows.push({
      id: randomUUID(),
      organization: org.id,
      at,
      action,
      ...actorColumns(actor),
      entityType,
      entityId,
      invoiceId: inv.id,
      details,
      requestId: null,
    });
  const onInvoice = (
    at: Date,
    action: string,
    actor: Actor,
    details: Record<string, unknown> = {},
  ) => push(at, action, actor, 'PurchaseInvoice', inv.id, details);

  onInvoice(inv.createdAt, 'invoice.created', inv.createdBy, {
    invoiceNumber: inv.invoiceNumber,
    supplierId: inv.supplier.id,
    supplierName: inv.supplier.def.name,
    billDate: inv.billDate,
    grossAmount: inv.grossAmount,
    currency: org.def.currency,
    source: inv.createdBy.kind === 'api' ? 'E_INVOICE' : 'MANUAL',
  });
  if (inv.codedAt && inv.codedBy) {
    const lines = inv.badLines ?? inv.lines;
    onInvoice(inv.codedAt, 'invoice.posting_changed', user(inv.codedBy), {
      lines: lines.length,
      netAmount: inv.netAmount,
      vatAmount: inv.vatAmount,
    });
  }
  if (inv.postedAt && inv.postedBy) {
    onInvoice(inv.postedAt, 'invoice.posted', user(inv.postedBy), {
      documentNumber: inv.documentNumber,
      fiscalYear: inv.fiscalYear,
    });
  }
  if (inv.sentAt && inv.postedBy) {
    const first = org.stages[0];
    onInvoice(inv.sentAt, 'invoice.sent_to_circulation', user(inv.postedBy), {
      approvalProcessId: org.processId,
      approvalProcessName: org.processName,
      stageId: first.id,
      stageName: first.name,
    });
  }
  for (const save of inv.saves) {
    const stage = org.stages[save.stage];
    onInvoice(save.at, 'invoice.stage_saved', user(save.by), {
      stageId: stage.id,
      stageName: stage.name,
    });
    if (save.stage === org.stages.length - 1)
      onInvoice(new Date(save.at.getTime() + 1), 'invoice.approved', user(save.by));
  }
  if (inv.rejected) {
    const stage = org.stages[inv.stage];
    onInvoice(inv.rejected.at, 'invoice.rejected', user(inv.rejected.by), {
      reason: inv.rejected.reason,
      stageId: stage.id,
      stageName: stage.name,
    });
  }
  if (inv.removed) {
    const reason = inv.duplicateOf
      ? `Duplicate of document ${inv.duplicateOf.documentNumber}/${inv.duplicateOf.fiscalYear} (delivered twice by the operator)`
      : 'Addressed to another company: returned to the supplier';
    onInvoice(inv.removed.at, 'invoice.removed', user(inv.removed.by), {
      reason,
      alsoRemoveFromAccounting: false,
    });
  }
  if (inv.fix) {
    onInvoice(inv.fix.at, 'invoice.posting_changed', user(inv.fix.by), {
      postingVersion: 2,
      ...correction(inv),
    });
  }
  for (const t of inv.transfers) pushTransfer(push, t);
  for (const p of inv.payments) {
    push(p.recordedAt, 'payment.recorded', p.recordedBy, 'Payment', p.id, {
      paymentId: p.id,
      documentNumber: p.documentNumber,
      fiscalYear: p.fiscalYear,
      amount: p.amount,
      paymentDate: p.paymentDate,
      source: p.source,
      bankReference: p.bankReference,
    });
    if (p.transfer) pushTransfer(push, p.transfer, p);
  }
  return rows.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function pushTransfer(
  push: (
    at: Date,
    action: string,
    actor: Actor,
    entityType: string,
    entityId: string,
    details: Record<string, unknown>,
  ) => void,
  t: PlanTransfer,
  payment?: PlanPayment,
) {
  const actor = transferActor(t);
  const doc = payment ? { paymentId: payment.id } : {};
  push(t.queuedAt, 'transfer.queued', actor, 'Transfer', t.id, {
    ...doc,
    kind: 'POST',
    trigger: t.trigger,
    batchId: t.batch.id,
    documentVersion: t.documentVersion,
  });
  if (t.status === 'TRANSFERRED' && t.entry) {
    push(t.finishedAt, 'transfer.transferred', actor, 'Transfer', t.id, {
      ...doc,
      entryId: t.entry.id,
      journal: t.entry.journal,
      period: t.entry.period.name,
      postingDate: t.entry.postingDate,
      originalDate: t.entry.documentDate,
    });
  } else if (t.status === 'FAILED') {
    push(t.finishedAt, 'transfer.failed', actor, 'Transfer', t.id, { ...doc, errors: t.errors });
  }
}

/** The invoice's version: one per change after it was created. */
export function invoiceVersion(rows: AuditRow[]): number {
  return (
    1 +
    rows.filter((r) => r.entityType === 'PurchaseInvoice' && r.action !== 'invoice.created').length
  );
}
