import type { Journal, LedgerEntryKind, PeriodStatus } from '@/gql/graphql';

/** Journal choices, with the slug used in the address bar. */
export const JOURNAL_OPTIONS: readonly { value: Journal | null; slug: string; label: string }[] = [
  { value: null, slug: 'all', label: 'All journals' },
  { value: 'ITEM_INVOICES', slug: 'item-invoices', label: 'Item invoices' },
  { value: 'BATCH_INVOICES', slug: 'batch-invoices', label: 'Batch invoices' },
  { value: 'PAYMENTS', slug: 'payments', label: 'Payments' },
];

export const ENTRY_KIND_LABELS: Record<LedgerEntryKind, string> = {
  INVOICE: 'Invoice',
  CREDIT_NOTE: 'Credit note',
  PAYMENT: 'Payment',
  REVERSAL: 'Reversal',
};

export const PERIOD_STATUS_LABELS: Record<PeriodStatus, string> = {
  OPEN: 'Open',
  CLOSED: 'Closed',
};
