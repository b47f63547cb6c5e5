import { documentElement, guardXml, XmlRejectedError } from '../../../common/xml-guard.js';
import { EINVOICE_LIMITS } from '../einvoice-limits.js';
import { ruleSet, type RuleSetId } from './rule-sets.js';
import { runSchematron, type RuleFinding } from './schematron.js';

export type EInvoiceFormat = 'UBL_INVOICE' | 'UBL_CREDIT_NOTE' | 'FINVOICE';

export const MAX_EINVOICE_BYTES = EINVOICE_LIMITS.maxDocumentBytes;

const UBL_INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const UBL_CREDIT_NOTE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
/** BT-24 of a Peppol BIS Billing 3.0 document (its CustomizationID). */
const PEPPOL_BIS3_CUSTOMIZATION = 'urn:fdc:peppol.eu:2017:poacc:billing:3.0';

export class EInvoiceFormatError extends Error {
  constructor(
    readonly reason: 'UNKNOWN_FORMAT' | 'UNSUPPORTED_FORMAT',
    message: string,
  ) {
    super(message);
    this.name = 'EInvoiceFormatError';
  }
}

export interface EInvoiceValidation {
  format: EInvoiceFormat;
  /** The guarded, decoded document. */
  xml: string;
  /** The rule sets that were run, with their versions. */
  ruleSets: { id: RuleSetId; name: string; version: string }[];
  findings: RuleFinding[];
  /** True when a fatal rule failed: nothing may be created from the document. */
  fatal: boolean;
}

/**
 * Checks a document from outside and validates it with the official rules of its format: the
 * EN 16931 rules for every UBL invoice and credit note, and the Peppol BIS 3.0 rules on top when
 * the document says it is Peppol BIS 3.0 (CustomizationID). Throws XmlRejectedError or
 * EInvoiceFormatError when the document cannot be validated at all.
 */
export function validateEInvoice(input: string | Buffer): EInvoiceValidation {
  const { text } = guardXml(input, MAX_EINVOICE_BYTES);
  const format = detectFormat(text);
  if (format === 'FINVOICE') {
    // Finvoice has no Schematron; its XSD is not vendored yet, so it cannot be validated here.
    throw new EInvoiceFormatError(
      'UNSUPPORTED_FORMAT',
      'Finvoice 3.0 documents cannot be validated yet; send the invoice as Peppol BIS Billing 3.0.',
    );
  }
  const sets: RuleSetId[] = ['en16931-ubl'];
  if (customizationId(text)?.includes(PEPPOL_BIS3_CUSTOMIZATION)) sets.push('peppol-bis3-ubl');
  const findings = sets.flatMap((id) => runSchematron(id, text));
  return {
    format,
    xml: text,
    ruleSets: sets.map((id) => {
      const { name, version } = ruleSet(id);
      return { id, name, version };
    }),
    findings,
    fatal: findings.some((f) => f.flag === 'fatal'),
  };
}

export function detectFormat(xml: string): EInvoiceFormat {
  const root = documentElement(xml);
  if (root.name === 'Invoice' && root.namespace === UBL_INVOICE_NS) return 'UBL_INVOICE';
  if (root.name === 'CreditNote' && root.namespace === UBL_CREDIT_NOTE_NS) return 'UBL_CREDIT_NOTE';
  if (root.name === 'Finvoice' && root.namespace === null) return 'FINVOICE';
  throw new EInvoiceFormatError(
    'UNKNOWN_FORMAT',
    `The document element is ${root.name}${root.namespace ? ` in ${root.namespace}` : ' without a namespace'}: ` +
      'expected a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0 / EN 16931) or a Finvoice 3.0 document.',
  );
}

function customizationId(xml: string): string | undefined {
  return /<(?:[\w.-]+:)?CustomizationID\b[^>]*>([^<]*)</.exec(xml)?.[1]?.trim();
}

export { XmlRejectedError };
