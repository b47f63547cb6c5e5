import { registerEnumType } from 'type-graphql';

/**
 * What a purchase document is. A credit note is the supplier's correction downwards: its totals
 * and lines carry a negative sign (invoice.rules.ts `documentSignProblems`), and it books as the
 * mirror of an invoice (accounts payable debited).
 */
export enum DocumentKind {
  INVOICE = 'INVOICE',
  CREDIT_NOTE = 'CREDIT_NOTE',
}

registerEnumType(DocumentKind, {
  name: 'DocumentKind',
  description: 'A purchase invoice, or a supplier credit note (amounts negative).',
  valuesConfig: {
    INVOICE: { description: 'A purchase invoice: totals zero or positive.' },
    CREDIT_NOTE: {
      description:
        'A supplier credit note: totals zero or negative, booked as the mirror of an invoice.',
    },
  },
});
