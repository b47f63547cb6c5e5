/**
 * Configuring approval processes (admins): stages in order, who saves each stage, which stage
 * an invoice is transferred from, and the organization's one default process.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authorizeOrganization, organizationIdsOf } from '../../auth/access.js';
import { Permission, roleAllows } from '../../auth/permissions.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import type { ServiceContext } from '../../common/service-context.js';
import {
  assertVersion,
  authorizeOrganizationInput,
  Problems,
  requireCaller,
  requireGlobalId,
} from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { InvoiceStatus, PurchaseInvoice } from '../invoices/invoice.entity.js';
import { Membership, Organization, Role } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';
import {
  ApprovalProcess,
  ApprovalStage,
  ApprovalStageApprover,
} from './approval-process.entity.js';

export const MAX_STAGES = 20;
const NAME_MAX = 100;

export interface StageData {
  /** An existing stage of the process to keep (update only); omitted for a new stage. */
  id?: string | null;
  name: string;
  approverRole?: Role | null;
  approverUserIds?: string[] | null;
  transferFromThisStep?: boolean | null;
}

export interface CreateProcessData {
  organizationId: string;
  name: string;
  isDefault?: boolean | null;
  stages: StageData[];
}

export interface UpdateProcessData {
  approvalProcessId: string;
  version: number;
  name?: string | null;
  isDefault?: boolean | null;
  /** The complete new list of stages, in order; stages of the process left out are removed. */
  stages?: StageData[] | null;
}

interface CheckedStage {
  existing: ApprovalStage | null;
  name: string;
  approverRole: Role | null;
  approverUserIds: string[];
  transferFromThisStep: boolean;
}

/** The process configuration as it is recorded in audit events (before/after). */
interface ProcessSnapshot {
  name: string;
  isDefault: boolean;
  stages: {
    id: string;
    name: string;
    position: number;
    approverRole: Role | null;
    approverUserIds: string[];
    transferFromThisStep: boolean;
  }[];
}

/**
 * Serializes configuration changes of one organization's processes, so "exactly one default"
 * and "names are unique" hold under concurrent admins.
 */
async function lockProcessConfiguration(em: EntityManager, organizationId: string): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
    `approval-processes:${organizationId}`,
  ]);
}

async function loadProcess(
  em: EntityManager,
  id: string,
  organizationId?: string,
): Promise<ApprovalProcess> {
  return em.findOneOrFail(
    ApprovalProcess,
    { id, ...(organizationId ? { organization: organizationId } : {}) },
    { populate: ['stages', 'stages.approvers', 'stages.approvers.user'], refresh: true },
  );
}

function snapshot(process: ApprovalProcess): ProcessSnapshot {
  return {
    name: process.name,
    isDefault: process.isDefault,
    stages: process.stages
      .getItems()
      .sort((a, b) => a.position - b.position)
      .map((s) => ({
        id: toGlobalId('ApprovalStage', s.id),
        name: s.name,
        position: s.position,
        approverRole: s.approverRole ?? null,
        approverUserIds: s.approvers
          .getItems()
          .map((a) => toGlobalId('User', a.user.id))
          .sort(),
        transferFromThisStep: s.transferFromThisStep,
      })),
  };
}

async function assertNameFree(
  em: EntityManager,
  organizationId: string,
  name: string,
  exceptId: string | null,
): Promise<void> {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from approval_process
      where organization_id = ? and deleted_at is null and lower(name) = lower(?) and (?::uuid is null or id <> ?::uuid)`,
    [organizationId, name, exceptId, exceptId],
  );
  if (Number(row.n) > 0) {
    throw new DomainError(
      UserErrorCode.VALIDATION,
      `An approval process named "${name}" already exists`,
      ['name'],
    );
  }
}

/**
 * Checks the stage list: 1..MAX_STAGES stages, each named, each with someone who may save it (a
 * role that may approve, or named members who may), kept stage ids belonging to this process.
 */
async function checkStages(
  em: EntityManager,
  organizationId: string,
  stages: StageData[],
  current: ApprovalStage[],
  p: Problems,
): Promise<CheckedStage[]> {
  if (stages.length === 0) p.add('A process needs at least one stage', ['stages']);
  if (stages.length > MAX_STAGES)
    p.add(`A process has at most ${MAX_STAGES} stages (got ${stages.length})`, ['stages']);
  const members = new Map(
    (await em.find(Membership, { organization: organizationId }, { populate: ['user'] })).map(
      (m) => [m.user.id, { role: m.role, active: m.user.active }] as const,
    ),
  );
  const currentById = new Map(current.map((s) => [s.id, s]));
  const keptIds = new Set<string>();
  return stages.map((stage, i) => {
    const at = (...path: string[]) => ['stages', String(i), ...path];
    let existing: ApprovalStage | null = null;
    if (stage.id) {
      const id = fromGlobalId(stage.id, 'ApprovalStage');
      existing = id ? (currentById.get(id) ?? null) : null;
      if (!existing)
        p.add('Stage not found in this approval process', at('id'), UserErrorCode.NOT_FOUND);
      else if (keptIds.has(existing.id)) p.add('This stage is listed twice', at('id'));
      else keptIds.add(existing.id);
    }
    const name = p.text(stage.name, at('name'), {
      max: NAME_MAX,
      required: true,
      label: 'Stage name',
    });
    const approverRole = stage.approverRole ?? null;
    if (approverRole && !roleAllows(approverRole, Permission.APPROVE)) {
      p.add(`Members with the ${approverRole} role cannot approve`, at('approverRole'));
    }
    const approverUserIds: string[] = [];
    (stage.approverUserIds ?? []).forEach((gid, j) => {
      const userId = fromGlobalId(gid, 'User');
      const member = userId ? members.get(userId) : undefined;
      if (!userId || !member)
        p.add(
          'User not found in this organization',
          at('approverUserIds', String(j)),
          UserErrorCode.NOT_FOUND,
        );
      else if (!roleAllows(member.role, Permission.APPROVE)) {
        p.add(`This user is a ${member.role} and cannot approve`, at('approverUserIds', String(j)));
      } else if (!member.active) {
        // Nobody could save the stage as them: invoices would wait there for ever.
        p.add('This user is deactivated and cannot approve', at('approverUserIds', String(j)));
      } else if (!approverUserIds.includes(userId)) approverUserIds.push(userId);
    });
    if (!approverRole && approverUserIds.length === 0 && !(stage.approverUserIds ?? []).length) {
      p.add('Name who saves this stage: an approver role or approver users', at('approverRole'));
    }
    return {
      existing,
      name: name ?? '',
      approverRole,
      approverUserIds,
      transferFromThisStep: stage.transferFromThisStep ?? false,
    };
  });
}

/** Writes the checked stage list onto the process: keeps, updates, adds and removes stages. */
function applyStages(em: EntityManager, process: ApprovalProcess, stages: CheckedStage[]): void {
  const kept = new Set(stages.map((s) => s.existing?.id).filter(Boolean));
  for (const old of process.stages.getItems()) {
    if (!kept.has(old.id)) em.remove(old);
  }
  stages.forEach((s, position) => {
    const stage =
      s.existing ??
      em.create(ApprovalStage, {
        organization: process.organization,
        process,
        position,
        name: s.name,
      });
    stage.position = position;
    stage.name = s.name;
    stage.approverRole = s.approverRole;
    stage.transferFromThisStep = s.transferFromThisStep;
    const wanted = new Set(s.approverUserIds);
    for (const a of s.existing ? stage.approvers.getItems() : []) {
      if (!wanted.has(a.user.id)) em.remove(a);
      else wanted.delete(a.user.id);
    }
    for (const userId of wanted) {
      em.create(ApprovalStageApprover, {
        stage,
        user: em.getReference(User, userId),
        organization: process.organization,
      });
    }
  });
}

/** Makes `process` the only default of its organization, recording the change on the previous one. */
async function makeDefault(
  em: EntityManager,
  sctx: ServiceContext,
  process: ApprovalProcess,
): Promise<void> {
  const others = await em.find(ApprovalProcess, {
    organization: process.organization.id,
    isDefault: true,
    deletedAt: null,
    id: { $ne: process.id },
  });
  for (const other of others) {
    other.isDefault = false;
    other.version += 1;
    recordAudit(em, {
      organizationId: process.organization.id,
      action: 'approval_process.updated',
      actor: actorOf(sctx.caller),
      entityType: 'ApprovalProcess',
      entityId: other.id,
      requestId: sctx.requestId,
      details: {
        before: { isDefault: true },
        after: { isDefault: false },
        newDefaultId: toGlobalId('ApprovalProcess', process.id),
      },
    });
  }
  process.isDefault = true;
}

export async function createApprovalProcess(
  em: EntityManager,
  sctx: ServiceContext,
  input: CreateProcessData,
): Promise<ApprovalProcess> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  await lockProcessConfiguration(em, organizationId);
  const p = new Problems();
  const name = p.text(input.name, ['name'], { max: NAME_MAX, required: true, label: 'Name' });
  const stages = await checkStages(em, organizationId, input.stages, [], p);
  p.throwIfAny();
  await assertNameFree(em, organizationId, name!, null);

  const hasDefault =
    (await em.count(ApprovalProcess, {
      organization: organizationId,
      isDefault: true,
      deletedAt: null,
    })) > 0;
  if (input.isDefault === false && !hasDefault) {
    throw new DomainError(
      UserErrorCode.VALIDATION,
      'The organization has no default process yet, so its first process is the default',
      ['isDefault'],
    );
  }
  const process = em.create(ApprovalProcess, {
    organization: em.getReference(Organization, organizationId),
    name: name!,
  });
  applyStages(em, process, stages);
  if (input.isDefault || !hasDefault) await makeDefault(em, sctx, process);
  await em.flush();
  const created = await loadProcess(em, process.id);
  recordAudit(em, {
    organizationId,
    action: 'approval_process.created',
    actor: actorOf(sctx.caller),
    entityType: 'ApprovalProcess',
    entityId: process.id,
    requestId: sctx.requestId,
    details: { after: snapshot(created) },
  });
  await em.flush();
  return created;
}

/** The process an admin changes, row-locked; foreign, deleted and malformed ids are NOT_FOUND. */
async function lockProcessForChange(
  em: EntityManager,
  sctx: ServiceContext,
  globalId: string,
  version: number | null | undefined,
) {
  requireCaller(sctx.caller);
  const id = requireGlobalId(
    globalId,
    'ApprovalProcess',
    ['approvalProcessId'],
    'Approval process',
  );
  const found = await em.findOne(
    ApprovalProcess,
    { id, organization: { $in: organizationIdsOf(sctx.caller) }, deletedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!found)
    throw new DomainError(UserErrorCode.NOT_FOUND, 'Approval process not found', [
      'approvalProcessId',
    ]);
  const organizationId = authorizeOrganization(
    sctx.caller,
    found.organization.id,
    Permission.ADMIN,
    ['approvalProcessId'],
  );
  await lockProcessConfiguration(em, organizationId);
  if (version != null) assertVersion(found.version, version, 'The approval process');
  return { process: await loadProcess(em, id, organizationId), organizationId };
}

export async function updateApprovalProcess(
  em: EntityManager,
  sctx: ServiceContext,
  input: UpdateProcessData,
): Promise<ApprovalProcess> {
  const { process, organizationId } = await lockProcessForChange(
    em,
    sctx,
    input.approvalProcessId,
    input.version,
  );
  const before = snapshot(process);
  const p = new Problems();
  const name =
    input.name == null
      ? null
      : p.text(input.name, ['name'], { max: NAME_MAX, required: true, label: 'Name' });
  const stages = input.stages
    ? await checkStages(em, organizationId, input.stages, process.stages.getItems(), p)
    : null;
  if (input.isDefault === false && process.isDefault) {
    p.add(
      'An organization always has one default process: make another process the default instead',
      ['isDefault'],
    );
  }
  p.throwIfAny();
  if (name) await assertNameFree(em, organizationId, name, process.id);

  if (stages) {
    const kept = new Set(stages.map((s) => s.existing?.id).filter(Boolean));
    const removed = process.stages.getItems().filter((s) => !kept.has(s.id));
    if (removed.length) {
      const waiting = await em.count(PurchaseInvoice, {
        organization: organizationId,
        currentStage: { $in: removed.map((s) => s.id) },
        status: InvoiceStatus.IN_CIRCULATION,
      });
      if (waiting > 0) {
        throw new DomainError(
          UserErrorCode.IN_USE,
          `${waiting} invoice(s) wait at ${removed.map((s) => `"${s.name}"`).join(', ')}: approve or return them before removing the stage`,
          ['stages'],
        );
      }
    }
  }

  if (name) process.name = name;
  if (stages) applyStages(em, process, stages);
  if (input.isDefault && !process.isDefault) await makeDefault(em, sctx, process);
  process.version += 1;
  await em.flush();
  const updated = await loadProcess(em, process.id, organizationId);
  recordAudit(em, {
    organizationId,
    action: 'approval_process.updated',
    actor: actorOf(sctx.caller),
    entityType: 'ApprovalProcess',
    entityId: process.id,
    requestId: sctx.requestId,
    details: { before, after: snapshot(updated) },
  });
  await em.flush();
  return updated;
}

/**
 * Soft-deletes a process (invoices that went through it keep their history). Refused while
 * invoices circulate in it, and for the default process (make another the default first).
 */
export async function deleteApprovalProcess(
  em: EntityManager,
  sctx: ServiceContext,
  input: { approvalProcessId: string; version?: number | null },
): Promise<string> {
  const { process, organizationId } = await lockProcessForChange(
    em,
    sctx,
    input.approvalProcessId,
    input.version,
  );
  const circulating = await em.count(PurchaseInvoice, {
    organization: organizationId,
    approvalProcess: process.id,
    status: InvoiceStatus.IN_CIRCULATION,
  });
  if (circulating > 0) {
    throw new DomainError(
      UserErrorCode.IN_USE,
      `${circulating} invoice(s) are in circulation in "${process.name}": finish or return them before deleting the process`,
      ['approvalProcessId'],
    );
  }
  if (process.isDefault) {
    throw new DomainError(
      UserErrorCode.IN_USE,
      `"${process.name}" is the organization's default process: make another process the default first`,
      ['approvalProcessId'],
    );
  }
  process.deletedAt = new Date();
  process.version += 1;
  recordAudit(em, {
    organizationId,
    action: 'approval_process.deleted',
    actor: actorOf(sctx.caller),
    entityType: 'ApprovalProcess',
    entityId: process.id,
    requestId: sctx.requestId,
    details: { before: snapshot(process) },
  });
  await em.flush();
  return toGlobalId('ApprovalProcess', process.id);
}
