import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../../auth/authenticate.js';
import { ApiClient } from '../api-clients/api-client.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';
import { ActorType, AuditEvent } from './audit-event.entity.js';

/** Who an audit event is attributed to. */
export type AuditActor =
  | { type: ActorType.USER; userId: string }
  | { type: ActorType.API_CLIENT; apiClientId: string }
  | { type: ActorType.SYSTEM; name: string; onBehalfOfUserId: string | null };

export const AUTOMATIC_TRANSFER = 'Automatic transfer';

export function actorOf(caller: Caller): AuditActor {
  if (caller.kind === 'user') return { type: ActorType.USER, userId: caller.user.id };
  if (caller.kind === 'apiClient')
    return { type: ActorType.API_CLIENT, apiClientId: caller.apiClient.id };
  return { type: ActorType.SYSTEM, name: 'Ledgerlink', onBehalfOfUserId: null };
}

export interface AuditInput {
  organizationId: string;
  action: string;
  actor: AuditActor;
  entityType: string;
  entityId: string;
  invoiceId?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
  at?: Date;
}

let lastAt = 0;

/**
 * Event times strictly increase within this process, so the events of one transaction (written
 * in the same millisecond) keep their order when the history is read newest first.
 */
function nextEventTime(): Date {
  lastAt = Math.max(Date.now(), lastAt + 1);
  return new Date(lastAt);
}

/** Adds an audit event to the unit of work: it commits (or rolls back) with the change it describes. */
export function recordAudit(em: EntityManager, input: AuditInput): AuditEvent {
  const a = input.actor;
  return em.create(AuditEvent, {
    organization: em.getReference(Organization, input.organizationId),
    at: input.at ?? nextEventTime(),
    action: input.action,
    actorType: a.type,
    actorUser: a.type === ActorType.USER ? em.getReference(User, a.userId) : null,
    actorApiClient:
      a.type === ActorType.API_CLIENT ? em.getReference(ApiClient, a.apiClientId) : null,
    systemName: a.type === ActorType.SYSTEM ? a.name : null,
    onBehalfOf:
      a.type === ActorType.SYSTEM && a.onBehalfOfUserId
        ? em.getReference(User, a.onBehalfOfUserId)
        : null,
    entityType: input.entityType,
    entityId: input.entityId,
    invoiceId: input.invoiceId ?? null,
    details: input.details ?? {},
    requestId: input.requestId ?? null,
  });
}
