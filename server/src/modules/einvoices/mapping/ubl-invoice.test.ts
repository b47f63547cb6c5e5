import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateEInvoice } from '../validation/validate-einvoice.js';
import { totalsProblems } from './einvoice-totals.js';
import { parseUblInvoice } from './ubl-invoice.js';

const fixtures = path.join(import.meta.dirname, '..', 'validation', 'fixtures');
const read = (...p: string[]) => fs.readFileSync(path.join(fixtures, ...p), 'utf8');

describe('parseUblInvoice on the official examples', () => {
  const examples = [
    ...fs.readdirSync(path.join(fixtures, 'en16931', 'examples')).map((f) => ['en16931', f]),
    ...fs.readdirSync(path.join(fixtures, 'peppol', 'examples')).map((f) => ['peppol', f]),
  ].filter(([, f]) => /\.xml$/i.test(f!));

  it.each(examples)('%s/%s: totals add up exactly and every line is read', (origin, file) => {
    const xml = read(origin!, 'examples', file!);
    const parsed = parseUblInvoice(xml);
    expect(totalsProblems(parsed)).toEqual([]);
    expect(parsed.invoiceNumber).not.toBe('');
    expect(parsed.currency).toMatch(/^[A-Z]{3}$/);
    expect(parsed.issueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const lineElements = xml.match(/<cac:(Invoice|CreditNote)Line>/g) ?? [];
    expect(parsed.lines).toHaveLength(lineElements.length);
    expect(parsed.kind).toBe(/creditnote/i.test(file!) ? 'CREDIT_NOTE' : 'INVOICE');
  });

  it('maps the Peppol base example field by field, amounts as written', () => {
    const parsed = parseUblInvoice(read('peppol', 'examples', 'base-example.xml'));
    expect(parsed).toMatchObject({
      kind: 'INVOICE',
      invoiceNumber: 'Snippet1',
      issueDate: '2017-11-13',
      dueDate: '2017-12-01',
      currency: 'EUR',
      netAmount: '1325',
      vatAmount: '331.25',
      grossAmount: '1656.25',
      payableAmount: '1656.25',
      lineTotal: '1300',
      chargeTotal: '25',
      paymentReference: 'Snippet1',
      iban: 'IBAN32423940',
      bic: 'BIC324098',
      paymentTerms: 'Payment within 10 days, 2% discount',
      buyerReference: '0150abc',
      vatBreakdown: [
        {
          category: 'S',
          rate: '25.0',
          taxableAmount: '1325',
          taxAmount: '331.25',
          exemptionReason: null,
        },
      ],
    });
    expect(parsed.supplier).toEqual({
      name: 'SupplierOfficialName Ltd',
      endpoint: { scheme: '0088', value: '9482348239847239874' },
      vatNumber: 'GB1232434',
      legalId: { scheme: null, value: 'GB983294' },
      identifiers: [{ scheme: null, value: '99887766' }],
      countryCode: 'GB',
    });
    expect(parsed.lines[0]).toMatchObject({
      id: '1',
      quantity: '7',
      unitCode: 'DAY',
      netAmount: '2800',
    });
  });

  it('reads a credit note with the invoice it corrects', () => {
    const parsed = parseUblInvoice(read('peppol', 'examples', 'base-creditnote-correction.xml'));
    expect(parsed.kind).toBe('CREDIT_NOTE');
    expect(parsed.precedingInvoiceNumber).toBe('Snippet1');
    expect(parsed.lines.length).toBeGreaterThan(0);
    expect(parsed.lines.every((l) => l.quantity !== null)).toBe(true);
  });

  it('decodes the embedded PDF of an example', () => {
    const parsed = parseUblInvoice(
      read('en16931', 'examples', 'FT G2G_TD01 con Allegato, Bonifico e Split Payment.xml'),
    );
    const pdf = parsed.attachments.find((a) => a.mimeCode === 'application/pdf');
    expect(pdf).toBeDefined();
    expect(pdf!.filename).toBe('mappatura_ubl_sdi.pdf');
    expect(pdf!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf!.size).toBe(pdf!.content.length);
  });

  it('keeps a reference with leading zeros and never turns an amount into a float', () => {
    const xml = read('peppol', 'examples', 'base-example.xml')
      .replace(
        '<cbc:PaymentID>Snippet1</cbc:PaymentID>',
        '<cbc:PaymentID>00000000000000001245</cbc:PaymentID>',
      )
      .replace(/(<cbc:TaxInclusiveAmount currencyID="EUR">)1656.25</, '$11656.250<');
    const parsed = parseUblInvoice(xml);
    expect(parsed.paymentReference).toBe('00000000000000001245');
    expect(parsed.grossAmount).toBe('1656.250');
    expect(totalsProblems(parsed)).toEqual([]);
  });

  it('names every sum that does not add up', () => {
    const xml = read('peppol', 'examples', 'base-example.xml').replace(
      /(<cbc:TaxInclusiveAmount currencyID="EUR">)1656.25</,
      '$11656.26<',
    );
    expect(validateEInvoice(xml).fatal).toBe(true);
    expect(totalsProblems(parseUblInvoice(xml))).toEqual([
      'total with VAT: 1656.25 expected, the document says 1656.26',
      'amount due (total − prepaid + rounding): 1656.26 expected, the document says 1656.25',
    ]);
  });
});
