/** The double entry a document books: which accounts are debited and credited with what. */
import { Decimal, formatMoney, money } from '../../common/money.js';
import type {
  EntryLineInfo,
  InvoicePostingRequest,
  PaymentPostingRequest,
} from '../accounting-system.js';
import { nonEmpty, type LedgerAccounts } from './ledger-rows.js';

/** A line to book: positive amount = debit, negative = credit. */
interface PlannedLine {
  accountCode: string;
  costUnitCode: string | null;
  vatCode: string | null;
  amount: Decimal;
  description: string | null;
}

export interface EntryLines {
  lines: EntryLineInfo[];
  /** Sum of debits. */
  total: string;
}

/** How a VAT code books: its rate (percent) and whether it is reverse charge. */
export interface VatTreatment {
  rate: string;
  reverseCharge: boolean;
}

/** Planned signed amounts → numbered debit/credit lines (zero amounts dropped). */
function toEntryLines(planned: PlannedLine[]): EntryLines {
  const lines: EntryLineInfo[] = [];
  let debits = new Decimal(0);
  for (const p of planned) {
    if (p.amount.isZero()) continue;
    const debit = p.amount.greaterThan(0) ? p.amount : new Decimal(0);
    const credit = p.amount.lessThan(0) ? p.amount.negated() : new Decimal(0);
    debits = debits.plus(debit);
    lines.push({
      lineNo: lines.length + 1,
      accountCode: p.accountCode,
      costUnitCode: p.costUnitCode,
      vatCode: p.vatCode,
      debit: formatMoney(debit),
      credit: formatMoney(credit),
      description: p.description,
    });
  }
  return { lines, total: formatMoney(debits) };
}

/**
 * The double entry of an invoice: each line's net debited to its account, VAT receivable
 * debited per VAT code with the summed VAT, for reverse-charge codes VAT receivable debited and
 * VAT payable credited with net × rate (per code, rounded half up to cents), and accounts payable
 * credited with the gross. Negative amounts (credit notes) land on the other side.
 */
export function planInvoiceLines(
  r: InvoicePostingRequest,
  s: LedgerAccounts,
  vatOf: (code: string) => VatTreatment,
): EntryLines {
  const planned: PlannedLine[] = r.lines.map((l) => ({
    accountCode: l.accountCode,
    costUnitCode: nonEmpty(l.costUnitCode) ? l.costUnitCode : null,
    vatCode: nonEmpty(l.vatCode) ? l.vatCode : null,
    amount: money(l.netAmount),
    description: l.description ?? null,
  }));
  const perCode = new Map<string, { vat: Decimal; net: Decimal }>();
  for (const l of r.lines) {
    if (!nonEmpty(l.vatCode)) continue;
    const sum = perCode.get(l.vatCode) ?? { vat: new Decimal(0), net: new Decimal(0) };
    sum.vat = sum.vat.plus(l.vatAmount);
    sum.net = sum.net.plus(l.netAmount);
    perCode.set(l.vatCode, sum);
  }
  for (const [code, sum] of perCode) {
    const vat = vatOf(code);
    if (vat.reverseCharge) {
      const tax = sum.net.times(vat.rate).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const description = `Reverse charge VAT ${code}`;
      planned.push({
        accountCode: s.vat_receivable_account,
        costUnitCode: null,
        vatCode: code,
        amount: tax,
        description,
      });
      planned.push({
        accountCode: s.vat_payable_account,
        costUnitCode: null,
        vatCode: code,
        amount: tax.negated(),
        description,
      });
    } else {
      planned.push({
        accountCode: s.vat_receivable_account,
        costUnitCode: null,
        vatCode: code,
        amount: sum.vat,
        description: `VAT ${code}`,
      });
    }
  }
  planned.push({
    accountCode: s.accounts_payable_account,
    costUnitCode: null,
    vatCode: null,
    amount: money(r.grossAmount).negated(),
    description: r.description ?? null,
  });
  return toEntryLines(planned);
}

/** The double entry of a payment: accounts payable debited, bank credited with the amount. */
export function planPaymentLines(r: PaymentPostingRequest, s: LedgerAccounts): EntryLines {
  const amount = money(r.amount);
  return toEntryLines([
    {
      accountCode: s.accounts_payable_account,
      costUnitCode: null,
      vatCode: null,
      amount,
      description: r.description ?? null,
    },
    {
      accountCode: s.bank_account,
      costUnitCode: null,
      vatCode: null,
      amount: amount.negated(),
      description: r.description ?? null,
    },
  ]);
}

/** A reversal books the original's lines with debit and credit swapped. */
export function mirrorLines(lines: EntryLineInfo[]): EntryLineInfo[] {
  return lines.map((l) => ({ ...l, debit: l.credit, credit: l.debit }));
}
