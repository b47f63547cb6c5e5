import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { DomainError } from '../../common/errors.js';
import { runMutation } from '../../common/mutation.js';
import { toUserErrors } from '../../common/payload.types.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import type { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { approvalProcessNode } from './approval.mappers.js';
import type { ApprovalProcessType } from './approval.types.js';
import {
  ApproveInvoiceInput,
  ApproveInvoicesInput,
  CreateApprovalProcessInput,
  DeleteApprovalProcessInput,
  RejectInvoiceInput,
  SendToCirculationInput,
  UpdateApprovalProcessInput,
} from './approval.inputs.js';
import {
  ApproveInvoicePayload,
  ApproveInvoicesPayload,
  CreateApprovalProcessPayload,
  DeleteApprovalProcessPayload,
  RejectInvoicePayload,
  SendToCirculationPayload,
  UpdateApprovalProcessPayload,
} from './approval.payloads.js';
import {
  createApprovalProcess,
  deleteApprovalProcess,
  updateApprovalProcess,
} from './approval-process.service.js';
import {
  approveInvoice,
  approveInvoices,
  rejectInvoice,
  sendToCirculation,
} from './approval.service.js';

type InvoiceResult = { invoice: PurchaseInvoice | null };
type ProcessResult = { approvalProcess: ApprovalProcessType | null };

@Resolver()
export class ApprovalMutationResolver {
  @Mutation(() => SendToCirculationPayload, {
    description:
      'Starts approval circulation (DRAFT or REJECTED invoices) at the first stage of the process, the default one when none is named. Posting is not required to circulate.',
  })
  async sendToCirculation(
    @Arg('input', () => SendToCirculationInput) input: SendToCirculationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SendToCirculationPayload> {
    return runMutation<InvoiceResult>(ctx, { invoice: null }, async (em) => ({
      invoice: await sendToCirculation(em, serviceContext(ctx), input),
    }));
  }

  @Mutation(() => ApproveInvoicePayload, {
    description:
      'Saves the current stage (its approver role, its named approvers, admins, or tokens with the write scope); saving the last one makes the invoice APPROVED.',
  })
  async approveInvoice(
    @Arg('input', () => ApproveInvoiceInput) input: ApproveInvoiceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ApproveInvoicePayload> {
    return runMutation<InvoiceResult>(ctx, { invoice: null }, async (em) => ({
      invoice: await approveInvoice(em, serviceContext(ctx), input),
    }));
  }

  @Mutation(() => ApproveInvoicesPayload, {
    description: 'Saves the current stage of many invoices, with a result per invoice.',
  })
  async approveInvoices(
    @Arg('input', () => ApproveInvoicesInput) input: ApproveInvoicesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ApproveInvoicesPayload> {
    try {
      const results = await approveInvoices(ctx.em, serviceContext(ctx), input);
      return {
        results: results.map((r) => ({
          invoiceId: r.invoiceId,
          invoice: r.invoice,
          userErrors: toUserErrors(r.userErrors),
        })),
        userErrors: [],
      };
    } catch (err) {
      if (err instanceof DomainError) return { results: [], userErrors: toUserErrors(err.errors) };
      throw err;
    }
  }

  @Mutation(() => RejectInvoicePayload, {
    description: 'Rejects the invoice at its current stage, or returns it to an earlier stage.',
  })
  async rejectInvoice(
    @Arg('input', () => RejectInvoiceInput) input: RejectInvoiceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RejectInvoicePayload> {
    return runMutation<InvoiceResult>(ctx, { invoice: null }, async (em) => ({
      invoice: await rejectInvoice(em, serviceContext(ctx), input),
    }));
  }

  @Mutation(() => CreateApprovalProcessPayload)
  async createApprovalProcess(
    @Arg('input', () => CreateApprovalProcessInput) input: CreateApprovalProcessInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateApprovalProcessPayload> {
    return runMutation<ProcessResult>(ctx, { approvalProcess: null }, async (em) => ({
      approvalProcess: approvalProcessNode(
        await createApprovalProcess(em, serviceContext(ctx), input),
      ),
    }));
  }

  @Mutation(() => UpdateApprovalProcessPayload, {
    description:
      'Renames, sets the default, or replaces the stage list (add, remove, reorder, approvers, transfer flag).',
  })
  async updateApprovalProcess(
    @Arg('input', () => UpdateApprovalProcessInput) input: UpdateApprovalProcessInput,
    @Ctx() ctx: RequestContext,
  ): Promise<UpdateApprovalProcessPayload> {
    return runMutation<ProcessResult>(ctx, { approvalProcess: null }, async (em) => ({
      approvalProcess: approvalProcessNode(
        await updateApprovalProcess(em, serviceContext(ctx), input),
      ),
    }));
  }

  @Mutation(() => DeleteApprovalProcessPayload, {
    description: 'Refused (IN_USE) while invoices circulate in it, or while it is the default.',
  })
  async deleteApprovalProcess(
    @Arg('input', () => DeleteApprovalProcessInput) input: DeleteApprovalProcessInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteApprovalProcessPayload> {
    return runMutation<{ deletedApprovalProcessId: string | null }>(
      ctx,
      { deletedApprovalProcessId: null },
      async (em) => ({
        deletedApprovalProcessId: await deleteApprovalProcess(em, serviceContext(ctx), input),
      }),
    );
  }
}
