import { Entity, Enum, Index, ManyToOne, OneToOne, Property, type Opt } from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';
import { ApiClient } from '../api-clients/api-client.entity.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { User } from '../users/user.entity.js';
import {
  BatchStatus,
  ClosedPeriodPolicy,
  DocumentType,
  ExportMode,
  TransferErrorDetail,
  TransferKind,
  TransferStatus,
  TransferTrigger,
  sqlLiveStatus,
} from './transfer.enums.js';

/** One run of exports (a manual export call, or the automatic transfers of one save). */
@Entity({ tableName: 'transfer_batch' })
@Index({ properties: ['organization', 'createdAt'] })
export class TransferBatch extends TenantEntity {
  @Enum({ items: () => DocumentType })
  documentType!: DocumentType;

  @Enum({ items: () => TransferTrigger })
  trigger!: TransferTrigger;

  @Property({ type: 'integer' })
  total: Opt<number> = 0;

  @Enum({ items: () => BatchStatus })
  status: Opt<BatchStatus> = BatchStatus.RUNNING;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  requestedByUser?: User | null;

  @ManyToOne({ entity: () => ApiClient, nullable: true, deleteRule: 'set null' })
  requestedByApiClient?: ApiClient | null;

  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date | null;
}

/** Moving one version of one document into the ledger. */
@Entity({ tableName: 'transfer' })
@Index({ properties: ['organization', 'createdAt', 'id'] })
@Index({ properties: ['organization', 'status'] })
@Index({ properties: ['organization', 'invoice'] })
@Index({ properties: ['organization', 'payment'] })
@Index({ properties: ['organization', 'batch'] })
// At most one transfer in flight per document: a double click or two partners exporting the
// same invoice at once cannot both get a live transfer.
@Index({
  name: 'transfer_live_invoice_unique',
  expression: `create unique index "transfer_live_invoice_unique" on "transfer" ("organization_id", "invoice_id") where "invoice_id" is not null and ${sqlLiveStatus('"status"')}`,
})
@Index({
  name: 'transfer_live_payment_unique',
  expression: `create unique index "transfer_live_payment_unique" on "transfer" ("organization_id", "payment_id") where "payment_id" is not null and ${sqlLiveStatus('"status"')}`,
})
@Index({
  name: 'transfer_sending_heartbeat_index',
  expression:
    'create index "transfer_sending_heartbeat_index" on "transfer" ("heartbeat_at") where "status" = \'SENDING\'',
})
export class Transfer extends TenantEntity {
  @Enum({ items: () => DocumentType })
  documentType!: DocumentType;

  @ManyToOne({ entity: () => PurchaseInvoice, nullable: true, deleteRule: 'restrict' })
  invoice?: PurchaseInvoice | null;

  @ManyToOne({ entity: () => Payment, nullable: true, deleteRule: 'restrict' })
  payment?: Payment | null;

  /** The document's postingVersion this transfer moves. */
  @Property({ type: 'integer' })
  documentVersion!: number;

  @Enum({ items: () => TransferKind })
  kind!: TransferKind;

  @Enum({ items: () => TransferStatus })
  status: Opt<TransferStatus> = TransferStatus.QUEUED;

  @Enum({ items: () => TransferTrigger })
  trigger!: TransferTrigger;

  @ManyToOne({ entity: () => TransferBatch, nullable: true, deleteRule: 'set null' })
  batch?: TransferBatch | null;

  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date | null;

  /** Set while a worker is sending; a stale heartbeat means the worker died. */
  @Property({ type: 'datetime', nullable: true })
  heartbeatAt?: Date | null;

  /**
   * Which claim owns a SENDING transfer: a worker records its outcome, or beats its heartbeat,
   * only while the token is still the one it claimed with. A slow worker whose transfer was
   * declared orphaned (and perhaps claimed again by another) can no longer overwrite it.
   */
  @Property({ type: 'uuid', nullable: true })
  claimToken?: string | null;

  /** The document's own date (bill date or payment date). */
  @Property({ type: 'date', nullable: true })
  originalDate?: string | null;

  /** The date the entry was posted on; differs from originalDate when the period rule shifted it. */
  @Property({ type: 'date', nullable: true })
  postingDate?: string | null;

  @Property({ type: 'json' })
  errors: Opt<TransferErrorDetail[]> = [];

  @Property({ type: 'uuid', nullable: true })
  ledgerEntryId?: string | null;

  /** For CORRECTION and REVERSAL: the entry being reversed. */
  @Property({ type: 'uuid', nullable: true })
  reversesEntryId?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  requestedByUser?: User | null;

  @ManyToOne({ entity: () => ApiClient, nullable: true, deleteRule: 'set null' })
  requestedByApiClient?: ApiClient | null;

  /** "Automatic transfer" for automatic ones; null when the requester performed it. */
  @Property({ type: 'text', nullable: true })
  performer?: string | null;

  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date | null;
}

/** Written for every run that had failures. */
@Entity({ tableName: 'transfer_report' })
@Index({ properties: ['organization', 'createdAt', 'id'] })
export class TransferReport extends TenantEntity {
  @ManyToOne({ entity: () => TransferBatch, nullable: true, deleteRule: 'set null' })
  batch?: TransferBatch | null;

  @Enum({ items: () => TransferTrigger })
  trigger!: TransferTrigger;

  @Property({ type: 'integer' })
  total!: number;

  @Property({ type: 'integer' })
  notTransferred!: number;

  /** [{ transferId, invoiceId?, paymentId?, errors: [{code,message,field}] }] */
  @Property({ type: 'json' })
  items: Array<{
    transferId: string;
    invoiceId?: string | null;
    paymentId?: string | null;
    errors: TransferErrorDetail[];
  }> = [];
}

/**
 * The initial values below are the defaults of an organization that saved no settings
 * (loadTransferSettings), the only place they are written down; the columns' defaults follow
 * them (migrations.test.ts fails on a difference).
 */
@Entity({ tableName: 'transfer_settings' })
export class TransferSettings {
  @OneToOne({ entity: () => Organization, primary: true, owner: true, deleteRule: 'cascade' })
  organization!: Organization;

  @Property({ type: 'boolean' })
  autoTransferInvoices: Opt<boolean> = false;

  @Property({ type: 'boolean' })
  autoTransferPayments: Opt<boolean> = false;

  @Enum({ items: () => ExportMode })
  exportMode: Opt<ExportMode> = ExportMode.ITEM;

  @Enum({ items: () => ClosedPeriodPolicy })
  closedPeriodPolicy: Opt<ClosedPeriodPolicy> = ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
