import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { ApiClient } from '../api-clients/api-client.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';

export enum ActorType {
  USER = 'USER',
  API_CLIENT = 'API_CLIENT',
  SYSTEM = 'SYSTEM',
}

/** One line of a document's history / changes log, or of the API's access log. Append-only (a trigger refuses UPDATE and DELETE). */
@Entity({ tableName: 'audit_event' })
@Index({ properties: ['organization', 'invoiceId', 'at'] })
@Index({ properties: ['organization', 'entityType', 'entityId', 'at'] })
@Index({ properties: ['organization', 'at'] })
export class AuditEvent {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  /**
   * Null only for platform-level `api.mutation` rows (sign-in, anonymous calls, ids the caller
   * cannot see): no tenant query reads those.
   */
  @ManyToOne({ entity: () => Organization, deleteRule: 'restrict', nullable: true })
  organization!: Organization | null;

  @Property({ type: 'datetime', defaultRaw: 'clock_timestamp()' })
  at: Opt<Date> = new Date();

  /** e.g. invoice.created, invoice.posting_changed, transfer.transferred */
  @Property({ type: 'text' })
  action!: string;

  @Enum({ items: () => ActorType })
  actorType!: ActorType;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'restrict' })
  actorUser?: User | null;

  @ManyToOne({ entity: () => ApiClient, nullable: true, deleteRule: 'restrict' })
  actorApiClient?: ApiClient | null;

  /** For SYSTEM actors, e.g. "Automatic transfer". */
  @Property({ type: 'text', nullable: true })
  systemName?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'restrict' })
  onBehalfOf?: User | null;

  /** The object the event is about, e.g. PurchaseInvoice / Payment / Transfer / ApprovalProcess. */
  @Property({ type: 'text' })
  entityType!: string;

  @Property({ type: 'uuid' })
  entityId!: string;

  /** The invoice whose history shows this event (also for its payments and transfers). */
  @Property({ type: 'uuid', nullable: true })
  invoiceId?: string | null;

  @Property({ type: 'json' })
  details: Opt<Record<string, unknown>> = {};

  @Property({ type: 'text', nullable: true })
  requestId?: string | null;
}
