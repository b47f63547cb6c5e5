import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.js';
import { Role } from '../organizations/organization.entity.js';
import { UserType } from '../organizations/organization.types.js';

@ObjectType('ApprovalStage', { implements: Node })
export class ApprovalStageType extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: '0-based order within the process.' })
  position!: number;

  @Field(() => Role, {
    nullable: true,
    description: 'Members with this role may save the stage (admins always may).',
  })
  approverRole!: Role | null;

  @Field(() => [UserType], { description: 'Users named as approvers of this stage.' })
  approvers!: UserType[];

  @Field(() => Boolean, { description: '"Invoice will be transferred from this step".' })
  transferFromThisStep!: boolean;
}

@ObjectType('ApprovalProcess', { implements: Node })
export class ApprovalProcessType extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => Boolean)
  isDefault!: boolean;

  @Field(() => Int)
  version!: number;

  @Field(() => [ApprovalStageType])
  stages!: ApprovalStageType[];
}
