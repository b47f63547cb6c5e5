import { GraphQLError, Kind, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Resolver, Root, Subscription } from 'type-graphql';
import {
  organizationIdsOf,
  readableOrganization,
  requireAuthenticated,
} from '../../auth/access.js';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import type { RequestContext } from '../../context.js';
import type { TransferEventHub } from './events/transfer-events.js';
import type { BatchSignalQueue, TransferChange } from './events/subscriber-queue.js';
import { Transfer, TransferBatch } from './transfer.entity.js';
import { BatchStatus, DocumentType, type TransferErrorDetail } from './transfer.enums.js';
import { batchCounts } from './transfer.queries.js';
import { TransferStatusEventType } from './transfer.subscriptions.types.js';
import { TransferBatchType, TransferType } from './transfer.types.js';

/** What the event resolvers see: the shared change, plus its fields for the client. */
type TransferStatusEventRoot = TransferStatusEventType & { change: TransferChange };

/** One emission of batch progress; the resolver marks `progress.finished` when nothing is live. */
interface BatchTick {
  organizationId: string;
  batchId: string;
  progress: { finished: boolean };
}

/**
 * Transfer fields that read only the row's own columns and relation ids (through the event's
 * EntityManager and loaders). When a subscription selects nothing else, its transfer is a plain
 * snapshot of the row, built once per change and shared read-only by the replica's subscribers:
 * a managed entity costs the ORM ~100 µs to build, times every subscriber, times every event.
 * Any other field (requestedBy, performer, fragments, fields added later) gets a managed entity.
 */
const SNAPSHOT_COLUMNS = [
  'id',
  'documentType',
  'documentVersion',
  'kind',
  'status',
  'trigger',
  'attempts',
  'nextAttemptAt',
  'originalDate',
  'postingDate',
  'errors',
  'createdAt',
  'updatedAt',
  'finishedAt',
];
const SNAPSHOT_FIELDS = new Set([
  '__typename',
  ...SNAPSHOT_COLUMNS,
  'invoice',
  'payment',
  'batch',
  'ledgerEntry',
]);

/**
 * Fields (`Type.field`) whose value comes from the event alone: not from the caller, not from the
 * database. A subscription that selects only these (without fragments) gets the same result for
 * an event as every other such subscription with the same document and variables, so the replica
 * executes it once per event and sends that result to all of them (see realtime/ws-server.ts).
 */
export const FIELDS_FROM_THE_EVENT_ALONE: ReadonlySet<string> = new Set([
  'Subscription.transferStatusChanged',
  ...[
    'status',
    'final',
    'occurredAt',
    'documentType',
    'invoiceId',
    'paymentId',
    'batchId',
    'errors',
    'resync',
    'transfer',
  ].map((f) => `TransferStatusEvent.${f}`),
  ...SNAPSHOT_COLUMNS.map((f) => `Transfer.${f}`),
  'TransferError.code',
  'TransferError.message',
  'TransferError.field',
]);

function snapshotSuffices(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every((node) =>
    (node.selectionSet?.selections ?? []).every(
      (sel) => sel.kind === Kind.FIELD && SNAPSHOT_FIELDS.has(sel.name.value),
    ),
  );
}

const snapshots = new WeakMap<TransferChange, Transfer>();

function snapshotOf(change: TransferChange): Transfer {
  let snapshot = snapshots.get(change);
  if (!snapshot) {
    const row = change.row;
    const ref = (id: unknown) => (id ? Object.freeze({ id: id as string }) : null);
    const date = (ms: unknown) => (ms == null ? null : new Date(ms as number));
    // Shaped like the entity for the fields in SNAPSHOT_FIELDS; not an entity of any EntityManager.
    snapshot = Object.freeze({
      id: row.id,
      organization: ref(row.organization_id),
      documentType: row.document_type,
      documentVersion: row.document_version,
      kind: row.kind,
      status: row.status,
      trigger: row.trigger,
      attempts: row.attempts,
      nextAttemptAt: date(row.next_attempt_at_ms),
      originalDate: row.original_date,
      postingDate: row.posting_date,
      errors: Object.freeze([...((row.errors as TransferErrorDetail[] | null) ?? [])]),
      createdAt: date(row.created_at_ms),
      updatedAt: date(row.updated_at_ms),
      finishedAt: date(row.finished_at_ms),
      invoice: ref(row.invoice_id),
      payment: ref(row.payment_id),
      batch: ref(row.batch_id),
      ledgerEntryId: row.ledger_entry_id ?? null,
    }) as unknown as Transfer;
    snapshots.set(change, snapshot);
  }
  return snapshot;
}

function hubOf(ctx: RequestContext): TransferEventHub {
  const hub = ctx.services.transferEvents;
  if (!hub)
    throw new GraphQLError('Live updates are not available on this server', {
      extensions: { code: 'BAD_REQUEST' },
    });
  return hub;
}

function batchNotFound(): GraphQLError {
  return new GraphQLError('Transfer batch not found', { extensions: { code: 'NOT_FOUND' } });
}

/** The source stream of batch progress: a signal per change, and the end once the batch is done. */
function batchTicks(
  signals: BatchSignalQueue,
  organizationId: string,
  batchId: string,
): AsyncIterableIterator<BatchTick> {
  const progress = { finished: false };
  const done = { done: true as const, value: undefined };
  const it: AsyncIterableIterator<BatchTick> = {
    async next() {
      if (progress.finished) {
        signals.close();
        return done;
      }
      const r = await signals.next();
      if (r.done) return done;
      return { done: false, value: { organizationId, batchId, progress } };
    },
    async return() {
      signals.close();
      return done;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

@Resolver(() => TransferStatusEventType)
export class TransferSubscriptionResolver {
  @Subscription(() => TransferStatusEventType, {
    description:
      'Every status change of every transfer of the organization, from now on. A foreign organization is refused like a missing one.',
    subscribe: ({ args, context }) => {
      const ctx = context as RequestContext;
      const organizationId = readableOrganization(ctx.caller, args.organizationId as string);
      return hubOf(ctx).subscribeOrganization(organizationId);
    },
  })
  transferStatusChanged(
    @Arg('organizationId', () => ID) _organizationId: string,
    @Root() change: TransferChange,
  ): TransferStatusEventRoot {
    const row = change.row;
    const invoiceId = row.invoice_id as string | null;
    const paymentId = row.payment_id as string | null;
    return {
      change,
      status: change.status,
      final: change.final,
      occurredAt: change.occurredAt,
      documentType: row.document_type as DocumentType,
      invoiceId: invoiceId ? toGlobalId('PurchaseInvoice', invoiceId) : null,
      paymentId: paymentId ? toGlobalId('Payment', paymentId) : null,
      batchId: change.batchId ? toGlobalId('TransferBatch', change.batchId) : null,
      errors: ((row.errors as TransferErrorDetail[] | null) ?? []).map((e) => ({
        code: e.code,
        message: e.message,
        field: e.field ?? null,
      })),
      resync: change.resync,
    };
  }

  @FieldResolver(() => TransferType, {
    description: 'The transfer as it was when this status was set.',
  })
  transfer(
    @Root() event: TransferStatusEventRoot,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Transfer {
    if (snapshotSuffices(info)) return snapshotOf(event.change);
    // The row was loaded once for every subscriber of this replica; this event maps its own copy
    // into its own EntityManager.
    const {
      created_at_ms: _c,
      updated_at_ms: _u,
      next_attempt_at_ms: _n,
      finished_at_ms: _f,
      ...columns
    } = event.change.row;
    return ctx.em.map(Transfer, columns);
  }

  @Subscription(() => TransferBatchType, {
    description:
      'The progress of a batch: its state now, then again on every change; completes once no transfer of it is live (at once for a finished batch).',
    subscribe: async ({ args, context }) => {
      const ctx = context as RequestContext;
      requireAuthenticated(ctx.caller);
      const id = fromGlobalId(args.batchId as string, 'TransferBatch');
      const batch = id
        ? await ctx.em.findOne(TransferBatch, {
            id,
            organization: { $in: organizationIdsOf(ctx.caller) },
          })
        : null;
      if (!batch) throw batchNotFound();
      readableOrganization(ctx.caller, toGlobalId('Organization', batch.organization.id));
      return batchTicks(hubOf(ctx).subscribeBatch(batch.id), batch.organization.id, batch.id);
    },
  })
  async transferBatchProgress(
    @Arg('batchId', () => ID) _batchId: string,
    @Root() tick: BatchTick,
    @Ctx() ctx: RequestContext,
  ): Promise<TransferBatch> {
    const batch = await ctx.em.findOne(TransferBatch, {
      id: tick.batchId,
      organization: tick.organizationId,
    });
    if (!batch) throw batchNotFound();
    const counts = await batchCounts(ctx.em, tick.organizationId, tick.batchId);
    if (counts.queued + counts.sending + counts.inDoubt === 0) {
      tick.progress.finished = true;
      // DONE means nothing is live; shown as such even before the engine stamps the row. This
      // entity lives in this event's own EntityManager, which is never flushed.
      batch.status = BatchStatus.DONE;
    }
    return batch;
  }
}
