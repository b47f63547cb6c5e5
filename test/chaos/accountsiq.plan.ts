/**
 * The documents of the accountsIQ chaos run and what must become of each: posted once in the
 * period accountsIQ's rule gives it, or refused for its defect with the matching code.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from '../../server/src/common/money.js';
import {
  ClosedPeriodPolicy,
  type AccountingProblem,
  type InvoicePostingRequest,
} from '../../server/src/accounting/accounting-system.js';
import type { LocalCompanySeed } from '../../server/src/accounting/accountsiq/index.js';
import type { Rng } from '../../server/src/seeders/demo-random.js';

export const CHAOS_COMPANY: LocalCompanySeed = {
  entity: 'CHAOS',
  clientId: 'chaos-client',
  clientSecret: 'chaos-secret-5b1d',
  companyName: 'Chaos Ltd',
  currencies: ['EUR'],
  glAccounts: [
    { code: '5000', name: 'Purchases', postable: true, active: true },
    { code: '5100', name: 'Office', postable: true, active: true },
    { code: '5200', name: 'Travel', postable: true, active: true },
    { code: '5000H', name: 'Header', postable: false, active: true },
    {
      code: '2100',
      name: 'Creditors control',
      postable: true,
      active: true,
      type: 'CREDITORS_CONTROL',
    },
    { code: '2200', name: 'VAT', postable: true, active: true, type: 'VAT' },
    { code: '1200', name: 'Bank', postable: true, active: true, type: 'BANK' },
  ],
  taxCodes: [
    { code: 'S', rate: '23.00' },
    { code: 'R', rate: '13.50' },
    { code: 'Z', rate: '0.00' },
  ],
  departments: [
    { code: 'OPS', name: 'Operations' },
    { code: 'SALES', name: 'Sales' },
  ],
  suppliers: [
    { code: 'ACME', name: 'Acme', active: true },
    { code: 'BOLT', name: 'Bolt', active: true },
    { code: 'CORK', name: 'Cork', active: true },
    { code: 'DEAD', name: 'Dead Ltd', active: false },
  ],
  periods: [
    { name: '2026/01', start: '2026-01-01', end: '2026-01-31', open: false },
    { name: '2026/02', start: '2026-02-01', end: '2026-02-28', open: true },
    { name: '2026/03', start: '2026-03-01', end: '2026-03-31', open: false },
    { name: '2026/04', start: '2026-04-01', end: '2026-04-30', open: true },
    { name: '2026/05', start: '2026-05-01', end: '2026-05-31', open: true },
  ],
};

export type Defect =
  'supplier' | 'account' | 'header-account' | 'tax-code' | 'unbalanced' | 'blocked';

export interface PlannedDocument {
  request: InvoicePostingRequest;
  defect: Defect | null;
  /** The problem code a defect is refused with. */
  expectedCode: AccountingProblem['code'] | null;
  /** The period accountsIQ books a good document in. */
  expectedPeriod: string | null;
  /** Exported twice (a duplicate export: two transfers' attempts on one key). */
  duplicate: boolean;
  /** Reversed once posted; paid once posted. */
  reverse: boolean;
  pay: boolean;
}

const DEFECT_CODES: Record<Defect, AccountingProblem['code']> = {
  supplier: 'SUPPLIER_NOT_IN_LEDGER',
  account: 'ACCOUNT_NOT_FOUND',
  'header-account': 'ACCOUNT_NOT_POSTABLE',
  'tax-code': 'VAT_CODE_INVALID',
  unbalanced: 'UNBALANCED',
  blocked: 'PERIOD_LOCKED',
};

const RATES: Record<string, string> = { S: '0.23', R: '0.135', Z: '0' };

function bookedPeriod(date: string): string {
  const month = date.slice(0, 7);
  if (month === '2026-01') return '2026/02';
  if (month === '2026-03') return '2026/04';
  return month.replace('-', '/');
}

export function planDocuments(rng: Rng, count: number): PlannedDocument[] {
  const out: PlannedDocument[] = [];
  for (let i = 0; i < count; i++) {
    const defect: Defect | null = rng.chance(0.08)
      ? rng.pick([
          'supplier',
          'account',
          'header-account',
          'tax-code',
          'unbalanced',
          'blocked',
        ] as const)
      : null;
    const month = rng.int(1, 5);
    const day = rng.int(1, 28);
    const date = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const blocked = defect === 'blocked';
    const closed = month === 1 || month === 3;
    // A BLOCK document dated in an open period is fine; the blocked defect is one in a closed period.
    const policy =
      blocked || rng.chance(0.3) ? ClosedPeriodPolicy.BLOCK : ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN;
    const finalDate = blocked
      ? `2026-${rng.pick(['01', '03'])}-${String(day).padStart(2, '0')}`
      : policy === ClosedPeriodPolicy.BLOCK && closed
        ? `2026-02-${String(day).padStart(2, '0')}`
        : date;
    const negative = rng.chance(0.05);
    const lines = Array.from({ length: rng.int(1, 3) }, (_, n) => {
      const vatCode = defect === 'tax-code' && n === 0 ? 'XX' : rng.pick(['S', 'R', 'Z']);
      const net = new Decimal(rng.int(100, 500000)).div(100).times(negative ? -1 : 1);
      const vat = net.times(RATES[vatCode] ?? '0').toDecimalPlaces(2);
      const accountCode =
        n === 0 && defect === 'account'
          ? '9999'
          : n === 0 && defect === 'header-account'
            ? '5000H'
            : rng.pick(['5000', '5100', '5200']);
      return {
        accountCode,
        costUnitCode: rng.chance(0.5) ? rng.pick(['OPS', 'SALES']) : null,
        vatCode,
        netAmount: net.toFixed(2),
        vatAmount: vat.toFixed(2),
        description: rng.chance(0.3) ? `line ${n + 1}` : null,
      };
    });
    // Supplier credit notes in the mix: the same lines with the port's negative sign.
    const creditNote = rng.chance(0.15);
    if (creditNote)
      for (const l of lines) {
        l.netAmount = new Decimal(l.netAmount).negated().toFixed(2);
        l.vatAmount = new Decimal(l.vatAmount).negated().toFixed(2);
      }
    const gross = lines.reduce((s, l) => s.plus(l.netAmount).plus(l.vatAmount), new Decimal(0));
    const request: InvoicePostingRequest = {
      idempotencyKey: randomUUID(),
      documentKind: gross.isNegative() ? 'CREDIT_NOTE' : 'INVOICE',
      journal: rng.chance(0.5) ? 'BATCH_INVOICES' : 'ITEM_INVOICES',
      supplierAccountName:
        defect === 'supplier' ? rng.pick(['DEAD', 'NOBODY']) : rng.pick(['ACME', 'BOLT', 'CORK']),
      reference: `INV-${i + 1}`,
      documentDate: finalDate,
      closedPeriodPolicy: policy,
      currency: 'EUR',
      grossAmount: (defect === 'unbalanced' ? gross.plus('0.01') : gross).toFixed(2),
      description: null,
      lines,
    };
    out.push({
      request,
      defect,
      expectedCode: defect ? DEFECT_CODES[defect] : null,
      expectedPeriod: defect ? null : bookedPeriod(finalDate),
      duplicate: rng.chance(0.1),
      reverse: !defect && rng.chance(0.05),
      pay: !defect && !negative && rng.chance(0.1),
    });
  }
  return out;
}
