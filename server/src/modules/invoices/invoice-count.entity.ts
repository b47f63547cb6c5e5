import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Organization } from '../organizations/organization.entity.js';

/**
 * Invoice counts per organization and "tab class": the columns the tab predicates read
 * (`TAB_SQL`), reduced to what they test. Rows are signed deltas written by statement-level
 * triggers on `purchase_invoice` in the same transaction as the change (see the migration), so
 * a count read in a snapshot agrees with the invoices in that snapshot. Writers only ever
 * insert, so parallel exports never wait on one hot counter row; the trigger folds an
 * organization's deltas into one row per class now and then (`invoice_count_compact`).
 * The stage's transfer flag is joined at read time, so changing it needs no recount.
 */
@Entity({ tableName: 'invoice_count' })
@Index({ properties: ['organization'] })
export class InvoiceCount {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne({ entity: () => Organization, deleteRule: 'cascade' })
  organization!: Organization;

  @Property({ type: 'text' })
  status!: string;

  @Property({ type: 'boolean' })
  removed!: boolean;

  @Property({ type: 'boolean' })
  posted!: boolean;

  @Property({ type: 'boolean' })
  numbered!: boolean;

  /** 0: not in the ledger, 1: ledger behind the posting, 2: up to date, 3: ahead (never expected). */
  @Property({ type: 'smallint' })
  ledger!: number;

  /** No foreign key: a stage's deletion reaches here through the invoices' own update. */
  @Property({ type: 'uuid', nullable: true })
  currentStageId?: string | null;

  @Property({ type: 'bigint' })
  n!: string;
}
