import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  organizationIdsOf,
  readableOrganization,
  requireAuthenticated,
} from '../../auth/access.js';
import { pageSize } from '../../common/connection.js';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import { formatMoney } from '../../common/money.js';
import { UserError, Warning } from '../../common/payload.types.js';
import { DecimalScalar } from '../../common/scalars.js';
import type { RequestContext } from '../../context.js';
import { entryNode } from '../../accounting/graphql/accounting.mappers.js';
import { LedgerEntryType } from '../../accounting/graphql/accounting.types.js';
import { approvalStageNode, approvalProcessNode } from '../approval/approval.mappers.js';
import { ApprovalProcessType, ApprovalStageType } from '../approval/approval.types.js';
import { invoiceHistory } from '../audit/audit.queries.js';
import { AuditEventConnection } from '../audit/audit.types.js';
import { Payment } from '../payments/payment.entity.js';
import { paidAmount } from '../payments/payment.service.js';
import { PaymentType } from '../payments/payment.types.js';
import { supplierNode } from '../suppliers/supplier.mappers.js';
import { SupplierType } from '../suppliers/supplier.types.js';
import { Transfer } from '../transfers/transfer.entity.js';
import { TransferErrorType, TransferType } from '../transfers/transfer.types.js';
import { ApprovalProcess } from '../approval/approval-process.entity.js';
import { InvoiceLine, PurchaseInvoice } from './invoice.entity.js';
import { invoiceTabCounts, listInvoices } from './invoice.queries.js';
import { postingWarnings } from './posting-warnings.js';
import { InvoiceTab, invoiceTransferBlockers, isLedgerOutOfDate } from './invoice.rules.js';
import {
  InvoiceFilter,
  InvoiceLineType,
  InvoiceOrder,
  InvoiceTabCountType,
  PurchaseInvoiceConnection,
  PurchaseInvoiceType,
} from './invoice.types.js';

/** Loads an invoice the caller may read, or null (missing and foreign look the same). */
export async function findReadableInvoice(
  ctx: RequestContext,
  globalId: string,
): Promise<PurchaseInvoice | null> {
  requireAuthenticated(ctx.caller);
  const id = fromGlobalId(globalId, 'PurchaseInvoice');
  if (!id) return null;
  return ctx.em.findOne(PurchaseInvoice, {
    id,
    organization: { $in: organizationIdsOf(ctx.caller) },
  });
}

@Resolver(() => PurchaseInvoiceType)
export class InvoiceResolver {
  @Query(() => PurchaseInvoiceConnection, {
    description: 'Invoices of one tab, newest bill date first by default.',
  })
  async invoices(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('tab', () => InvoiceTab) tab: InvoiceTab,
    @Arg('filter', () => InvoiceFilter, { nullable: true }) filter: InvoiceFilter | null,
    @Arg('orderBy', () => InvoiceOrder, { nullable: true }) orderBy: InvoiceOrder | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    return listInvoices(ctx.em, orgId, tab, filter, orderBy, pageSize(first), after);
  }

  @Query(() => [InvoiceTabCountType])
  async invoiceTabCounts(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return invoiceTabCounts(ctx.em, readableOrganization(ctx.caller, organizationId));
  }

  @Query(() => PurchaseInvoiceType, { nullable: true })
  async invoice(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return findReadableInvoice(ctx, id);
  }

  @FieldResolver(() => ID)
  id(@Root() inv: PurchaseInvoice) {
    return toGlobalId('PurchaseInvoice', inv.id);
  }

  @FieldResolver(() => SupplierType)
  async supplier(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return supplierNode((await ctx.loaders.supplier.load(inv.supplier.id))!);
  }

  @FieldResolver(() => PurchaseInvoiceType, {
    nullable: true,
    description: 'The invoice this credit note credits, when it names one.',
  })
  async creditedInvoice(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    if (!inv.creditedInvoice) return null;
    return ctx.em.findOne(PurchaseInvoice, {
      id: inv.creditedInvoice.id,
      organization: inv.organization.id,
    });
  }

  @FieldResolver(() => [PurchaseInvoiceType], {
    description: 'Credit notes that name this invoice as the one they credit (not removed).',
  })
  async creditNotes(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return ctx.em.find(
      PurchaseInvoice,
      { organization: inv.organization.id, creditedInvoice: inv.id, removedAt: null },
      { orderBy: { billDate: 'asc', id: 'asc' } },
    );
  }

  @FieldResolver(() => ApprovalProcessType, { nullable: true })
  async approvalProcess(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    if (!inv.approvalProcess) return null;
    const process = await ctx.em.findOne(
      ApprovalProcess,
      { id: inv.approvalProcess.id },
      { populate: ['stages', 'stages.approvers.user'] },
    );
    return process ? approvalProcessNode(process) : null;
  }

  @FieldResolver(() => ApprovalStageType, {
    nullable: true,
    description: 'The stage the invoice waits at.',
  })
  async currentStage(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    if (!inv.currentStage) return null;
    const stage = await ctx.loaders.stage.load(inv.currentStage.id);
    if (!stage) return null;
    await ctx.em.populate(stage, ['approvers.user']);
    return approvalStageNode(stage);
  }

  @FieldResolver(() => [InvoiceLineType])
  async lines(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return ctx.loaders.invoiceLines.load(inv.id);
  }

  @FieldResolver(() => TransferErrorType, {
    nullable: true,
    description: 'First reason the latest transfer failed.',
  })
  async lastTransferError(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return (await this.lastTransferErrors(inv, ctx))[0] ?? null;
  }

  @FieldResolver(() => [TransferErrorType], {
    description: 'Every reason the latest transfer failed (empty unless it failed).',
  })
  async lastTransferErrors(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    if (!inv.lastTransferId) return [];
    const t = await ctx.loaders.transfer.load(inv.lastTransferId);
    return (t?.errors ?? []).map((e) => ({
      code: e.code,
      message: e.message,
      field: e.field ?? null,
    }));
  }

  @FieldResolver(() => LedgerEntryType, {
    nullable: true,
    description: 'The ledger entry that represents this invoice now.',
  })
  async ledgerEntry(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    if (!inv.ledgerEntryId) return null;
    const entry = await ctx.loaders.ledgerEntry.load(`${inv.organization.id}:${inv.ledgerEntryId}`);
    return entry ? entryNode(entry) : null;
  }

  @FieldResolver(() => Boolean, {
    description: 'In the ledger, but the posting changed since: a correction is due.',
  })
  ledgerOutOfDate(@Root() inv: PurchaseInvoice) {
    return isLedgerOutOfDate(inv);
  }

  @FieldResolver(() => [UserError], {
    description: 'Why the invoice cannot be transferred now; empty when it can.',
  })
  async transferBlockers(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    const stage = inv.currentStage ? await ctx.loaders.stage.load(inv.currentStage.id) : null;
    return invoiceTransferBlockers(inv, !!stage?.transferFromThisStep).map((e) => ({
      ...e,
      field: null,
    }));
  }

  @FieldResolver(() => AuditEventConnection, {
    description: 'Every change and transfer step, newest first.',
  })
  async history(
    @Root() inv: PurchaseInvoice,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return invoiceHistory(ctx.em, inv.organization.id, inv.id, pageSize(first), after);
  }

  @FieldResolver(() => [TransferType], { description: 'Newest first.' })
  async transfers(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return ctx.em.find(
      Transfer,
      { organization: inv.organization.id, invoice: inv.id },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  @FieldResolver(() => [PaymentType])
  async payments(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return ctx.em.find(
      Payment,
      { organization: inv.organization.id, invoice: inv.id, removedAt: null },
      { orderBy: { paymentDate: 'asc', documentNumber: 'asc' } },
    );
  }

  @FieldResolver(() => DecimalScalar, {
    description: 'Sum of the payments recorded for the invoice.',
  })
  async paidAmount(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return formatMoney(await paidAmount(ctx.em, inv));
  }

  @FieldResolver(() => DecimalScalar, { description: 'Gross amount not yet paid.' })
  async openAmount(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    return formatMoney((await paidAmount(ctx.em, inv)).negated().plus(inv.grossAmount));
  }

  @FieldResolver(() => [Warning], {
    description: 'Master-data problems of the posting lines that would block a transfer.',
  })
  async postingWarnings(@Root() inv: PurchaseInvoice, @Ctx() ctx: RequestContext) {
    const lines = await ctx.loaders.invoiceLines.load(inv.id);
    return postingWarnings(ctx.services.accounting, inv.organization.id, inv.billDate, lines);
  }
}

@Resolver(() => InvoiceLineType)
export class InvoiceLineResolver {
  @FieldResolver(() => ID)
  id(@Root() line: InvoiceLine) {
    return toGlobalId('InvoiceLine', line.id);
  }
}
