import type { DocumentKind, InvoiceOrderField, InvoiceStatus, InvoiceTab } from '@/gql/graphql';

export interface InvoiceTabInfo {
  tab: InvoiceTab;
  slug: string;
  label: string;
  empty: string;
}

export const INVOICE_TABS: readonly InvoiceTabInfo[] = [
  {
    tab: 'IN_PROCESS',
    slug: 'in-process',
    label: 'In process',
    empty: 'No invoice is waiting in approval circulation.',
  },
  {
    tab: 'TRANSFERABLE',
    slug: 'to-be-transferred',
    label: 'To be transferred',
    empty: 'Every approved invoice is in the ledger.',
  },
  {
    tab: 'TRANSFERRED',
    slug: 'transferred',
    label: 'Transferred',
    empty: 'No invoice has been transferred to accounting yet.',
  },
  { tab: 'ALL', slug: 'all', label: 'All', empty: 'There are no invoices yet.' },
];

export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  DRAFT: 'Draft',
  IN_CIRCULATION: 'In circulation',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  REMOVED: 'Removed',
};

export const INVOICE_STATUS_SEVERITY: Record<
  InvoiceStatus,
  'secondary' | 'info' | 'success' | 'danger' | 'warn'
> = {
  DRAFT: 'secondary',
  IN_CIRCULATION: 'info',
  APPROVED: 'success',
  REJECTED: 'danger',
  REMOVED: 'secondary',
};

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  INVOICE: 'Invoice',
  CREDIT_NOTE: 'Credit note',
};

export const DOCUMENT_KIND_OPTIONS: readonly { value: DocumentKind; label: string }[] = [
  { value: 'INVOICE', label: 'Invoices' },
  { value: 'CREDIT_NOTE', label: 'Credit notes' },
];

/** Table column field → the server's sort field. */
export const SORT_FIELDS: Record<string, InvoiceOrderField> = {
  billDate: 'BILL_DATE',
  dueDate: 'DUE_DATE',
  grossAmount: 'GROSS_AMOUNT',
  invoiceNumber: 'INVOICE_NUMBER',
};
