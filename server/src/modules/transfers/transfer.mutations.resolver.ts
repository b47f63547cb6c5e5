import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { authorizeOrganization, organizationIdsOf } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import { fromGlobalId } from '../../common/ids.js';
import { runMutation } from '../../common/mutation.js';
import { serviceContext } from '../../common/service-context.js';
import { authorizeOrganizationInput, requireCaller } from '../../common/validation.js';
import type { RequestContext } from '../../context.js';
import { withIdempotency } from '../idempotency/idempotency.service.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { Transfer, TransferBatch } from './transfer.entity.js';
import {
  ExportInvoicesInput,
  ExportPaymentsInput,
  RemoveFromAccountingInput,
  RemoveInvoicesFromAccountingInput,
  RemoveInvoiceInput,
  RetryTransferInput,
  UpdateTransferSettingsInput,
} from './transfer.inputs.js';
import {
  ExportInvoicesPayload,
  ExportPaymentsPayload,
  RemoveFromAccountingPayload,
  RemoveInvoicePayload,
  RemoveInvoicesFromAccountingPayload,
  RetryTransferPayload,
  UpdateTransferSettingsPayload,
} from './transfer.payloads.js';
import { updateTransferSettings } from './transfer-settings.service.js';
import {
  exportInvoices,
  exportPayments,
  removeInvoice,
  requesterOf,
  retryTransfer,
  reverseDocument,
  reverseInvoices,
  type ExportResult,
} from './transfer.service.js';

const MAX_DOCUMENTS_PER_EXPORT = 500;

/** What differs between exporting invoices and exporting payments. */
interface DocumentExport {
  operation: 'exportInvoices' | 'exportPayments' | 'removeInvoicesFromAccounting';
  idsField: 'invoiceIds' | 'paymentIds';
  plural: string;
  globalIds: string[];
  type: 'PurchaseInvoice' | 'Payment';
  queue: typeof exportInvoices;
}

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

  /** exportInvoices, exportPayments and removeInvoicesFromAccounting: at most 500 documents, idempotent, refused as a whole when none is accepted. */
  private async exportDocuments(
    ctx: RequestContext,
    organizationGlobalId: string,
    idempotencyKey: string,
    spec: DocumentExport,
  ) {
    const done = await runMutation(ctx, { accepted: null }, async (em) => {
      const organizationId = authorizeOrganizationInput(
        ctx.caller,
        organizationGlobalId,
        Permission.EXPORT,
      );
      if (spec.globalIds.length > MAX_DOCUMENTS_PER_EXPORT) {
        throw new DomainError(
          UserErrorCode.VALIDATION,
          `At most ${MAX_DOCUMENTS_PER_EXPORT} ${spec.plural} per export`,
          [spec.idsField],
        );
      }
      const { result } = await withIdempotency(
        em,
        {
          organizationId,
          key: idempotencyKey,
          operation: spec.operation,
          input: { [spec.idsField]: spec.globalIds },
        },
        () =>
          spec
            .queue(
              em,
              organizationId,
              spec.globalIds.map((id) => fromGlobalId(id, spec.type)),
              requesterOf(ctx.caller, ctx.requestId),
            )
            .then(acceptedAny),
      );
      return { accepted: { organizationId, result } };
    });
    if (!done.accepted) return { batch: null, transfers: [], userErrors: done.userErrors };
    // Read once committed, outside the transaction: its flush would otherwise compare hundreds
    // of freshly loaded transfers for changes, and the invoices' locks would be held meanwhile.
    // A replayed export answers with the transfers as they are now, and so does this one.
    return this.exportPayload(ctx.em, done.accepted.organizationId, done.accepted.result);
  }

  @Mutation(() => ExportInvoicesPayload, {
    description:
      'Queues a transfer to the ledger for each eligible invoice; ineligible ones come back as userErrors.',
  })
  async exportInvoices(
    @Arg('input', () => ExportInvoicesInput) input: ExportInvoicesInput,
    @Ctx() ctx: RequestContext,
  ) {
    return this.exportDocuments(ctx, input.organizationId, input.idempotencyKey, {
      operation: 'exportInvoices',
      idsField: 'invoiceIds',
      plural: 'invoices',
      globalIds: input.invoiceIds,
      type: 'PurchaseInvoice',
      queue: exportInvoices,
    });
  }

  @Mutation(() => ExportPaymentsPayload, {
    description: 'Queues payments whose invoices are in the ledger.',
  })
  async exportPayments(
    @Arg('input', () => ExportPaymentsInput) input: ExportPaymentsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return this.exportDocuments(ctx, input.organizationId, input.idempotencyKey, {
      operation: 'exportPayments',
      idsField: 'paymentIds',
      plural: 'payments',
      globalIds: input.paymentIds,
      type: 'Payment',
      queue: exportPayments,
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

  @Mutation(() => RemoveInvoicesFromAccountingPayload, {
    description:
      "Posts a REVERSAL of each listed invoice's ledger entry, in one batch; refused ones come back as userErrors.",
  })
  async removeInvoicesFromAccounting(
    @Arg('input', () => RemoveInvoicesFromAccountingInput) input: RemoveInvoicesFromAccountingInput,
    @Ctx() ctx: RequestContext,
  ) {
    return this.exportDocuments(ctx, input.organizationId, input.idempotencyKey, {
      operation: 'removeInvoicesFromAccounting',
      idsField: 'invoiceIds',
      plural: 'invoices',
      globalIds: input.invoiceIds,
      type: 'PurchaseInvoice',
      queue: reverseInvoices,
    });
  }

  @Mutation(() => UpdateTransferSettingsPayload, {
    description: 'Automatic transfer, export mode and closed-period policy (admin).',
  })
  async updateTransferSettings(
    @Arg('input', () => UpdateTransferSettingsInput) input: UpdateTransferSettingsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { transferSettings: null }, async (em) => ({
      transferSettings: await updateTransferSettings(em, serviceContext(ctx), input),
    }));
  }
}
