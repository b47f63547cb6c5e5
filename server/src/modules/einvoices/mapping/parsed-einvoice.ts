/**
 * An e-invoice as its sender wrote it, independent of the syntax it came in (UBL today, Finvoice
 * next): what intake maps to a purchase invoice or credit note. Amounts are decimal strings exactly
 * as written (a credit note's amounts are positive here; `kind` says which way they go).
 */
export type EInvoiceKind = 'INVOICE' | 'CREDIT_NOTE';

export interface PartyIdentifier {
  /** The identifier's scheme (ISO 6523 ICD such as 0037 Finnish OVT, 0216 OVTcode, 0088 GLN), if given. */
  scheme: string | null;
  value: string;
}

export interface ParsedParty {
  name: string | null;
  /** Peppol endpoint (BT-34 / BT-49). */
  endpoint: PartyIdentifier | null;
  /** VAT identifier (BT-31 / BT-48), e.g. FI12345678. */
  vatNumber: string | null;
  /** Legal registration id (BT-30 / BT-47), e.g. a Finnish business id 1234567-8. */
  legalId: PartyIdentifier | null;
  /** Other party identifiers (BT-29 / BT-46). */
  identifiers: PartyIdentifier[];
  countryCode: string | null;
}

export interface ParsedVatBreakdown {
  category: string;
  /** Percent as written, e.g. "25.5"; null for categories without a rate. */
  rate: string | null;
  taxableAmount: string;
  taxAmount: string;
  exemptionReason: string | null;
}

export interface ParsedLine {
  id: string;
  description: string | null;
  quantity: string | null;
  unitCode: string | null;
  unitPrice: string | null;
  netAmount: string;
  vatCategory: string | null;
  vatRate: string | null;
  accountingCost: string | null;
}

export interface ParsedAttachment {
  id: string | null;
  filename: string | null;
  mimeCode: string | null;
  description: string | null;
  /** Decoded size in bytes of the embedded content. */
  size: number;
  content: Buffer;
}

export interface ParsedEInvoice {
  kind: EInvoiceKind;
  /** BT-1. */
  invoiceNumber: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  supplier: ParsedParty;
  buyer: ParsedParty;
  /** BT-109, BT-110, BT-112, BT-115. */
  netAmount: string;
  vatAmount: string;
  grossAmount: string;
  payableAmount: string;
  lineTotal: string;
  allowanceTotal: string;
  chargeTotal: string;
  prepaidAmount: string;
  roundingAmount: string;
  vatBreakdown: ParsedVatBreakdown[];
  paymentTerms: string | null;
  /** BT-83, the remittance information the payer quotes (an RF or Finnish reference, typically). */
  paymentReference: string | null;
  iban: string | null;
  bic: string | null;
  orderReference: string | null;
  contractReference: string | null;
  buyerReference: string | null;
  /** BT-25: the invoice a credit note corrects. */
  precedingInvoiceNumber: string | null;
  lines: ParsedLine[];
  attachments: ParsedAttachment[];
}
