import {
  BlobType,
  Entity,
  Enum,
  Index,
  ManyToOne,
  Property,
  Unique,
  type Opt,
} from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { User } from '../users/user.entity.js';
import type { ParsedEInvoice } from './mapping/parsed-einvoice.js';
import type { RuleFinding } from './validation/schematron.js';

export enum EInvoiceFormat {
  UBL_INVOICE = 'UBL_INVOICE',
  UBL_CREDIT_NOTE = 'UBL_CREDIT_NOTE',
  FINVOICE = 'FINVOICE',
}

export enum EInvoiceState {
  /** The invoice (or credit note) was created from the document. */
  IMPORTED = 'IMPORTED',
  /** No supplier of the organization matches the document's seller: waiting for one. */
  NEEDS_SUPPLIER = 'NEEDS_SUPPLIER',
}

/** A posting warning found while mapping (an unmapped VAT rate, a reference dropped), kept with the document. */
export interface MappingWarning {
  code: string;
  message: string;
  field: string[];
}

/** What was read from the document, attachments' bytes left out (they have their own table). */
export type StoredParsedEInvoice = Omit<ParsedEInvoice, 'attachments' | 'lines'> & {
  lines: (ParsedEInvoice['lines'][number] & { vatCode: string | null })[];
};

/** An e-invoice as received: the original bytes, how it validated, what it became. */
@Entity({ tableName: 'einvoice_document' })
@Unique({ properties: ['organization', 'sha256'] })
@Index({ properties: ['organization', 'createdAt', 'id'] })
@Index({ properties: ['organization', 'invoice'] })
@Index({ properties: ['organization', 'state'] })
export class EInvoiceDocument extends TenantEntity {
  /** Hex sha256 of the bytes as received: the same file imported twice is recognized by it. */
  @Property({ type: 'text' })
  sha256!: string;

  @Enum({ items: () => EInvoiceFormat })
  format!: EInvoiceFormat;

  @Property({ type: 'text', nullable: true })
  filename?: string | null;

  @Property({ type: BlobType, lazy: true })
  content!: Buffer;

  @Property({ type: 'integer' })
  byteSize!: number;

  @Enum({ items: () => EInvoiceState })
  state!: EInvoiceState;

  /** Rule sets run, with their versions: how the document was validated. */
  @Property({ type: 'jsonb' })
  ruleSets!: { id: string; name: string; version: string }[];

  /** Warnings and information of the official rules (a document with a fatal one is not stored). */
  @Property({ type: 'jsonb' })
  findings!: RuleFinding[];

  @Property({ type: 'jsonb' })
  parsed!: StoredParsedEInvoice;

  @Property({ type: 'jsonb' })
  mappingWarnings: Opt<MappingWarning[]> = [];

  @ManyToOne({ entity: () => PurchaseInvoice, nullable: true, deleteRule: 'set null' })
  invoice?: PurchaseInvoice | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  importedBy?: User | null;

  /** An API token's name or the command line, when no user imported it. */
  @Property({ type: 'text', nullable: true })
  importedVia?: string | null;
}

/** A file embedded in an e-invoice (typically the PDF image of the invoice), decoded. */
@Entity({ tableName: 'einvoice_attachment' })
@Index({ properties: ['organization', 'document', 'position'] })
export class EInvoiceAttachment extends TenantEntity {
  @ManyToOne({ entity: () => EInvoiceDocument, deleteRule: 'cascade' })
  document!: EInvoiceDocument;

  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'text', nullable: true })
  filename?: string | null;

  @Property({ type: 'text' })
  mimeType!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'integer' })
  byteSize!: number;

  @Property({ type: BlobType, lazy: true })
  content!: Buffer;
}

/** The organization's VAT code for an e-invoice VAT category and rate (e.g. S 25.5 → V255). */
@Entity({ tableName: 'vat_mapping' })
@Unique({ properties: ['organization', 'category', 'rate'] })
export class VatMapping extends TenantEntity {
  /** UNCL 5305 category code: S, Z, E, AE, K, G, O, L, M. */
  @Property({ type: 'text' })
  category!: string;

  /** Percent, normalized (no trailing zeros: "25.5", "0"). */
  @Property({ type: 'text' })
  rate!: string;

  @Property({ type: 'text' })
  vatCode!: string;
}

export const EINVOICE_ENTITIES = [EInvoiceDocument, EInvoiceAttachment, VatMapping];
