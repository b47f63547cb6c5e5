import { Entity, Index, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';

@Entity({ tableName: 'supplier' })
@Unique({ properties: ['organization', 'name'] })
@Index({ properties: ['organization', 'accountName'] })
export class Supplier extends TenantEntity {
  @Property({ type: 'text' })
  name!: string;

  /** The supplier's account in the ledger ("Account Name" in accountsIQ terms). */
  @Property({ type: 'text' })
  accountName!: string;

  /** Business ID / registration number, e.g. Finnish Y-tunnus. */
  @Property({ type: 'text', nullable: true })
  businessId?: string | null;

  @Property({ type: 'text', nullable: true })
  iban?: string | null;

  @Property({ type: 'text' })
  country: Opt<string> = 'FI';
}
