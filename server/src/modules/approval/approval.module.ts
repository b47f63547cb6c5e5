import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { ApprovalProcess, ApprovalStage } from './approval-process.entity.js';
import { approvalProcessNode, approvalStageNode } from './approval.mappers.js';
import { ApprovalMutationResolver } from './approval.mutations.resolver.js';
import { ApprovalQueryResolver } from './approval.resolver.js';

registerTenantEntity('ApprovalProcess', ApprovalProcess, {
  async load(ctx, id, organizationIds) {
    const p = await ctx.em.findOne(
      ApprovalProcess,
      { id, organization: { $in: organizationIds }, deletedAt: null },
      { populate: ['stages', 'stages.approvers.user'] },
    );
    return p && approvalProcessNode(p);
  },
});
registerTenantEntity('ApprovalStage', ApprovalStage, {
  async load(ctx, id, organizationIds) {
    const s = await ctx.em.findOne(
      ApprovalStage,
      { id, organization: { $in: organizationIds } },
      { populate: ['approvers.user'] },
    );
    return s && approvalStageNode(s);
  },
});

export const approvalModule: ApiModule = {
  name: 'approval',
  resolvers: [ApprovalQueryResolver, ApprovalMutationResolver],
};
