import { toGlobalId } from '../../common/ids.js';
import { userNode } from '../organizations/organization.mappers.js';
import type { ApprovalProcess, ApprovalStage } from './approval-process.entity.js';
import type { ApprovalProcessType, ApprovalStageType } from './approval.types.js';

/** Expects `approvers.user` populated. */
export function approvalStageNode(
  stage: ApprovalStage,
): ApprovalStageType & { __typename: 'ApprovalStage' } {
  return {
    __typename: 'ApprovalStage',
    id: toGlobalId('ApprovalStage', stage.id),
    name: stage.name,
    position: stage.position,
    approverRole: stage.approverRole ?? null,
    approvers: stage.approvers.isInitialized()
      ? stage.approvers.getItems().map((a) => userNode(a.user))
      : [],
    transferFromThisStep: stage.transferFromThisStep,
  };
}

/** Expects `stages.approvers.user` populated. */
export function approvalProcessNode(
  p: ApprovalProcess,
): ApprovalProcessType & { __typename: 'ApprovalProcess' } {
  return {
    __typename: 'ApprovalProcess',
    id: toGlobalId('ApprovalProcess', p.id),
    name: p.name,
    isDefault: p.isDefault,
    version: p.version,
    stages: p.stages
      .getItems()
      .sort((a, b) => a.position - b.position)
      .map(approvalStageNode),
  };
}
