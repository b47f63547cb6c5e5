import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { readableOrganization } from '../../auth/access.js';
import { pageSize } from '../../common/connection.js';
import { toGlobalId } from '../../common/ids.js';
import type { RequestContext } from '../../context.js';
import { entryNode } from '../../accounting/graphql/accounting.mappers.js';
import { LedgerEntryType } from '../../accounting/graphql/accounting.types.js';
import { ActorUnion } from '../audit/audit.types.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { PaymentType } from '../payments/payment.types.js';
import { apiClientNode, userNode } from '../organizations/organization.mappers.js';
import { Payment } from '../payments/payment.entity.js';
import { Transfer, TransferBatch, TransferReport } from './transfer.entity.js';
import { loadTransferSettings } from './transfer-settings.service.js';
import { TransferStatus } from './transfer.enums.js';
import { batchCounts, listTransferReports, listTransfers } from './transfer.queries.js';
import {
  TransferBatchType,
  TransferConnection,
  TransferReportConnection,
  TransferReportItemType,
  TransferReportType,
  TransferSettingsType,
  TransferType,
} from './transfer.types.js';

@Resolver(() => TransferType)
export class TransferResolver {
  @Query(() => TransferConnection, { description: 'Newest first.' })
  async transfers(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('status', () => [TransferStatus], { nullable: true }) status: TransferStatus[] | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    return listTransfers(ctx.em, orgId, status, pageSize(first), after);
  }

  @Query(() => TransferSettingsType)
  async transferSettings(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return loadTransferSettings(ctx.em, readableOrganization(ctx.caller, organizationId));
  }

  @FieldResolver(() => ID)
  id(@Root() t: Transfer) {
    return toGlobalId('Transfer', t.id);
  }

  @FieldResolver(() => PurchaseInvoiceType, { nullable: true })
  async invoice(@Root() t: Transfer, @Ctx() ctx: RequestContext) {
    // Batched: an export of 500 answers with 500 transfers, each naming its invoice.
    const invoice = t.invoice ? await ctx.loaders.invoice.load(t.invoice.id) : null;
    return invoice?.organization.id === t.organization.id ? invoice : null;
  }

  @FieldResolver(() => PaymentType, { nullable: true })
  async payment(@Root() t: Transfer, @Ctx() ctx: RequestContext) {
    const payment = t.payment ? await ctx.loaders.payment.load(t.payment.id) : null;
    return payment?.organization.id === t.organization.id ? payment : null;
  }

  @FieldResolver(() => TransferBatchType, { nullable: true })
  async batch(@Root() t: Transfer, @Ctx() ctx: RequestContext) {
    const batch = t.batch ? await ctx.loaders.batch.load(t.batch.id) : null;
    return batch?.organization.id === t.organization.id ? batch : null;
  }

  @FieldResolver(() => LedgerEntryType, { nullable: true })
  async ledgerEntry(@Root() t: Transfer, @Ctx() ctx: RequestContext) {
    if (!t.ledgerEntryId) return null;
    const entry = await ctx.loaders.ledgerEntry.load(`${t.organization.id}:${t.ledgerEntryId}`);
    return entry ? entryNode(entry) : null;
  }

  @FieldResolver(() => ActorUnion, { nullable: true, description: 'Who asked for the transfer.' })
  async requestedBy(@Root() t: Transfer, @Ctx() ctx: RequestContext) {
    if (t.requestedByApiClient) {
      const client = await ctx.loaders.apiClient.load(t.requestedByApiClient.id);
      return client ? apiClientNode(client) : null;
    }
    if (t.requestedByUser) {
      const user = await ctx.loaders.user.load(t.requestedByUser.id);
      return user ? userNode(user) : null;
    }
    return null;
  }

  @FieldResolver(() => ActorUnion, {
    nullable: true,
    description:
      'Who carried it out: the requester, or "Automatic transfer" on behalf of the user who saved the stage.',
  })
  async performer(@Root() t: Transfer, @Ctx() ctx: RequestContext) {
    if (t.performer) {
      const user = t.requestedByUser ? await ctx.loaders.user.load(t.requestedByUser.id) : null;
      return {
        __typename: 'SystemActor',
        name: t.performer,
        onBehalfOf: user ? userNode(user) : null,
      };
    }
    return this.requestedBy(t, ctx);
  }
}

/** One count query per batch object, however many of its count fields are asked for. */
const countsCache = new WeakMap<TransferBatch, ReturnType<typeof batchCounts>>();
function countsOf(b: TransferBatch, ctx: RequestContext) {
  let counts = countsCache.get(b);
  if (!counts) {
    counts = batchCounts(ctx.em, b.organization.id, b.id);
    countsCache.set(b, counts);
  }
  return counts;
}

@Resolver(() => TransferBatchType)
export class TransferBatchResolver {
  @FieldResolver(() => ID)
  id(@Root() b: TransferBatch) {
    return toGlobalId('TransferBatch', b.id);
  }

  @FieldResolver(() => Int)
  async queued(@Root() b: TransferBatch, @Ctx() ctx: RequestContext) {
    return (await countsOf(b, ctx)).queued;
  }

  @FieldResolver(() => Int)
  async sending(@Root() b: TransferBatch, @Ctx() ctx: RequestContext) {
    return (await countsOf(b, ctx)).sending;
  }

  @FieldResolver(() => Int)
  async transferred(@Root() b: TransferBatch, @Ctx() ctx: RequestContext) {
    return (await countsOf(b, ctx)).transferred;
  }

  @FieldResolver(() => Int)
  async failed(@Root() b: TransferBatch, @Ctx() ctx: RequestContext) {
    return (await countsOf(b, ctx)).failed;
  }

  @FieldResolver(() => Int)
  async inDoubt(@Root() b: TransferBatch, @Ctx() ctx: RequestContext) {
    return (await countsOf(b, ctx)).inDoubt;
  }
}

@Resolver(() => TransferReportType)
export class TransferReportResolver {
  @Query(() => TransferReportConnection, {
    description: 'Reports of runs that had failures, newest first.',
  })
  async transferReports(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    return listTransferReports(ctx.em, orgId, pageSize(first), after);
  }

  @FieldResolver(() => ID)
  id(@Root() r: TransferReport) {
    return toGlobalId('TransferReport', r.id);
  }

  @FieldResolver(() => TransferBatchType, { nullable: true })
  async batch(@Root() r: TransferReport, @Ctx() ctx: RequestContext) {
    const batch = r.batch ? await ctx.loaders.batch.load(r.batch.id) : null;
    return batch?.organization.id === r.organization.id ? batch : null;
  }

  @FieldResolver(() => [TransferReportItemType])
  async items(@Root() r: TransferReport, @Ctx() ctx: RequestContext) {
    const invoiceIds = r.items.map((i) => i.invoiceId).filter((x): x is string => !!x);
    const paymentIds = r.items.map((i) => i.paymentId).filter((x): x is string => !!x);
    const invoices = new Map(
      (
        await ctx.em.find(PurchaseInvoice, {
          organization: r.organization.id,
          id: { $in: invoiceIds },
        })
      ).map((i) => [i.id, i]),
    );
    const payments = new Map(
      (
        await ctx.em.find(Payment, { organization: r.organization.id, id: { $in: paymentIds } })
      ).map((p) => [p.id, p]),
    );
    return r.items.map((item) => ({
      invoice: item.invoiceId ? (invoices.get(item.invoiceId) ?? null) : null,
      payment: item.paymentId ? (payments.get(item.paymentId) ?? null) : null,
      errors: item.errors.map((e) => ({
        code: e.code,
        message: e.message,
        field: e.field ?? null,
      })),
    }));
  }
}
