/**
 * Transfer history written as rows, many per statement: the engine records a step for hundreds
 * of transfers at once (queued by an export, sent, settled by a worker), where one ORM entity per
 * event would cost more than the step itself. Same table and meaning as recordAudit.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ActorType } from '../audit/audit-event.entity.js';
import type { AuditActor } from '../audit/audit.service.js';

/** The actor columns of an audit row, as recordAudit fills them. */
export function auditColumns(organizationId: string, actor: AuditActor): Record<string, unknown> {
  return {
    organization_id: organizationId,
    actor_type: actor.type,
    actor_user_id: actor.type === ActorType.USER ? actor.userId : null,
    actor_api_client_id: actor.type === ActorType.API_CLIENT ? actor.apiClientId : null,
    system_name: actor.type === ActorType.SYSTEM ? actor.name : null,
    on_behalf_of_id: actor.type === ActorType.SYSTEM ? actor.onBehalfOfUserId : null,
  };
}

/** Bulk insert of audit events, one statement, in the caller's transaction. */
export async function insertAuditRows(
  em: EntityManager,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (!rows.length) return;
  await em.getConnection().execute(
    `insert into audit_event (id, organization_id, at, action, actor_type, actor_user_id, actor_api_client_id, system_name,
                              on_behalf_of_id, entity_type, entity_id, invoice_id, details, request_id)
     select x.id, x.organization_id, clock_timestamp(), x.action, x.actor_type, x.actor_user_id, x.actor_api_client_id,
            x.system_name, x.on_behalf_of_id, x.entity_type, x.entity_id, x.invoice_id, x.details, x.request_id
       from jsonb_to_recordset(?::jsonb) as x(id uuid, organization_id uuid, action text, actor_type text, actor_user_id uuid,
            actor_api_client_id uuid, system_name text, on_behalf_of_id uuid, entity_type text, entity_id uuid,
            invoice_id uuid, details jsonb, request_id text)`,
    [JSON.stringify(rows)],
    'run',
    em.getTransactionContext(),
  );
}
