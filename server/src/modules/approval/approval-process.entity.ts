import {
  Collection,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OneToMany,
  Property,
  type Opt,
} from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';
import { Organization, Role } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';

@Entity({ tableName: 'approval_process' })
@Index({ properties: ['organization', 'name'] })
export class ApprovalProcess extends TenantEntity {
  @Property({ type: 'text' })
  name!: string;

  /** The process new invoices are sent to when none is named; one per organization. */
  @Property({ type: 'boolean' })
  isDefault: Opt<boolean> = false;

  @Property({ type: 'integer' })
  version: Opt<number> = 1;

  @Property({ type: 'datetime', nullable: true })
  deletedAt?: Date | null;

  @OneToMany({ entity: () => ApprovalStage, mappedBy: 'process', orderBy: { position: 'asc' } })
  stages = new Collection<ApprovalStage>(this);
}

@Entity({ tableName: 'approval_stage' })
@Index({ properties: ['organization', 'process', 'position'] })
export class ApprovalStage extends TenantEntity {
  @ManyToOne({ entity: () => ApprovalProcess, deleteRule: 'cascade' })
  process!: ApprovalProcess;

  /** 0-based order within the process. */
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'text' })
  name!: string;

  /** Members with this role (or ADMIN) may save the stage; named approvers may too. */
  @Enum({ items: () => Role, nullable: true })
  approverRole?: Role | null;

  /** "Invoice will be transferred from this step". */
  @Property({ type: 'boolean' })
  transferFromThisStep: Opt<boolean> = false;

  @OneToMany({ entity: () => ApprovalStageApprover, mappedBy: 'stage' })
  approvers = new Collection<ApprovalStageApprover>(this);
}

/** A user named as approver of a stage. */
@Entity({ tableName: 'approval_stage_approver' })
@Index({ properties: ['organization', 'user'] })
export class ApprovalStageApprover {
  @ManyToOne({ entity: () => ApprovalStage, primary: true, deleteRule: 'cascade' })
  stage!: ApprovalStage;

  @ManyToOne({ entity: () => User, primary: true, deleteRule: 'cascade' })
  user!: User;

  @ManyToOne({ entity: () => Organization, deleteRule: 'restrict' })
  organization!: Organization;
}
