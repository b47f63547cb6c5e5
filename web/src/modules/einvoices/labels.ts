import type { InvoiceSource } from '@/gql/graphql';

export const INVOICE_SOURCE_LABELS: Record<InvoiceSource, string> = {
  MANUAL: 'Manual',
  PEPPOL: 'Peppol',
  FINVOICE: 'Finvoice',
};
