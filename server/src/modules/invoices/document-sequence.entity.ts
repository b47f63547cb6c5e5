import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Organization } from '../organizations/organization.entity.js';

export enum DocumentSequenceKind {
  INVOICE = 'INVOICE',
  PAYMENT = 'PAYMENT',
}

/**
 * Next document number per organization, kind and fiscal year. Taken with a row lock inside
 * the posting transaction, so numbers are gapless: a rolled-back posting gives its number back.
 */
@Entity({ tableName: 'document_sequence' })
export class DocumentSequence {
  @ManyToOne({ entity: () => Organization, primary: true, deleteRule: 'cascade' })
  organization!: Organization;

  @Enum({ items: () => DocumentSequenceKind, primary: true })
  kind!: DocumentSequenceKind;

  @PrimaryKey({ type: 'integer' })
  fiscalYear!: number;

  @Property({ type: 'integer' })
  nextNumber: Opt<number> = 1;
}
