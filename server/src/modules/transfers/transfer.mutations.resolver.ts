import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AccountingRejection } from '../../accounting/accounting-system.js';
import { entryNode, periodNode } from '../../accounting/graphql/accounting.mappers.js';
import { authorizeOrganization, organizationIdsOf } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import { fromGlobalId } from '../../common/ids.js';
import { runMutation } from '../../common/mutation.js';
import { requireCaller } from '../../common/validation.js';
import type { RequestContext } from '../../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { withIdempotency } from '../idempotency/idempotency.service.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { Transfer, TransferBatch } from './transfer.entity.js';
import {
  AdjustPostingPeriodInput,
  ExportInvoicesInput,
  ExportPaymentsInput,
  PeriodInput,
  RemoveFromAccountingInput,
  RemoveInvoiceInput,
  RetryTransferInput,
  SetLockDateInput,
  UpdateTransferSettingsInput,
} from './transfer.inputs.js';
import {
  AdjustPostingPeriodPayload,
  ClosePeriodPayload,
  ExportInvoicesPayload,
  ExportPaymentsPayload,
  RemoveFromAccountingPayload,
  RemoveInvoicePayload,
  RetryTransferPayload,
  ReopenPeriodPayload,
  SetLockDatePayload,
  UpdateTransferSettingsPayload,
} from './transfer.payloads.js';
import { lockTransferSettings } from './transfer-settings.service.js';
import {
  exportInvoices,
  exportPayments,
  removeInvoice,
  requesterOf,
  retryTransfer,
  reverseDocument,
  type ExportResult,
} from './transfer.service.js';

const MAX_DOCUMENTS_PER_EXPORT = 500;

/** The organization a document id belongs to, if the caller can see it; else NOT_FOUND. */
async function organizationOf(
  ctx: RequestContext,
  em: EntityManager,
  entity: typeof PurchaseInvoice | typeof Payment | typeof Transfer,
  uuid: string | null,
  field: string,
): Promise<string> {
  // Anonymous callers learn they must sign in, not whether the id exists.
  requireCaller(ctx.caller);
  const row = uuid
    ? await em.findOne(entity as typeof Transfer, {
        id: uuid,
        organization: { $in: organizationIdsOf(ctx.caller) },
      })
    : null;
  if (!row) throw new DomainError(UserErrorCode.NOT_FOUND, 'Not found', [field]);
  return row.organization.id;
}

/**
 * An export that accepted no document is refused as a whole: it rolls back, so its idempotency
 * key stays free for the retry once the documents are fixed (instead of replaying the refusal).
 */
function acceptedAny(result: ExportResult): ExportResult {
  if (!result.transferIds.length && result.errors.length) throw new DomainError(result.errors);
  return result;
}

function orgUuid(globalId: string): string {
  return fromGlobalId(globalId, 'Organization') ?? '00000000-0000-0000-0000-000000000000';
}

function accountingError(err: unknown, field: string[]): never {
  if (err instanceof AccountingRejection) {
    throw new DomainError(
      err.problems.map((p) => ({
        code:
          p.code === 'PERIOD_LOCKED'
            ? UserErrorCode.PERIOD_LOCKED
            : p.code === 'ENTRY_NOT_FOUND'
              ? UserErrorCode.NOT_FOUND
              : UserErrorCode.VALIDATION,
        message: p.message,
        field: p.code === 'ENTRY_NOT_FOUND' ? field : (p.field ?? field),
      })),
    );
  }
  throw err;
}

@Resolver()
export class TransferMutationsResolver {
  private async exportPayload(em: EntityManager, organizationId: string, result: ExportResult) {
    const batch = result.batchId
      ? await em.findOne(TransferBatch, { id: result.batchId, organization: organizationId })
      : null;
    const transfers = result.transferIds.length
      ? await em.find(Transfer, { id: { $in: result.transferIds }, organization: organizationId })
      : [];
    const order = new Map(result.transferIds.map((id, i) => [id, i]));
    transfers.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return {
      batch,
      transfers,
      userErrors: result.errors.map((e: UserErrorDetail) => ({ ...e, field: e.field ?? null })),
    };
  }

  @Mutation(() => ExportInvoicesPayload, {
    description:
      'Queues a transfer to the ledger for each eligible invoice; ineligible ones come back as userErrors.',
  })
  async exportInvoices(
    @Arg('input', () => ExportInvoicesInput) input: ExportInvoicesInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { batch: null, transfers: [] }, async (em) => {
      const organizationId = authorizeOrganization(
        ctx.caller,
        orgUuid(input.organizationId),
        Permission.EXPORT,
      );
      if (input.invoiceIds.length > MAX_DOCUMENTS_PER_EXPORT) {
        throw new DomainError(
          UserErrorCode.VALIDATION,
          `At most ${MAX_DOCUMENTS_PER_EXPORT} invoices per export`,
          ['invoiceIds'],
        );
      }
      const { result } = await withIdempotency(
        em,
        {
          organizationId,
          key: input.idempotencyKey,
          operation: 'exportInvoices',
          input: { invoiceIds: input.invoiceIds },
        },
        () =>
          exportInvoices(
            em,
            organizationId,
            input.invoiceIds.map((id) => fromGlobalId(id, 'PurchaseInvoice')),
            requesterOf(ctx.caller, ctx.requestId),
          ).then(acceptedAny),
      );
      return this.exportPayload(em, organizationId, result);
    });
  }

  @Mutation(() => ExportPaymentsPayload, {
    description: 'Queues payments whose invoices are in the ledger.',
  })
  async exportPayments(
    @Arg('input', () => ExportPaymentsInput) input: ExportPaymentsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { batch: null, transfers: [] }, async (em) => {
      const organizationId = authorizeOrganization(
        ctx.caller,
        orgUuid(input.organizationId),
        Permission.EXPORT,
      );
      if (input.paymentIds.length > MAX_DOCUMENTS_PER_EXPORT) {
        throw new DomainError(
          UserErrorCode.VALIDATION,
          `At most ${MAX_DOCUMENTS_PER_EXPORT} payments per export`,
          ['paymentIds'],
        );
      }
      const { result } = await withIdempotency(
        em,
        {
          organizationId,
          key: input.idempotencyKey,
          operation: 'exportPayments',
          input: { paymentIds: input.paymentIds },
        },
        () =>
          exportPayments(
            em,
            organizationId,
            input.paymentIds.map((id) => fromGlobalId(id, 'Payment')),
            requesterOf(ctx.caller, ctx.requestId),
          ).then(acceptedAny),
      );
      return this.exportPayload(em, organizationId, result);
    });
  }

  @Mutation(() => RetryTransferPayload)
  async retryTransfer(
    @Arg('input', () => RetryTransferInput) input: RetryTransferInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { transfer: null }, async (em) => {
      const transferId = fromGlobalId(input.transferId, 'Transfer');
      const organizationId = authorizeOrganization(
        ctx.caller,
        await organizationOf(ctx, em, Transfer, transferId, 'transferId'),
        Permission.EXPORT,
      );
      const { result } = await withIdempotency(
        em,
        {
          organizationId,
          key: input.idempotencyKey,
          operation: 'retryTransfer',
          input: { transferId: input.transferId },
        },
        () =>
          retryTransfer(em, organizationId, transferId!, requesterOf(ctx.caller, ctx.requestId)),
      );
      return {
        transfer: await em.findOne(Transfer, {
          id: result.transferId,
          organization: organizationId,
        }),
      };
    });
  }

  @Mutation(() => RemoveInvoicePayload, {
    description:
      'Removes an invoice (its history is kept). For an invoice in the ledger, say whether to reverse the entry.',
  })
  async removeInvoice(
    @Arg('input', () => RemoveInvoiceInput) input: RemoveInvoiceInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { invoice: null, transfer: null, warnings: [] }, async (em) => {
      const invoiceId = fromGlobalId(input.invoiceId, 'PurchaseInvoice');
      const organizationId = authorizeOrganization(
        ctx.caller,
        await organizationOf(ctx, em, PurchaseInvoice, invoiceId, 'invoiceId'),
        Permission.WRITE,
      );
      const { result } = await withIdempotency(
        em,
        {
          organizationId,
          key: input.idempotencyKey,
          operation: 'removeInvoice',
          input: {
            invoiceId: input.invoiceId,
            alsoRemoveFromAccounting: input.alsoRemoveFromAccounting,
          },
        },
        () =>
          removeInvoice(
            em,
            ctx.caller,
            organizationId,
            invoiceId!,
            input.alsoRemoveFromAccounting,
            requesterOf(ctx.caller, ctx.requestId),
          ),
      );
      return {
        invoice: await em.findOne(PurchaseInvoice, {
          id: result.invoiceId,
          organization: organizationId,
        }),
        transfer: result.transferId
          ? await em.findOne(Transfer, { id: result.transferId, organization: organizationId })
          : null,
        warnings: result.keptInLedger
          ? [
              {
                code: 'STILL_IN_ACCOUNTING',
                message:
                  'The invoice was removed here but its entry stays in the ledger; remove it from accounting if it should go too',
                field: ['alsoRemoveFromAccounting'],
              },
            ]
          : [],
      };
    });
  }

  @Mutation(() => RemoveFromAccountingPayload, {
    description: "Posts a REVERSAL of a document's ledger entry.",
  })
  async removeFromAccounting(
    @Arg('input', () => RemoveFromAccountingInput) input: RemoveFromAccountingInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { transfer: null }, async (em) => {
      if (!!input.invoiceId === !!input.paymentId) {
        throw new DomainError(UserErrorCode.VALIDATION, 'Give either invoiceId or paymentId', [
          'invoiceId',
        ]);
      }
      const invoiceId = input.invoiceId ? fromGlobalId(input.invoiceId, 'PurchaseInvoice') : null;
      const paymentId = input.paymentId ? fromGlobalId(input.paymentId, 'Payment') : null;
      const organizationId = authorizeOrganization(
        ctx.caller,
        input.invoiceId
          ? await organizationOf(ctx, em, PurchaseInvoice, invoiceId, 'invoiceId')
          : await organizationOf(ctx, em, Payment, paymentId, 'paymentId'),
        Permission.EXPORT,
      );
      const { result } = await withIdempotency(
        em,
        {
          organizationId,
          key: input.idempotencyKey,
          operation: 'removeFromAccounting',
          input: { invoiceId: input.invoiceId, paymentId: input.paymentId },
        },
        () =>
          reverseDocument(
            em,
            organizationId,
            { invoiceId, paymentId },
            requesterOf(ctx.caller, ctx.requestId),
          ),
      );
      return {
        transfer: await em.findOne(Transfer, {
          id: result.transferId,
          organization: organizationId,
        }),
      };
    });
  }

  @Mutation(() => AdjustPostingPeriodPayload, {
    description: 'Moves a ledger entry to another open period (admin).',
  })
  async adjustPostingPeriod(
    @Arg('input', () => AdjustPostingPeriodInput) input: AdjustPostingPeriodInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { ledgerEntry: null }, async (em) => {
      requireCaller(ctx.caller);
      const entryId = fromGlobalId(input.ledgerEntryId, 'LedgerEntry');
      const periodId = fromGlobalId(input.periodId, 'AccountingPeriod');
      let found: {
        org: string;
        entry: Awaited<ReturnType<RequestContext['services']['accounting']['getEntry']>>;
      } | null = null;
      for (const org of organizationIdsOf(ctx.caller)) {
        const entry = entryId ? await ctx.services.accounting.getEntry(org, entryId) : null;
        if (entry) found = { org, entry };
      }
      if (!found)
        throw new DomainError(UserErrorCode.NOT_FOUND, 'Ledger entry not found', ['ledgerEntryId']);
      const organizationId = authorizeOrganization(ctx.caller, found.org, Permission.ADMIN);
      if (!periodId)
        throw new DomainError(UserErrorCode.NOT_FOUND, 'Period not found', ['periodId']);
      const moved = await ctx.services.accounting
        .moveEntryToPeriod(organizationId, entryId!, periodId)
        .catch((err) => accountingError(err, ['periodId']));
      await em.nativeUpdate(
        Transfer,
        { organization: organizationId, ledgerEntryId: moved.id },
        { postingDate: moved.postingDate },
      );
      const invoice = await em.findOne(PurchaseInvoice, {
        organization: organizationId,
        ledgerEntryId: moved.id,
      });
      const payment = invoice
        ? null
        : await em.findOne(Payment, { organization: organizationId, ledgerEntryId: moved.id });
      recordAudit(em, {
        organizationId,
        action: 'ledger.entry_moved',
        actor: requesterOf(ctx.caller, ctx.requestId).actor,
        entityType: 'LedgerEntry',
        entityId: moved.id,
        invoiceId: invoice?.id ?? payment?.invoice.id ?? null,
        details: {
          entryId: moved.id,
          fromPeriod: found.entry!.period.name,
          fromPostingDate: found.entry!.postingDate,
          toPeriod: moved.period.name,
          postingDate: moved.postingDate,
        },
        requestId: ctx.requestId,
      });
      await em.flush();
      return { ledgerEntry: entryNode(moved) };
    });
  }

  @Mutation(() => UpdateTransferSettingsPayload, {
    description: 'Automatic transfer, export mode and closed-period policy (admin).',
  })
  async updateTransferSettings(
    @Arg('input', () => UpdateTransferSettingsInput) input: UpdateTransferSettingsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { transferSettings: null }, async (em) => {
      const organizationId = authorizeOrganization(
        ctx.caller,
        orgUuid(input.organizationId),
        Permission.ADMIN,
      );
      const settings = await lockTransferSettings(em, organizationId);
      const before = {
        autoTransferInvoices: settings.autoTransferInvoices,
        autoTransferPayments: settings.autoTransferPayments,
        exportMode: settings.exportMode,
        closedPeriodPolicy: settings.closedPeriodPolicy,
      };
      if (input.autoTransferInvoices != null)
        settings.autoTransferInvoices = input.autoTransferInvoices;
      if (input.autoTransferPayments != null)
        settings.autoTransferPayments = input.autoTransferPayments;
      if (input.exportMode != null) settings.exportMode = input.exportMode;
      if (input.closedPeriodPolicy != null) settings.closedPeriodPolicy = input.closedPeriodPolicy;
      recordAudit(em, {
        organizationId,
        action: 'settings.transfer_updated',
        actor: requesterOf(ctx.caller, ctx.requestId).actor,
        entityType: 'Organization',
        entityId: organizationId,
        details: {
          before,
          after: {
            ...before,
            ...Object.fromEntries(
              Object.entries(input).filter(([k, v]) => v != null && k !== 'organizationId'),
            ),
          },
        },
        requestId: ctx.requestId,
      });
      await em.flush();
      return { transferSettings: settings };
    });
  }

  @Mutation(() => SetLockDatePayload, {
    description: 'Sets the accounts-payable lock date (admin): nothing is posted on or before it.',
  })
  async setLockDate(
    @Arg('input', () => SetLockDateInput) input: SetLockDateInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { lockDate: null }, async (em) => {
      const organizationId = authorizeOrganization(
        ctx.caller,
        orgUuid(input.organizationId),
        Permission.ADMIN,
      );
      const before = (await ctx.services.accounting.getSettings(organizationId)).apLockDate;
      const settings = await ctx.services.accounting
        .setLockDate(organizationId, input.lockDate)
        .catch((err) => accountingError(err, ['lockDate']));
      recordAudit(em, {
        organizationId,
        action: 'ledger.lock_date_set',
        actor: requesterOf(ctx.caller, ctx.requestId).actor,
        entityType: 'Organization',
        entityId: organizationId,
        details: { before, after: settings.apLockDate },
        requestId: ctx.requestId,
      });
      await em.flush();
      return { lockDate: settings.apLockDate };
    });
  }

  @Mutation(() => ClosePeriodPayload, {
    description: 'Closes a period (admin); postings in flight finish first.',
  })
  async closePeriod(
    @Arg('input', () => PeriodInput) input: PeriodInput,
    @Ctx() ctx: RequestContext,
  ) {
    return this.setPeriod(input, ctx, 'close');
  }

  @Mutation(() => ReopenPeriodPayload, { description: 'Reopens a closed period (admin).' })
  async reopenPeriod(
    @Arg('input', () => PeriodInput) input: PeriodInput,
    @Ctx() ctx: RequestContext,
  ) {
    return this.setPeriod(input, ctx, 'reopen');
  }

  private async setPeriod(input: PeriodInput, ctx: RequestContext, action: 'close' | 'reopen') {
    return runMutation(ctx, { period: null }, async (em) => {
      const organizationId = authorizeOrganization(
        ctx.caller,
        orgUuid(input.organizationId),
        Permission.ADMIN,
      );
      const periodId = fromGlobalId(input.periodId, 'AccountingPeriod');
      if (!periodId)
        throw new DomainError(UserErrorCode.NOT_FOUND, 'Period not found', ['periodId']);
      const accounting = ctx.services.accounting;
      const period = await (
        action === 'close'
          ? accounting.closePeriod(organizationId, periodId)
          : accounting.reopenPeriod(organizationId, periodId)
      ).catch((err) => accountingError(err, ['periodId']));
      recordAudit(em, {
        organizationId,
        action: action === 'close' ? 'ledger.period_closed' : 'ledger.period_reopened',
        actor: requesterOf(ctx.caller, ctx.requestId).actor,
        entityType: 'AccountingPeriod',
        entityId: period.id,
        details: { period: period.name },
        requestId: ctx.requestId,
      });
      await em.flush();
      return { period: periodNode(period) };
    });
  }
}
