import { Field, ID, ObjectType } from 'type-graphql';
import { UserError } from '../../common/payload.types.js';
import type { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { ApprovalProcessType } from './approval.types.js';

@ObjectType('SendToCirculationPayload')
export class SendToCirculationPayload {
  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: PurchaseInvoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('ApproveInvoicePayload')
export class ApproveInvoicePayload {
  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: PurchaseInvoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('ApproveInvoicesResult', {
  description: 'The outcome for one invoice of a bulk approval.',
})
export class ApproveInvoicesResult {
  @Field(() => ID, { description: 'The id as it was sent.' })
  invoiceId!: string;

  @Field(() => PurchaseInvoiceType, {
    nullable: true,
    description: 'The invoice after its stage was saved; null when it failed.',
  })
  invoice!: PurchaseInvoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('ApproveInvoicesPayload')
export class ApproveInvoicesPayload {
  @Field(() => [ApproveInvoicesResult], { description: 'One per invoice id, in the order sent.' })
  results!: ApproveInvoicesResult[];

  @Field(() => [UserError], {
    description: 'Problems with the request as a whole (then no invoice was touched).',
  })
  userErrors!: UserError[];
}

@ObjectType('RejectInvoicePayload')
export class RejectInvoicePayload {
  @Field(() => PurchaseInvoiceType, { nullable: true })
  invoice!: PurchaseInvoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('CreateApprovalProcessPayload')
export class CreateApprovalProcessPayload {
  @Field(() => ApprovalProcessType, { nullable: true })
  approvalProcess!: ApprovalProcessType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('UpdateApprovalProcessPayload')
export class UpdateApprovalProcessPayload {
  @Field(() => ApprovalProcessType, { nullable: true })
  approvalProcess!: ApprovalProcessType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('DeleteApprovalProcessPayload')
export class DeleteApprovalProcessPayload {
  @Field(() => ID, { nullable: true })
  deletedApprovalProcessId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
