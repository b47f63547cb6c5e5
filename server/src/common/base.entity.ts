import { randomUUID } from 'node:crypto';
import { ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Organization } from '../modules/organizations/organization.entity.js';

/** Columns every tenant-owned row has: uuid key, owning organization, timestamps. */
export abstract class TenantEntity {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @ManyToOne({ entity: () => Organization, deleteRule: 'restrict' })
  organization!: Organization;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
