/**
 * Transfer history written as rows, many per statement: the engine records a step for hundreds
 * of transfers at once (queued by an export, sent, settled by a worker), where one ORM entity per
 * event would cost more than the step itself. Same table and meaning as recordAudit.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ActorType } from '../audit/audit-event.entity.js';
import { AUTOMATIC_TRANSFER, type AuditActor } from '../audit/audit.service.js';
import { TransferTrigger } from './transfer.enums.js';
import { exec } from './transfer.sql.js';

/** The actor columns of an audit row, as recordAudit fills them. */
export interface AuditActorColumns {
  organization_id: string;
  actor_type: ActorType;
  actor_user_id: string | null;
  actor_api_client_id: string | null;
  system_name: string | null;
  on_behalf_of_id: string | null;
}

/** A row of audit_event as insertAuditRows writes it. */
export interface AuditRow extends AuditActorColumns {
  id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  invoice_id: string | null;
  details: Record<string, unknown>;
  request_id?: string | null;
}

export function auditColumns(organizationId: string, actor: AuditActor): AuditActorColumns {
  return {
    organization_id: organizationId,
    actor_type: actor.type,
    actor_user_id: actor.type === ActorType.USER ? actor.userId : null,
    actor_api_client_id: actor.type === ActorType.API_CLIENT ? actor.apiClientId : null,
    system_name: actor.type === ActorType.SYSTEM ? actor.name : null,
    on_behalf_of_id: actor.type === ActorType.SYSTEM ? actor.onBehalfOfUserId : null,
  };
}

/** Who asked for a transfer, as the transfer row records it. */
export interface TransferRequester {
  trigger: TransferTrigger;
  requestedByUserId: string | null;
  requestedByApiClientId: string | null;
}

/**
 * The actor of a step in a transfer's history. The steps the requester set going (queued, sent,
 * settled) are theirs: "Automatic transfer" on behalf of the saver for an automatic transfer,
 * else the API client or user who exported (Ledgerlink when neither). A step Ledgerlink takes on
 * its own (`by: 'system'`: the sweeper finding a dead worker's transfer) is the system's,
 * on behalf of the requesting user.
 */
export function transferActor(
  t: TransferRequester,
  by: 'requester' | 'system' = 'requester',
): AuditActor {
  const automatic = t.trigger === TransferTrigger.AUTOMATIC;
  if (automatic || by === 'system')
    return {
      type: ActorType.SYSTEM,
      name: automatic ? AUTOMATIC_TRANSFER : 'Ledgerlink',
      onBehalfOfUserId: t.requestedByUserId,
    };
  if (t.requestedByApiClientId)
    return { type: ActorType.API_CLIENT, apiClientId: t.requestedByApiClientId };
  if (t.requestedByUserId) return { type: ActorType.USER, userId: t.requestedByUserId };
  return { type: ActorType.SYSTEM, name: 'Ledgerlink', onBehalfOfUserId: null };
}

/** One event in a transfer's history, attributed by transferActor. */
export function transferEvent(e: {
  organizationId: string;
  transferId: string;
  /** The invoice the history is shown under (a payment's invoice for a payment transfer). */
  invoiceId: string | null;
  requester: TransferRequester;
  by?: 'requester' | 'system';
  action: string;
  details: Record<string, unknown>;
  requestId?: string | null;
}): AuditRow {
  return {
    ...auditColumns(e.organizationId, transferActor(e.requester, e.by)),
    id: randomUUID(),
    action: e.action,
    entity_type: 'Transfer',
    entity_id: e.transferId,
    invoice_id: e.invoiceId,
    details: e.details,
    ...(e.requestId !== undefined ? { request_id: e.requestId } : {}),
  };
}

/** Bulk insert of audit events, one statement, in the caller's transaction. */
export async function insertAuditRows(em: EntityManager, rows: AuditRow[]): Promise<void> {
  if (!rows.length) return;
  await exec(
    em,
    `insert into audit_event (id, organization_id, at, action, actor_type, actor_user_id, actor_api_client_id, system_name,
                              on_behalf_of_id, entity_type, entity_id, invoice_id, details, request_id)
     select x.id, x.organization_id, clock_timestamp(), x.action, x.actor_type, x.actor_user_id, x.actor_api_client_id,
            x.system_name, x.on_behalf_of_id, x.entity_type, x.entity_id, x.invoice_id, x.details, x.request_id
       from jsonb_to_recordset(?::jsonb) as x(id uuid, organization_id uuid, action text, actor_type text, actor_user_id uuid,
            actor_api_client_id uuid, system_name text, on_behalf_of_id uuid, entity_type text, entity_id uuid,
            invoice_id uuid, details jsonb, request_id text)`,
    [JSON.stringify(rows)],
  );
}
