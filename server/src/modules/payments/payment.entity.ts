import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';
import { moneyColumn } from '../../common/money.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { TransferStatus } from '../transfers/transfer.enums.js';
import { User } from '../users/user.entity.js';

export enum PaymentSource {
  MANUAL = 'MANUAL',
  BANK_STATEMENT = 'BANK_STATEMENT',
}

@Entity({ tableName: 'payment' })
@Index({ properties: ['organization', 'invoice'] })
@Index({ properties: ['organization', 'paymentDate', 'id'] })
@Unique({ properties: ['organization', 'fiscalYear', 'documentNumber'] })
export class Payment extends TenantEntity {
  @ManyToOne({ entity: () => PurchaseInvoice, deleteRule: 'restrict' })
  invoice!: PurchaseInvoice;

  @Property(moneyColumn())
  amount!: string;

  @Property({ type: 'date' })
  paymentDate!: string;

  @Enum({ items: () => PaymentSource })
  source!: PaymentSource;

  @Property({ type: 'text', nullable: true })
  bankReference?: string | null;

  /** Gapless per organization and fiscal year, in a sequence of its own. */
  @Property({ type: 'integer' })
  documentNumber!: number;

  @Property({ type: 'integer' })
  fiscalYear!: number;

  @Property({ type: 'integer' })
  version: Opt<number> = 1;

  @Property({ type: 'integer' })
  postingVersion: Opt<number> = 1;

  @Property({ type: 'integer', nullable: true })
  ledgerVersion?: number | null;

  @Property({ type: 'uuid', nullable: true })
  ledgerEntryId?: string | null;

  @Enum({ items: () => TransferStatus, nullable: true })
  transferStatus?: TransferStatus | null;

  @Property({ type: 'uuid', nullable: true })
  lastTransferId?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Property({ type: 'datetime', nullable: true })
  removedAt?: Date | null;
}
