/**
 * Approval circulation: sending an invoice into a process, saving (approving) its stages one by
 * one, rejecting it. Saving a stage raises `invoice.stage_saved` inside the same transaction, so
 * automatic transfer reacts to it exactly when the save commits.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../auth/authenticate.js';
import { Permission, roleAllows, scopesAllow } from '../../auth/permissions.js';
import { emitDomainEvent } from '../../common/domain-events.js';
import { DomainError, UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import { callerUserId, type ServiceContext } from '../../common/service-context.js';
import { assertVersion, Problems, requireCaller } from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { InvoiceStatus, type PurchaseInvoice } from '../invoices/invoice.entity.js';
import { assertNotRemoved, lockInvoiceForChange } from '../invoices/invoice.service.js';
import { Role } from '../organizations/organization.entity.js';
import { ApprovalProcess, ApprovalStage } from './approval-process.entity.js';

const COMMENT_MAX = 2000;
export const MAX_BULK_APPROVALS = 500;
/** Bulk approval saves this many invoices at a time, each in its own transaction. */
const BULK_CONCURRENCY = 4;

/**
 * Who may save (approve or reject at) a stage: admins; members whose role is the stage's
 * approver role; users named as its approvers; API clients with a scope that may approve. All of
 * them need the APPROVE permission in the organization in the first place.
 */
export function maySaveStage(
  caller: Caller,
  organizationId: string,
  stage: ApprovalStage,
): boolean {
  if (caller.kind === 'apiClient') {
    return (
      caller.organizationId === organizationId && scopesAllow(caller.scopes, Permission.APPROVE)
    );
  }
  if (caller.kind !== 'user') return false;
  const role = caller.roles.get(organizationId);
  if (!role || !roleAllows(role, Permission.APPROVE)) return false;
  if (role === Role.ADMIN) return true;
  if (stage.approverRole && stage.approverRole === role) return true;
  return stage.approvers.getItems().some((a) => a.user.id === caller.user.id);
}

/** The stage the invoice waits at and the one after it (null at the last stage), in one query. */
async function currentStageOf(
  em: EntityManager,
  invoice: PurchaseInvoice,
): Promise<{ stage: ApprovalStage; next: ApprovalStage | null }> {
  if (
    invoice.status !== InvoiceStatus.IN_CIRCULATION ||
    !invoice.currentStage ||
    !invoice.approvalProcess
  ) {
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      `The invoice is not in approval circulation (it is ${invoice.status})`,
      ['invoiceId'],
    );
  }
  const stages = await em.find(
    ApprovalStage,
    { organization: invoice.organization.id, process: invoice.approvalProcess.id },
    { populate: ['approvers', 'process'], orderBy: { position: 'asc' } },
  );
  const i = stages.findIndex((s) => s.id === invoice.currentStage!.id);
  if (i < 0)
    throw new Error(
      `invoice ${invoice.id} waits at stage ${invoice.currentStage.id} outside its process`,
    );
  return { stage: stages[i], next: stages[i + 1] ?? null };
}

function assertMaySaveStage(caller: Caller, invoice: PurchaseInvoice, stage: ApprovalStage): void {
  if (!maySaveStage(caller, invoice.organization.id, stage)) {
    const who = [
      stage.approverRole ? `members with the ${stage.approverRole} role` : null,
      'its named approvers',
      'admins',
    ]
      .filter(Boolean)
      .join(', ');
    throw new DomainError(
      UserErrorCode.FORBIDDEN,
      `Stage "${stage.name}" can be saved only by ${who}`,
    );
  }
}

/**
 * The invoice a stage decision (approve or reject) is about, row-locked, with the stage it waits
 * at and the next one; refused unless the caller may save that stage.
 */
async function lockInvoiceAtStage(
  em: EntityManager,
  sctx: ServiceContext,
  invoiceId: string,
  version: number | null | undefined,
): Promise<{ invoice: PurchaseInvoice; stage: ApprovalStage; next: ApprovalStage | null }> {
  const invoice = await lockInvoiceForChange(em, sctx.caller, invoiceId, Permission.APPROVE);
  if (version != null) assertVersion(invoice.version, version, 'The invoice');
  assertNotRemoved(invoice);
  const { stage, next } = await currentStageOf(em, invoice);
  assertMaySaveStage(sctx.caller, invoice, stage);
  return { invoice, stage, next };
}

// ---------------------------------------------------------------------------------------------
// sendToCirculation
// ---------------------------------------------------------------------------------------------

export interface SendToCirculationData {
  invoiceId: string;
  approvalProcessId?: string | null;
  version: number;
}

/** Starts circulation at the first stage of the named process, or of the organization's default. */
export async function sendToCirculation(
  em: EntityManager,
  sctx: ServiceContext,
  input: SendToCirculationData,
): Promise<PurchaseInvoice> {
  const invoice = await lockInvoiceForChange(em, sctx.caller, input.invoiceId, Permission.WRITE);
  assertVersion(invoice.version, input.version, 'The invoice');
  assertNotRemoved(invoice);
  if (invoice.status !== InvoiceStatus.DRAFT && invoice.status !== InvoiceStatus.REJECTED) {
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      invoice.status === InvoiceStatus.APPROVED
        ? 'The invoice is already approved'
        : 'The invoice is already in circulation',
      ['invoiceId'],
    );
  }
  const organizationId = invoice.organization.id;
  let process: ApprovalProcess | null;
  if (input.approvalProcessId) {
    const id = fromGlobalId(input.approvalProcessId, 'ApprovalProcess');
    process = id
      ? await em.findOne(ApprovalProcess, { id, organization: organizationId, deletedAt: null })
      : null;
    if (!process)
      throw new DomainError(UserErrorCode.NOT_FOUND, 'Approval process not found', [
        'approvalProcessId',
      ]);
  } else {
    process = await em.findOne(ApprovalProcess, {
      organization: organizationId,
      isDefault: true,
      deletedAt: null,
    });
    if (!process) {
      throw new DomainError(
        UserErrorCode.NOT_FOUND,
        'The organization has no default approval process: name one with approvalProcessId',
        ['approvalProcessId'],
      );
    }
  }
  const first = await em.findOne(
    ApprovalStage,
    { organization: organizationId, process: process.id },
    { orderBy: { position: 'asc' } },
  );
  if (!first)
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      `Approval process "${process.name}" has no stages`,
      ['approvalProcessId'],
    );

  invoice.status = InvoiceStatus.IN_CIRCULATION;
  invoice.approvalProcess = process;
  invoice.currentStage = first;
  invoice.version += 1;
  recordAudit(em, {
    organizationId,
    action: 'invoice.sent_to_circulation',
    actor: actorOf(sctx.caller),
    entityType: 'PurchaseInvoice',
    entityId: invoice.id,
    invoiceId: invoice.id,
    requestId: sctx.requestId,
    details: {
      approvalProcessId: toGlobalId('ApprovalProcess', process.id),
      approvalProcessName: process.name,
      stageId: toGlobalId('ApprovalStage', first.id),
      stageName: first.name,
    },
  });
  await em.flush();
  return invoice;
}

// ---------------------------------------------------------------------------------------------
// approveInvoice / approveInvoices
// ---------------------------------------------------------------------------------------------

export interface ApproveInvoiceData {
  invoiceId: string;
  /** Required for a single approval; bulk approval may leave it out. */
  version?: number | null;
  comment?: string | null;
}

/**
 * Saves the invoice's current stage and moves it to the next one; saving the last stage makes it
 * APPROVED. Raises `invoice.stage_saved` in the transaction (after the change is flushed, so the
 * handlers see it).
 */
export async function approveInvoice(
  em: EntityManager,
  sctx: ServiceContext,
  input: ApproveInvoiceData,
): Promise<PurchaseInvoice> {
  const { invoice, stage, next } = await lockInvoiceAtStage(
    em,
    sctx,
    input.invoiceId,
    input.version,
  );
  const p = new Problems();
  const comment = p.text(input.comment, ['comment'], {
    max: COMMENT_MAX,
    required: false,
    label: 'Comment',
  });
  p.throwIfAny();

  const approved = !next;
  invoice.currentStage = next;
  if (approved) invoice.status = InvoiceStatus.APPROVED;
  invoice.version += 1;

  const organizationId = invoice.organization.id;
  const actor = actorOf(sctx.caller);
  const at = new Date();
  const audit = {
    organizationId,
    actor,
    entityType: 'PurchaseInvoice',
    entityId: invoice.id,
    invoiceId: invoice.id,
    requestId: sctx.requestId,
  };
  recordAudit(em, {
    ...audit,
    at,
    action: 'invoice.stage_saved',
    details: {
      stageId: toGlobalId('ApprovalStage', stage.id),
      stageName: stage.name,
      position: stage.position,
      transferFromThisStep: stage.transferFromThisStep,
      comment,
      nextStageId: next ? toGlobalId('ApprovalStage', next.id) : null,
      nextStageName: next?.name ?? null,
    },
  });
  if (approved) {
    recordAudit(em, {
      ...audit,
      // A millisecond later, so the history (newest first) always lists the approval above the save.
      at: new Date(at.getTime() + 1),
      action: 'invoice.approved',
      details: {
        approvalProcessId: toGlobalId('ApprovalProcess', stage.process.id),
        approvalProcessName: stage.process.name,
      },
    });
  }
  await em.flush();
  await emitDomainEvent(em, 'invoice.stage_saved', {
    organizationId,
    invoiceId: invoice.id,
    stageId: stage.id,
    transferFromThisStep: stage.transferFromThisStep,
    approved,
    actor,
    userId: callerUserId(sctx.caller),
    requestId: sctx.requestId,
  });
  return invoice;
}

/** Points a single approval's field at the bulk input: invoiceId → invoiceIds[i], version → versions[i]. */
function bulkField(field: string[] | undefined, i: number): string[] | undefined {
  if (field?.[0] === 'invoiceId') return ['invoiceIds', String(i), ...field.slice(1)];
  if (field?.[0] === 'version') return ['versions', String(i), ...field.slice(1)];
  return field;
}

export interface ApproveInvoicesData {
  invoiceIds: string[];
  /** Optional, in the order of invoiceIds: each invoice is saved only at the version read. */
  versions?: number[] | null;
  comment?: string | null;
}

export interface BulkApprovalResult {
  invoiceId: string;
  invoice: PurchaseInvoice | null;
  userErrors: UserErrorDetail[];
}

/**
 * Saves the current stage of many invoices. Each invoice is saved in its own transaction, so
 * one that fails (not found, wrong approver, stale, a handler refusing) changes nothing of the
 * others; the result lists every invoice in the order asked, with its own userErrors.
 */
export async function approveInvoices(
  rootEm: EntityManager,
  sctx: ServiceContext,
  input: ApproveInvoicesData,
): Promise<BulkApprovalResult[]> {
  requireCaller(sctx.caller);
  const p = new Problems();
  if (input.invoiceIds.length === 0) p.add('Name at least one invoice', ['invoiceIds']);
  if (input.invoiceIds.length > MAX_BULK_APPROVALS) {
    p.add(`At most ${MAX_BULK_APPROVALS} invoices per call (got ${input.invoiceIds.length})`, [
      'invoiceIds',
    ]);
  }
  const seen = new Set<string>();
  input.invoiceIds.forEach((id, i) => {
    if (seen.has(id)) p.add('This invoice is listed twice', ['invoiceIds', String(i)]);
    seen.add(id);
  });
  if (input.versions && input.versions.length !== input.invoiceIds.length) {
    p.add(
      `versions must list one version per invoice id (${input.invoiceIds.length}), got ${input.versions.length}`,
      ['versions'],
    );
  }
  p.text(input.comment, ['comment'], { max: COMMENT_MAX, required: false, label: 'Comment' });
  p.throwIfAny();

  const results: BulkApprovalResult[] = new Array(input.invoiceIds.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < input.invoiceIds.length) {
      const i = nextIndex++;
      const invoiceId = input.invoiceIds[i];
      const em = rootEm.fork();
      try {
        const invoice = await em.transactional((tx) =>
          approveInvoice(tx, sctx, {
            invoiceId,
            version: input.versions?.[i] ?? null,
            comment: input.comment,
          }),
        );
        results[i] = { invoiceId, invoice, userErrors: [] };
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        results[i] = {
          invoiceId,
          invoice: null,
          userErrors: err.errors.map((e) => ({ ...e, field: bulkField(e.field, i) })),
        };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(BULK_CONCURRENCY, input.invoiceIds.length) }, worker),
  );
  return results;
}

// ---------------------------------------------------------------------------------------------
// rejectInvoice
// ---------------------------------------------------------------------------------------------

export interface RejectInvoiceData {
  invoiceId: string;
  version: number;
  reason: string;
  /** An earlier stage of the same process to send the invoice back to, instead of rejecting it outright. */
  returnToStage?: string | null;
}

/**
 * Refuses the invoice at its current stage (same approvers as saving it). Without returnToStage
 * it becomes REJECTED and may be corrected and sent to circulation again; with one it goes back
 * to that earlier stage and stays in circulation.
 */
export async function rejectInvoice(
  em: EntityManager,
  sctx: ServiceContext,
  input: RejectInvoiceData,
): Promise<PurchaseInvoice> {
  const { invoice, stage } = await lockInvoiceAtStage(em, sctx, input.invoiceId, input.version);
  const p = new Problems();
  const reason = p.text(input.reason, ['reason'], {
    max: COMMENT_MAX,
    required: true,
    label: 'The reason',
  });
  p.throwIfAny();

  let returnTo: ApprovalStage | null = null;
  if (input.returnToStage) {
    const id = fromGlobalId(input.returnToStage, 'ApprovalStage');
    returnTo = id
      ? await em.findOne(ApprovalStage, {
          id,
          organization: invoice.organization.id,
          process: stage.process.id,
        })
      : null;
    if (!returnTo) {
      throw new DomainError(
        UserErrorCode.NOT_FOUND,
        `Stage not found in approval process "${stage.process.name}"`,
        ['returnToStage'],
      );
    }
    if (returnTo.position >= stage.position) {
      throw new DomainError(
        UserErrorCode.VALIDATION,
        `An invoice can be returned only to an earlier stage than "${stage.name}"`,
        ['returnToStage'],
      );
    }
    invoice.currentStage = returnTo;
  } else {
    invoice.status = InvoiceStatus.REJECTED;
    invoice.currentStage = null;
  }
  invoice.version += 1;
  recordAudit(em, {
    organizationId: invoice.organization.id,
    action: 'invoice.rejected',
    actor: actorOf(sctx.caller),
    entityType: 'PurchaseInvoice',
    entityId: invoice.id,
    invoiceId: invoice.id,
    requestId: sctx.requestId,
    details: {
      reason,
      stageId: toGlobalId('ApprovalStage', stage.id),
      stageName: stage.name,
      returnToStageId: returnTo ? toGlobalId('ApprovalStage', returnTo.id) : null,
      returnToStageName: returnTo?.name ?? null,
    },
  });
  await em.flush();
  return invoice;
}
