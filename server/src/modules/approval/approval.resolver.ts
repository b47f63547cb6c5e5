import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { readableOrganization } from '../../auth/access.js';
import type { RequestContext } from '../../context.js';
import { ApprovalProcess } from './approval-process.entity.js';
import { approvalProcessNode } from './approval.mappers.js';
import { ApprovalProcessType } from './approval.types.js';

@Resolver()
export class ApprovalQueryResolver {
  @Query(() => [ApprovalProcessType], { description: 'The default process first, then by name.' })
  async approvalProcesses(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    const processes = await ctx.em.find(
      ApprovalProcess,
      { organization: orgId, deletedAt: null },
      {
        populate: ['stages', 'stages.approvers.user'],
        orderBy: { isDefault: 'desc', name: 'asc' },
      },
    );
    return processes.map(approvalProcessNode);
  }
}
