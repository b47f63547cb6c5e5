import { Entity, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Organization } from '../organizations/organization.entity.js';

/**
 * Stripe-style idempotency: the first call with a key stores the request's hash and the
 * payload it produced; a repeat with the same input gets that payload back.
 */
@Entity({ tableName: 'idempotency_record' })
export class IdempotencyRecord {
  @ManyToOne({ entity: () => Organization, primary: true, deleteRule: 'cascade' })
  organization!: Organization;

  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  operation!: string;

  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'json' })
  response!: unknown;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
