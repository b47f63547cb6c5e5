/**
 * How the local service checks and books a purchase document: supplier, currency, GL accounts,
 * tax codes, departments, totals, then the period (a closed period moves the posting to the
 * first day of the next open one, as accountsIQ does). The first problem found is reported,
 * one ErrorCode per answer, as accountsIQ does.
 */
import { Decimal } from 'decimal.js';
import type {
  LocalCompany,
  LocalDocumentLine,
  LocalPeriodSeed,
  LocalTransaction,
  LocalTransactionLine,
} from './company.js';
import { AiqFailure } from './failure.js';

export interface DocumentHeader {
  supplierCode: string;
  currencyCode: string;
  date: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkHeader(company: LocalCompany, header: DocumentHeader): void {
  const supplier = company.seed.suppliers.find((s) => s.code === header.supplierCode);
  if (!supplier)
    throw new AiqFailure(
      'SUPPLIER_DOES_NOT_EXIST',
      `Supplier account '${header.supplierCode}' does not exist.`,
    );
  if (!supplier.active)
    throw new AiqFailure(
      'SUPPLIER_IS_INACTIVE',
      `Supplier account '${header.supplierCode}' is inactive.`,
    );
  if (!company.currencies.includes(header.currencyCode))
    throw new AiqFailure(
      'CURRENCY_CODE_DOES_NOT_EXIST',
      `Currency '${header.currencyCode}' does not exist in this company.`,
    );
  if (!DATE.test(header.date))
    throw new AiqFailure('DATE_IS_OUT_OF_RANGE', `Date '${header.date}' is not valid.`);
}

export function checkLines(company: LocalCompany, lines: LocalDocumentLine[]): void {
  if (lines.length === 0) throw new AiqFailure('VALIDATION_ERROR', 'The document has no lines.');
  lines.forEach((line, i) => {
    const at = `Line ${i + 1}`;
    const account = company.seed.glAccounts.find((a) => a.code === line.GLAccountCode);
    if (!account || !account.postable || !account.active)
      throw new AiqFailure(
        'GLACCOUNT_IS_NOT_POSTING_OR_DOES_NOT_EXIST',
        `${at}: GL account '${line.GLAccountCode}' is not a posting account or does not exist.`,
      );
    if (!company.seed.taxCodes.some((t) => t.code === line.TaxCode))
      throw new AiqFailure(
        'TAX_CODE_DOES_NOT_EXIST',
        `${at}: tax code '${line.TaxCode}' does not exist.`,
      );
    if (
      line.DepartmentID &&
      !company.seed.departments.some((d) => d.code === line.DepartmentID && d.active !== false)
    )
      throw new AiqFailure(
        'DEPARTMENT_DOES_NOT_EXIST',
        `${at}: department '${line.DepartmentID}' does not exist.`,
      );
    if (!isAmount(line.NetAmount) || !isAmount(line.TaxAmount))
      throw new AiqFailure('VALIDATION_ERROR', `${at}: amount is not a number.`);
  });
}

export function isAmount(value: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(value);
}

export function grossOf(lines: LocalDocumentLine[]): Decimal {
  return lines.reduce((sum, l) => sum.plus(l.NetAmount).plus(l.TaxAmount), new Decimal(0));
}

export function checkGross(lines: LocalDocumentLine[], gross: string): void {
  if (!isAmount(gross) || !grossOf(lines).equals(gross))
    throw new AiqFailure(
      'TOTAL_DOES_NOT_MATCH',
      `The gross amount ${gross} does not equal the lines' total ${grossOf(lines).toFixed(2)}.`,
    );
}

/** The period a document dated `date` is booked in, and its posting date. */
export function bookingPeriod(
  company: LocalCompany,
  date: string,
): { period: LocalPeriodSeed; postingDate: string } {
  const periods = [...company.seed.periods].sort((a, b) => a.start.localeCompare(b.start));
  const own = periods.find((p) => p.start <= date && date <= p.end);
  if (!own)
    throw new AiqFailure('DATE_IS_OUT_OF_RANGE', `No financial period covers the date ${date}.`);
  if (own.open) return { period: own, postingDate: date };
  const next = periods.find((p) => p.open && p.start > own.end);
  if (!next)
    throw new AiqFailure(
      'NO_OPEN_PERIOD',
      `Period ${own.name} is closed and no open period follows it.`,
    );
  return { period: next, postingDate: next.start };
}

const zero = '0.00';
const money = (d: Decimal) => d.toFixed(2);

/** A signed amount as a debit/credit pair: positive on `side`, negative on the other. */
function sided(amount: Decimal, side: 'debit' | 'credit'): { Debit: string; Credit: string } {
  const positive = amount.isNegative() ? amount.negated() : amount;
  const onSide = amount.isNegative() ? (side === 'debit' ? 'credit' : 'debit') : side;
  return onSide === 'debit'
    ? { Debit: money(positive), Credit: zero }
    : { Debit: zero, Credit: money(positive) };
}

/**
 * The transaction lines of a purchase document: each line's net on its GL account, the tax on
 * the VAT account, the gross against the creditors control account. A credit note swaps sides.
 */
export function documentLines(
  company: LocalCompany,
  lines: LocalDocumentLine[],
  creditNote: boolean,
): LocalTransactionLine[] {
  const expenseSide = creditNote ? 'credit' : 'debit';
  const controlSide = creditNote ? 'debit' : 'credit';
  const out: LocalTransactionLine[] = lines.map((l) => ({
    GLAccountCode: l.GLAccountCode,
    DepartmentID: l.DepartmentID,
    TaxCode: l.TaxCode,
    ...sided(new Decimal(l.NetAmount), expenseSide),
    TaxAmount: money(new Decimal(l.TaxAmount)),
    Description: l.Description,
  }));
  const tax = lines.reduce((s, l) => s.plus(l.TaxAmount), new Decimal(0));
  if (!tax.isZero())
    out.push({
      GLAccountCode: company.controlAccount('VAT'),
      DepartmentID: null,
      TaxCode: null,
      ...sided(tax, expenseSide),
      TaxAmount: zero,
      Description: null,
    });
  out.push({
    GLAccountCode: company.controlAccount('CREDITORS_CONTROL'),
    DepartmentID: null,
    TaxCode: null,
    ...sided(grossOf(lines), controlSide),
    TaxAmount: zero,
    Description: null,
  });
  return out;
}

export function record(
  company: LocalCompany,
  tx: Omit<LocalTransaction, 'TransactionID' | 'CreatedAt' | 'PeriodName' | 'PostingDate'>,
): LocalTransaction {
  const { period, postingDate } = bookingPeriod(company, tx.TransactionDate);
  const posted: LocalTransaction = {
    ...tx,
    TransactionID: company.takeTransactionId(),
    PostingDate: postingDate,
    PeriodName: period.name,
    CreatedAt: new Date(),
  };
  company.transactions.push(Object.freeze(posted));
  return posted;
}
