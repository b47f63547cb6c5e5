import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { organizationIdsOf, requireAuthenticated } from '../auth/access.js';
import type { RequestContext } from '../context.js';
import { entryNode, periodNode } from '../accounting/graphql/accounting.mappers.js';
import { ApprovalProcess, ApprovalStage } from '../modules/approval/approval-process.entity.js';
import { approvalProcessNode, approvalStageNode } from '../modules/approval/approval.mappers.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';
import {
  BankAccount,
  BankStatement,
  BankStatementEntry,
} from '../modules/bank-statements/bank-statement.entity.js';
import { InvoiceLine, PurchaseInvoice } from '../modules/invoices/invoice.entity.js';
import { Organization } from '../modules/organizations/organization.entity.js';
import { organizationNode } from '../modules/organizations/organization.mappers.js';
import { Payment } from '../modules/payments/payment.entity.js';
import { Supplier } from '../modules/suppliers/supplier.entity.js';
import { supplierNode } from '../modules/suppliers/supplier.mappers.js';
import { Transfer, TransferBatch, TransferReport } from '../modules/transfers/transfer.entity.js';
import { parseGlobalId } from './ids.js';
import { Node, registerNodeType } from './node.js';

// Resolvers return these entities as they are; the Node interface needs their type names.
registerNodeType(PurchaseInvoice, 'PurchaseInvoice');
registerNodeType(InvoiceLine, 'InvoiceLine');
registerNodeType(Payment, 'Payment');
registerNodeType(Transfer, 'Transfer');
registerNodeType(TransferBatch, 'TransferBatch');
registerNodeType(TransferReport, 'TransferReport');
registerNodeType(AuditEvent, 'AuditEvent');
registerNodeType(BankAccount, 'BankAccount');
registerNodeType(BankStatement, 'BankStatement');
registerNodeType(BankStatementEntry, 'BankStatementEntry');

/** Tenant-owned entities fetchable by node(id), all scoped by organization_id. */
const TENANT_ENTITIES = {
  PurchaseInvoice,
  InvoiceLine,
  Payment,
  Transfer,
  TransferBatch,
  TransferReport,
  AuditEvent,
  BankAccount,
  BankStatement,
  BankStatementEntry,
} as const;

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'Any object by its global id; null when missing or not yours.',
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<unknown> {
    requireAuthenticated(ctx.caller);
    const parsed = parseGlobalId(id);
    if (!parsed) return null;
    const orgIds = organizationIdsOf(ctx.caller);
    const { em } = ctx;
    switch (parsed.type) {
      case 'Organization': {
        if (!orgIds.includes(parsed.id)) return null;
        const org = await em.findOne(Organization, { id: parsed.id });
        return (
          org &&
          organizationNode(
            org,
            ctx.caller.kind === 'user' ? (ctx.caller.roles.get(org.id) ?? null) : null,
          )
        );
      }
      case 'Supplier': {
        const s = await em.findOne(Supplier, { id: parsed.id, organization: { $in: orgIds } });
        return s && supplierNode(s);
      }
      case 'ApprovalProcess': {
        const p = await em.findOne(
          ApprovalProcess,
          { id: parsed.id, organization: { $in: orgIds }, deletedAt: null },
          { populate: ['stages', 'stages.approvers.user'] },
        );
        return p && approvalProcessNode(p);
      }
      case 'ApprovalStage': {
        const s = await em.findOne(
          ApprovalStage,
          { id: parsed.id, organization: { $in: orgIds } },
          { populate: ['approvers.user'] },
        );
        return s && approvalStageNode(s);
      }
      case 'AccountingPeriod': {
        for (const org of orgIds) {
          const period = (await ctx.services.accounting.listPeriods(org)).find(
            (p) => p.id === parsed.id,
          );
          if (period) return periodNode(period);
        }
        return null;
      }
      case 'LedgerEntry': {
        for (const org of orgIds) {
          const entry = await ctx.services.accounting.getEntry(org, parsed.id);
          if (entry) return entryNode(entry);
        }
        return null;
      }
      default: {
        const entity = TENANT_ENTITIES[parsed.type as keyof typeof TENANT_ENTITIES];
        if (!entity) return null;
        return em.findOne(entity as typeof PurchaseInvoice, {
          id: parsed.id,
          organization: { $in: orgIds },
        });
      }
    }
  }
}
