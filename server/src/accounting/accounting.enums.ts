/**
 * The closed sets of the accounting port. They are enums (not only unions) so that GraphQL and
 * an adapter's own schema can register them; every adapter speaks these values.
 */

/** What to do with a document dated in a closed period or on or before the lock date. */
export enum ClosedPeriodPolicy {
  SHIFT_TO_NEXT_OPEN = 'SHIFT_TO_NEXT_OPEN',
  BLOCK = 'BLOCK',
}

export enum Journal {
  ITEM_INVOICES = 'ITEM_INVOICES',
  BATCH_INVOICES = 'BATCH_INVOICES',
  PAYMENTS = 'PAYMENTS',
}

export enum EntryKind {
  INVOICE = 'INVOICE',
  /** A supplier credit note: the mirror of an invoice, unique by supplier + reference of its own. */
  CREDIT_NOTE = 'CREDIT_NOTE',
  PAYMENT = 'PAYMENT',
  REVERSAL = 'REVERSAL',
}

export enum PeriodStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
