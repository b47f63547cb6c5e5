import { XMLParser } from 'fast-xml-parser';
import type {
  EInvoiceKind,
  ParsedAttachment,
  ParsedEInvoice,
  ParsedLine,
  ParsedParty,
  PartyIdentifier,
} from './parsed-einvoice.js';

/**
 * Reads a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0 / EN 16931) that has passed
 * guardXml and the official rules. Every value stays a string as written: no number parsing
 * (an amount is never a float, a reference keeps its leading zeros).
 */

const REPEATED = new Set([
  'InvoiceLine',
  'CreditNoteLine',
  'TaxTotal',
  'TaxSubtotal',
  'PartyIdentification',
  'PartyTaxScheme',
  'PaymentMeans',
  'PaymentTerms',
  'AdditionalDocumentReference',
  'BillingReference',
  'Note',
  'Description',
  'ClassifiedTaxCategory',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;

export function parseUblInvoice(xml: string): ParsedEInvoice {
  const doc = parser.parse(xml) as Node;
  const kind: EInvoiceKind = doc.CreditNote ? 'CREDIT_NOTE' : 'INVOICE';
  const root = (doc.CreditNote ?? doc.Invoice) as Node | undefined;
  if (!root) throw new Error('not a UBL Invoice or CreditNote');
  const totals = node(root.LegalMonetaryTotal);
  const currency = text(root.DocumentCurrencyCode) ?? '';
  // The VAT total in the document currency (BT-110); a second TaxTotal may carry the VAT currency.
  const taxTotals = list(root.TaxTotal);
  const taxTotal =
    taxTotals.find((t) => attr(node(t).TaxAmount, 'currencyID') === currency) ?? taxTotals[0];
  const payment = node(list(root.PaymentMeans)[0]);
  const account = node(payment.PayeeFinancialAccount);
  const lineKey = kind === 'CREDIT_NOTE' ? 'CreditNoteLine' : 'InvoiceLine';
  const quantityKey = kind === 'CREDIT_NOTE' ? 'CreditedQuantity' : 'InvoicedQuantity';
  return {
    kind,
    invoiceNumber: text(root.ID) ?? '',
    issueDate: text(root.IssueDate) ?? '',
    dueDate: text(root.DueDate) ?? text(node(list(root.PaymentTerms)[0]).PaymentDueDate),
    currency,
    supplier: party(node(node(root.AccountingSupplierParty).Party)),
    buyer: party(node(node(root.AccountingCustomerParty).Party)),
    netAmount: amount(totals.TaxExclusiveAmount),
    vatAmount: amount(node(taxTotal).TaxAmount),
    grossAmount: amount(totals.TaxInclusiveAmount),
    payableAmount: amount(totals.PayableAmount),
    lineTotal: amount(totals.LineExtensionAmount),
    allowanceTotal: amount(totals.AllowanceTotalAmount),
    chargeTotal: amount(totals.ChargeTotalAmount),
    prepaidAmount: amount(totals.PrepaidAmount),
    roundingAmount: amount(totals.PayableRoundingAmount),
    vatBreakdown: list(node(taxTotal).TaxSubtotal).map((s) => {
      const sub = node(s);
      const category = node(sub.TaxCategory);
      return {
        category: text(category.ID) ?? '',
        rate: text(category.Percent),
        taxableAmount: amount(sub.TaxableAmount),
        taxAmount: amount(sub.TaxAmount),
        exemptionReason: text(category.TaxExemptionReason) ?? text(category.TaxExemptionReasonCode),
      };
    }),
    paymentTerms:
      list(root.PaymentTerms)
        .map((t) => text(node(t).Note))
        .filter((n): n is string => !!n)
        .join('\n') || null,
    paymentReference: text(payment.PaymentID),
    iban: text(account.ID)?.replace(/\s+/g, '') ?? null,
    bic: text(node(account.FinancialInstitutionBranch).ID),
    orderReference: text(node(root.OrderReference).ID),
    contractReference: text(node(root.ContractDocumentReference).ID),
    buyerReference: text(root.BuyerReference),
    precedingInvoiceNumber: text(
      node(node(list(root.BillingReference)[0]).InvoiceDocumentReference).ID,
    ),
    lines: list(root[lineKey]).map((l) => line(node(l), quantityKey)),
    attachments: list(root.AdditionalDocumentReference)
      .map((r) => attachment(node(r)))
      .filter((a): a is ParsedAttachment => a !== null),
  };
}

function party(p: Node): ParsedParty {
  const vat = list(p.PartyTaxScheme)
    .map(node)
    .find((s) => text(node(s.TaxScheme).ID)?.toUpperCase() === 'VAT');
  const legal = node(p.PartyLegalEntity);
  return {
    name: text(legal.RegistrationName) ?? text(node(p.PartyName).Name),
    endpoint: identifier(p.EndpointID),
    vatNumber: text(vat?.CompanyID)?.replace(/\s+/g, '') ?? null,
    legalId: identifier(legal.CompanyID),
    identifiers: list(p.PartyIdentification)
      .map((i) => identifier(node(i).ID))
      .filter((i): i is PartyIdentifier => i !== null),
    countryCode: text(node(node(p.PostalAddress).Country).IdentificationCode),
  };
}

function line(l: Node, quantityKey: string): ParsedLine {
  const item = node(l.Item);
  const category = node(list(item.ClassifiedTaxCategory)[0]);
  return {
    id: text(l.ID) ?? '',
    description: text(item.Name) ?? text(list(item.Description)[0]),
    quantity: text(l[quantityKey]),
    unitCode: attr(l[quantityKey], 'unitCode'),
    unitPrice: text(node(l.Price).PriceAmount),
    netAmount: amount(l.LineExtensionAmount),
    vatCategory: text(category.ID),
    vatRate: text(category.Percent),
    accountingCost: text(l.AccountingCost),
  };
}

function attachment(r: Node): ParsedAttachment | null {
  const binary = node(r.Attachment).EmbeddedDocumentBinaryObject;
  const content = text(binary);
  if (!content) return null;
  const bytes = Buffer.from(content.replace(/\s+/g, ''), 'base64');
  return {
    id: text(r.ID),
    filename: attr(binary, 'filename'),
    mimeCode: attr(binary, 'mimeCode'),
    description: text(r.DocumentDescription),
    size: bytes.length,
    content: bytes,
  };
}

function identifier(value: unknown): PartyIdentifier | null {
  const v = text(value);
  return v ? { scheme: attr(value, 'schemeID'), value: v } : null;
}

function node(value: unknown): Node {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : {};
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of an element, which the parser gives as a string or as `#text` beside attributes. */
function text(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  const raw = typeof first === 'string' ? first : (node(first)['#text'] as string | undefined);
  const trimmed = raw?.trim();
  return trimmed ? trimmed : null;
}

function attr(value: unknown, name: string): string | null {
  const v = node(Array.isArray(value) ? value[0] : value)[`@${name}`];
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** An amount as written, "0" when absent (EN 16931 amounts are optional where zero). */
function amount(value: unknown): string {
  return text(value) ?? '0';
}
