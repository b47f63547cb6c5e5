// The proposed posting of an e-invoice, as pure arithmetic: per VAT group the lines add up to the
// breakdown exactly, the last line of each group takes the rounding, credit notes come out negative.
import { describe, expect, it } from 'vitest';
import { Decimal, sumMoney } from '../../common/money.js';
import { MAX_POSTING_LINES } from '../invoices/posting-lines.js';
import { proposePostingLines, type ProposalSource } from './einvoice-posting.js';

const line = (id: string, netAmount: string, vatCategory = 'S', vatRate = '25.5') => ({
  id,
  description: `Line ${id}`,
  netAmount,
  vatCategory,
  vatRate,
});
const MAPPINGS = [
  { category: 'S', rate: '25.5', vatCode: 'VAT255' },
  { category: 'S', rate: '14', vatCode: 'VAT14' },
];
const sum = (lines: { netAmount: string }[], k: 'netAmount' | 'vatAmount' = 'netAmount') =>
  sumMoney(lines.map((l) => (l as Record<string, string>)[k]!)).toFixed(2);

describe('proposePostingLines', () => {
  it('puts the rounding of each VAT group on its last line', () => {
    // 3 × 0.10 at 25.5 %: each line rounds to 0.03 (0.0255), the group's tax is 0.08 (0.0765).
    const source: ProposalSource = {
      kind: 'INVOICE',
      lines: [
        line('1', '0.10'),
        line('2', '0.10'),
        line('3', '0.10'),
        line('4', '10.00', 'S', '14'),
      ],
      vatBreakdown: [
        { category: 'S', rate: '25.50', taxableAmount: '0.30', taxAmount: '0.08' },
        { category: 'S', rate: '14.00', taxableAmount: '10.00', taxAmount: '1.40' },
      ],
    };
    const lines = proposePostingLines(source, MAPPINGS, null);
    expect(lines.map((l) => [l.vatCode, l.netAmount, l.vatAmount, l.accountCode])).toEqual([
      ['VAT255', '0.10', '0.03', ''],
      ['VAT255', '0.10', '0.03', ''],
      ['VAT255', '0.10', '0.02', ''],
      ['VAT14', '10.00', '1.40', ''],
    ]);
    expect(sum(lines, 'vatAmount')).toBe('1.48');
    expect(lines[0]!.description).toBe('Line 1');
  });

  it('a credit note is negative; a document-level charge gets its own line in its group', () => {
    const lines = proposePostingLines(
      {
        kind: 'CREDIT_NOTE',
        lines: [line('1', '100.00'), line('2', '-20.00')],
        vatBreakdown: [{ category: 'S', rate: '25.5', taxableAmount: '85.00', taxAmount: '21.68' }],
      },
      MAPPINGS,
      '6800',
    );
    expect(lines.map((l) => [l.netAmount, l.vatAmount, l.accountCode])).toEqual([
      ['-100.00', '-25.50', '6800'],
      ['20.00', '5.10', '6800'],
      ['-5.00', '-1.28', '6800'],
    ]);
    expect(lines[2]!.description).toMatch(/allowances and charges/);
    expect([sum(lines), sum(lines, 'vatAmount')]).toEqual(['-85.00', '-21.68']);
  });

  it('an unmapped category and rate gets no VAT code, never the nearest one', () => {
    const lines = proposePostingLines(
      {
        kind: 'INVOICE',
        lines: [line('1', '50.00', 'S', '24')],
        vatBreakdown: [{ category: 'S', rate: '24', taxableAmount: '50.00', taxAmount: '12.00' }],
      },
      MAPPINGS,
      null,
    );
    expect(lines).toEqual([
      expect.objectContaining({ vatCode: '', netAmount: '50.00', vatAmount: '12.00' }),
    ]);
  });

  it('more lines than an invoice may carry: one posting line per VAT group, still exact', () => {
    const many = Array.from({ length: MAX_POSTING_LINES + 1 }, (_, i) => line(String(i), '0.33'));
    const net = new Decimal('0.33').times(many.length).toFixed(2);
    const lines = proposePostingLines(
      {
        kind: 'INVOICE',
        lines: many,
        vatBreakdown: [{ category: 'S', rate: '25.5', taxableAmount: net, taxAmount: '42.95' }],
      },
      MAPPINGS,
      null,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ netAmount: net, vatAmount: '42.95', vatCode: 'VAT255' });
    expect(lines[0]!.description).toBe(`VAT S 25.5 %: ${many.length} lines`);
  });
});
