import { describe, expect, it } from 'vitest';
import type { AccountingSystem, PeriodInfo } from '../../accounting/accounting-system.js';
import { Decimal } from '../../common/money.js';
import { fiscalYearOf } from './document-number.js';
import { computeVat, postingProblems } from './posting-lines.js';

describe('computeVat', () => {
  const vat = (net: string, rate: string, reverseCharge = false) =>
    computeVat(new Decimal(net), { rate, reverseCharge }).toFixed(2);

  it('rounds half-up (away from zero) to cents, never half-even, never through floats', () => {
    expect(vat('3.00', '13.50')).toBe('0.41'); // 0.405
    expect(vat('0.75', '14.00')).toBe('0.11'); // 0.105
    expect(vat('33.33', '25.50')).toBe('8.50'); // 8.49915
    expect(vat('-3.00', '13.50')).toBe('-0.41');
    expect(vat('1.15', '10.00')).toBe('0.12'); // 0.115: 1.15 * 0.1 is 0.11499999999999999 in floating point
    expect(vat('123456789012.34', '25.50')).toBe('31481481198.15'); // 31481481198.1467
  });

  it('is zero for reverse charge codes: the supplier charges no VAT', () => {
    expect(vat('100.00', '25.50', true)).toBe('0.00');
  });
});

describe('postingProblems', () => {
  const invoice = { netAmount: '100.00', vatAmount: '25.50' };

  it('needs lines that add up to both totals', () => {
    expect(
      postingProblems(invoice, [
        { netAmount: '60.00', vatAmount: '15.30' },
        { netAmount: '40.00', vatAmount: '10.20' },
      ]),
    ).toEqual([]);
    expect(postingProblems(invoice, []).map((p) => [p.code, p.field])).toEqual([
      ['VALIDATION', ['lines']],
    ]);
    expect(
      postingProblems(invoice, [{ netAmount: '100.00', vatAmount: '25.49' }]).map((p) => [
        p.code,
        p.field,
      ]),
    ).toEqual([['UNBALANCED', ['lines', 'vatAmount']]]);
    expect(
      postingProblems(invoice, [{ netAmount: '100.01', vatAmount: '25.50' }])[0].message,
    ).toContain('difference -0.01');
  });
});

describe('fiscalYearOf', () => {
  const period = (fiscalYear: number, startDate: string, endDate: string): PeriodInfo => ({
    id: `${startDate}`,
    fiscalYear,
    name: startDate.slice(0, 7),
    startDate,
    endDate,
    status: 'OPEN',
  });
  // A fiscal year running July to June: fiscal year 2025 is 2025-07-01 .. 2026-06-30.
  const accounting = {
    listPeriods: async () => [
      period(2025, '2026-03-01', '2026-03-31'),
      period(2026, '2026-07-01', '2026-07-31'),
    ],
  } as unknown as AccountingSystem;

  it('is the fiscal year of the ledger period containing the date, else the calendar year', async () => {
    expect(await fiscalYearOf(accounting, 'org', '2026-03-15')).toBe(2025);
    expect(await fiscalYearOf(accounting, 'org', '2026-07-31')).toBe(2026);
    expect(await fiscalYearOf(accounting, 'org', '2027-01-10')).toBe(2027);
  });
});
