import { describe, expect, it } from 'vitest';
import type { PeriodInfo } from '../../accounting/accounting-system.js';
import { DriftKind } from './accounting-connection.enums.js';
import { compareDocuments } from './drift-check.js';
import type { ExternalDocumentInfo } from './external-adapter.js';

const periods: PeriodInfo[] = [
  {
    id: 'p1',
    fiscalYear: 2026,
    name: '2026/01',
    startDate: '2026-01-01',
    endDate: '2026-01-31',
    status: 'OPEN',
  },
  {
    id: 'p2',
    fiscalYear: 2026,
    name: '2026/02',
    startDate: '2026-02-01',
    endDate: '2026-02-28',
    status: 'OPEN',
  },
];
const doc = (ref: string, total: string, periodName = '2026/01'): ExternalDocumentInfo => ({
  transactionId: `T-${ref}-${total}`,
  externalReference: ref,
  reference: `INV-${ref}`,
  supplierCode: 'SUP-1',
  total,
  periodName,
  postingDate: '2026-01-15',
});

describe('compareDocuments', () => {
  it('reports every kind of drift and nothing for a document that matches', () => {
    const expected = ['ok', 'gone', 'twice', 'amount', 'period'].map((ref) => ({
      transferId: `t-${ref}`,
      externalReference: ref,
      amount: '124.00',
      postingDate: '2026-01-15',
    }));
    const found = new Map<string, ExternalDocumentInfo[]>([
      ['ok', [doc('ok', '-124.00')]],
      ['twice', [doc('twice', '124.00'), doc('twice', '124.00')]],
      ['amount', [doc('amount', '120.00')]],
      ['period', [doc('period', '124.00', '2026/02')]],
      ['failed-but-there', [doc('failed-but-there', '10.00')]],
    ]);
    const items = compareDocuments({
      expected,
      notExpected: [
        { transferId: 't-f', externalReference: 'failed-but-there' },
        { transferId: 't-g', externalReference: 'failed-and-absent' },
      ],
      found,
      periods,
    });
    expect(items.map((i) => [i.kind, i.externalReference])).toEqual([
      [DriftKind.MISSING_THERE, 'gone'],
      [DriftKind.DUPLICATE_THERE, 'twice'],
      [DriftKind.AMOUNT_DIFFERS, 'amount'],
      [DriftKind.PERIOD_DIFFERS, 'period'],
      [DriftKind.UNKNOWN_HERE, 'failed-but-there'],
    ]);
    expect(items[2]).toMatchObject({ expected: '124.00', actual: '120.00' });
    expect(items[3]).toMatchObject({ expected: '2026/01', actual: '2026/02' });
  });
});
