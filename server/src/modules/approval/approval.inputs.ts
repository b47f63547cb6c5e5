import { Field, ID, InputType, Int } from 'type-graphql';
import { Role } from '../organizations/organization.entity.js';

@InputType('SendToCirculationInput')
export class SendToCirculationInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => ID, { nullable: true, description: "Omit for the organization's default process." })
  approvalProcessId?: string | null;

  @Field(() => Int)
  version!: number;
}

@InputType('ApproveInvoiceInput')
export class ApproveInvoiceInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}

@InputType('ApproveInvoicesInput')
export class ApproveInvoicesInput {
  @Field(() => [ID], {
    description: 'At most 500 invoices; each saved at its current stage, in its own transaction.',
  })
  invoiceIds!: string[];

  @Field(() => [Int], {
    nullable: true,
    description:
      'Optional: the versions read, in the order of invoiceIds; an invoice changed since gets STALE_VERSION.',
  })
  versions?: number[] | null;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}

@InputType('RejectInvoiceInput')
export class RejectInvoiceInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String)
  reason!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Send the invoice back to this earlier stage (it stays in circulation) instead of rejecting it outright.',
  })
  returnToStage?: string | null;
}

@InputType('ApprovalStageInput')
export class ApprovalStageInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Keep this existing stage (updateApprovalProcess); omit for a new stage.',
  })
  id?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => Role, {
    nullable: true,
    description: 'Members with this role may save the stage (admins always may).',
  })
  approverRole?: Role | null;

  @Field(() => [ID], { nullable: true, description: 'Users who may save the stage.' })
  approverUserIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: '"Invoice will be transferred from this step" (default false).',
  })
  transferFromThisStep?: boolean | null;
}

@InputType('CreateApprovalProcessInput')
export class CreateApprovalProcessInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "Make it the organization's default (the first process always is).",
  })
  isDefault?: boolean | null;

  @Field(() => [ApprovalStageInput], { description: 'In order; at least one.' })
  stages!: ApprovalStageInput[];
}

@InputType('UpdateApprovalProcessInput')
export class UpdateApprovalProcessInput {
  @Field(() => ID)
  approvalProcessId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true makes it the default; the default cannot be unset, only replaced.',
  })
  isDefault?: boolean | null;

  @Field(() => [ApprovalStageInput], {
    nullable: true,
    description:
      'The complete new list of stages in order: stages with an id are kept, without one added, left out removed.',
  })
  stages?: ApprovalStageInput[] | null;
}

@InputType('DeleteApprovalProcessInput')
export class DeleteApprovalProcessInput {
  @Field(() => ID)
  approvalProcessId!: string;

  @Field(() => Int, { nullable: true })
  version?: number | null;
}
