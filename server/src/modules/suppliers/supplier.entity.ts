import { Entity, Index, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';

@Entity({ tableName: 'supplier' })
@Unique({ properties: ['organization', 'name'] })
@Index({ properties: ['organization', 'accountName'] })
@Index({ properties: ['organization', 'businessId'] })
@Index({ properties: ['organization', 'vatNumber'] })
@Index({ properties: ['organization', 'peppolEndpointId'] })
export class Supplier extends TenantEntity {
  @Property({ type: 'text' })
  name!: string;

  /** The supplier's account in the ledger ("Account Name" in accountsIQ terms). */
  @Property({ type: 'text' })
  accountName!: string;

  /** Business ID / registration number, e.g. Finnish Y-tunnus. */
  @Property({ type: 'text', nullable: true })
  businessId?: string | null;

  /** VAT identifier, compact and upper case (e.g. FI12345678): how e-invoices name the seller. */
  @Property({ type: 'text', nullable: true })
  vatNumber?: string | null;

  /** Peppol participant id: ICD scheme (e.g. 0037) and id, as e-invoices carry it in EndpointID. */
  @Property({ type: 'text', nullable: true })
  peppolEndpointScheme?: string | null;

  @Property({ type: 'text', nullable: true })
  peppolEndpointId?: string | null;

  @Property({ type: 'text', nullable: true })
  iban?: string | null;

  @Property({ type: 'text' })
  country: Opt<string> = 'FI';
}
