import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';
import { moneyColumn } from '../../common/money.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { User } from '../users/user.entity.js';

/**
 * A credit note set against an invoice of the same supplier: it settles `amount` of the
 * invoice's open amount and as much of the credit note's. Nothing goes to the bank or the
 * ledger: both documents already booked their side of accounts payable, so the offset only
 * says which open items the credit closes.
 */
@Entity({ tableName: 'credit_offset' })
@Index({ properties: ['organization', 'creditNote'] })
@Index({ properties: ['organization', 'invoice'] })
export class CreditOffset extends TenantEntity {
  @ManyToOne({ entity: () => PurchaseInvoice, deleteRule: 'restrict' })
  creditNote!: PurchaseInvoice;

  @ManyToOne({ entity: () => PurchaseInvoice, deleteRule: 'restrict' })
  invoice!: PurchaseInvoice;

  /** Positive: what is taken off the invoice's open amount (and the credit note's credit). */
  @Property(moneyColumn())
  amount!: string;

  @Property({ type: 'date' })
  offsetDate!: string;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Property({ type: 'datetime', nullable: true })
  removedAt?: Date | null;
}
