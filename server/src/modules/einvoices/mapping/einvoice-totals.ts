import { Decimal, sumMoney } from '../../../common/money.js';
import type { ParsedEInvoice } from './parsed-einvoice.js';

/**
 * The sums an e-invoice's totals must satisfy, in exact decimal arithmetic. The official rules
 * check these too (BR-CO-10, -13, -14, -15, -16); intake checks them again on the values it is
 * about to store, so a document that slipped past (e.g. a rule set not applied) cannot create an
 * invoice whose totals do not add up.
 */
export function totalsProblems(invoice: ParsedEInvoice): string[] {
  const d = (v: string) => new Decimal(v);
  const problems: string[] = [];
  const expect = (label: string, actual: Decimal, expected: Decimal) => {
    if (!actual.equals(expected)) {
      problems.push(
        `${label}: ${expected.toFixed()} expected, the document says ${actual.toFixed()}`,
      );
    }
  };
  expect(
    'sum of line net amounts',
    d(invoice.lineTotal),
    sumMoney(invoice.lines.map((l) => l.netAmount)),
  );
  expect(
    'total without VAT (lines − allowances + charges)',
    d(invoice.netAmount),
    d(invoice.lineTotal).minus(invoice.allowanceTotal).plus(invoice.chargeTotal),
  );
  expect(
    'VAT total (sum of the VAT breakdown)',
    d(invoice.vatAmount),
    sumMoney(invoice.vatBreakdown.map((v) => v.taxAmount)),
  );
  expect('total with VAT', d(invoice.grossAmount), d(invoice.netAmount).plus(invoice.vatAmount));
  expect(
    'amount due (total − prepaid + rounding)',
    d(invoice.payableAmount),
    d(invoice.grossAmount).minus(invoice.prepaidAmount).plus(invoice.roundingAmount),
  );
  return problems;
}
