import {
  Collection,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OneToMany,
  Property,
  Unique,
  type Opt,
} from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';
import { moneyColumn } from '../../common/money.js';
import { ApprovalProcess, ApprovalStage } from '../approval/approval-process.entity.js';
import { Supplier } from '../suppliers/supplier.entity.js';
import { TransferStatus } from '../transfers/transfer.enums.js';
import { User } from '../users/user.entity.js';
import { DocumentKind } from './invoice.enums.js';
import {
  IN_PROCESS_PREDICATE,
  TRANSFERABLE_INDEXED_PREDICATE,
  TRANSFERRED_PREDICATE,
  bare,
} from './invoice.tab-predicates.js';

export enum InvoiceStatus {
  DRAFT = 'DRAFT',
  IN_CIRCULATION = 'IN_CIRCULATION',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  REMOVED = 'REMOVED',
}

/** How the invoice entered Ledgerlink. */
export enum InvoiceSource {
  MANUAL = 'MANUAL',
  PEPPOL = 'PEPPOL',
  FINVOICE = 'FINVOICE',
}

@Entity({ tableName: 'purchase_invoice' })
@Index({ properties: ['organization', 'billDate', 'id'] })
@Index({ properties: ['organization', 'status', 'billDate', 'id'] })
@Index({ properties: ['organization', 'supplier', 'invoiceNumber'] })
// Keyset order for every sort of the invoice list (bill date above), organization first.
@Index({ properties: ['organization', 'dueDate', 'id'] })
@Index({ properties: ['organization', 'grossAmount', 'id'] })
@Index({ properties: ['organization', 'createdAt', 'id'] })
@Index({ properties: ['organization', 'invoiceNumber', 'id'] })
@Index({ properties: ['organization', 'supplier', 'billDate', 'id'] })
@Index({ properties: ['organization', 'documentNumber'] })
// One partial index per tab in the default order: a tab's first page and its count read only
// that tab's slice of the organization.
@Index({
  name: 'purchase_invoice_in_process_index',
  expression: `create index "purchase_invoice_in_process_index" on "purchase_invoice" ("organization_id", "bill_date", "id") where ${IN_PROCESS_PREDICATE(bare)}`,
})
@Index({
  name: 'purchase_invoice_transferable_index',
  expression: `create index "purchase_invoice_transferable_index" on "purchase_invoice" ("organization_id", "bill_date", "id") where ${TRANSFERABLE_INDEXED_PREDICATE(bare)}`,
})
@Index({
  name: 'purchase_invoice_transferred_index',
  expression: `create index "purchase_invoice_transferred_index" on "purchase_invoice" ("organization_id", "bill_date", "id") where ${TRANSFERRED_PREDICATE(bare)}`,
})
// Substring search on the supplier's invoice number (pg_trgm; btree_gin for the uuid column).
@Index({
  name: 'purchase_invoice_invoice_number_trgm_index',
  expression:
    'create index "purchase_invoice_invoice_number_trgm_index" on "purchase_invoice" using gin ("organization_id", "invoice_number" gin_trgm_ops)',
})
@Index({ properties: ['organization', 'paymentReference'] })
@Index({ properties: ['organization', 'creditedInvoice'] })
@Unique({ properties: ['organization', 'fiscalYear', 'documentNumber'] })
export class PurchaseInvoice extends TenantEntity {
  @ManyToOne({ entity: () => Supplier, deleteRule: 'restrict' })
  supplier!: Supplier;

  /** Invoice or credit note; the sign of the amounts follows it (invoice.rules.ts). */
  @Enum({ items: () => DocumentKind, default: DocumentKind.INVOICE })
  kind: Opt<DocumentKind> = DocumentKind.INVOICE;

  /**
   * The invoice a credit note credits, when the supplier names it: same organization and
   * supplier (checked by the service; the foreign key alone cannot say so).
   */
  @ManyToOne({ entity: () => PurchaseInvoice, nullable: true, deleteRule: 'restrict' })
  creditedInvoice?: PurchaseInvoice | null;

  /** The supplier's own invoice number: the ledger entry's Reference. */
  @Property({ type: 'text' })
  invoiceNumber!: string;

  @Property({ type: 'date' })
  billDate!: string;

  /** The payment reference the supplier asks for (Finnish or RF, check digits valid), normalized. */
  @Property({ type: 'text', nullable: true })
  paymentReference?: string | null;

  @Property({ type: 'date' })
  dueDate!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property(moneyColumn())
  netAmount!: string;

  @Property(moneyColumn())
  vatAmount!: string;

  @Property(moneyColumn())
  grossAmount!: string;

  @Enum({ items: () => InvoiceSource, default: InvoiceSource.MANUAL })
  source: Opt<InvoiceSource> = InvoiceSource.MANUAL;

  @Enum({ items: () => InvoiceStatus })
  status: Opt<InvoiceStatus> = InvoiceStatus.DRAFT;

  /** Lines complete and adding up to the totals; set by postInvoice. */
  @Property({ type: 'boolean' })
  posted: Opt<boolean> = false;

  /** Gapless per organization and fiscal year, assigned when first posted. */
  @Property({ type: 'integer', nullable: true })
  documentNumber?: number | null;

  @Property({ type: 'integer', nullable: true })
  fiscalYear?: number | null;

  @ManyToOne({ entity: () => ApprovalProcess, nullable: true, deleteRule: 'restrict' })
  approvalProcess?: ApprovalProcess | null;

  @ManyToOne({ entity: () => ApprovalStage, nullable: true, deleteRule: 'set null' })
  currentStage?: ApprovalStage | null;

  /** Optimistic lock: every change increments it; writers pass the version they read. */
  @Property({ type: 'integer' })
  version: Opt<number> = 1;

  /** Version of the posting (lines and totals): what a transfer moves to the ledger. */
  @Property({ type: 'integer' })
  postingVersion: Opt<number> = 1;

  /** postingVersion now in the ledger; null when the invoice is not in the ledger. */
  @Property({ type: 'integer', nullable: true })
  ledgerVersion?: number | null;

  /** The ledger entry that currently represents this invoice. */
  @Property({ type: 'uuid', nullable: true })
  ledgerEntryId?: string | null;

  /** Status of the latest transfer, kept here so tabs and icons need no join. */
  @Enum({ items: () => TransferStatus, nullable: true })
  transferStatus?: TransferStatus | null;

  @Property({ type: 'uuid', nullable: true })
  lastTransferId?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Property({ type: 'datetime', nullable: true })
  removedAt?: Date | null;

  @OneToMany({ entity: () => InvoiceLine, mappedBy: 'invoice', orderBy: { position: 'asc' } })
  lines = new Collection<InvoiceLine>(this);
}

/** A posting (coding) line. Codes are checked against the ledger's master data at transfer. */
@Entity({ tableName: 'invoice_line' })
@Index({ properties: ['organization', 'invoice', 'position'] })
export class InvoiceLine extends TenantEntity {
  @ManyToOne({ entity: () => PurchaseInvoice, deleteRule: 'cascade' })
  invoice!: PurchaseInvoice;

  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'text' })
  accountCode!: string;

  @Property({ type: 'text', nullable: true })
  costUnitCode?: string | null;

  @Property({ type: 'text' })
  vatCode!: string;

  @Property(moneyColumn())
  netAmount!: string;

  @Property(moneyColumn())
  vatAmount!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;
}
