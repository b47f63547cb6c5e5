/**
 * Finding documents again in accountsIQ. Every document Ledgerlink sends carries an
 * ExternalReference derived from the port's idempotency key; accountsIQ does not enforce it
 * unique, so a look-up can find none, one, or (after a duplicate) several.
 */
import type { EntryInfo, JournalName, PeriodInfo } from '../accounting-system.js';
import { AiqResultError, type AiqSession } from './session.js';
import { items, obj, optStr, type Parsed, str } from './soap-values.js';
import { periodByName } from './periods.js';

const PREFIX = 'LL-';

/** The ExternalReference of the document sent for `idempotencyKey`. */
export function externalReferenceFor(idempotencyKey: string): string {
  return `${PREFIX}${idempotencyKey}`;
}

export function idempotencyKeyOf(externalReference: string): string {
  return externalReference.startsWith(PREFIX)
    ? externalReference.slice(PREFIX.length)
    : externalReference;
}

export interface ExternalDocumentInfo {
  transactionId: string;
  externalReference: string;
  reference: string;
  supplierCode: string;
  total: string;
  periodName: string;
  postingDate: string;
}

export async function transactionsByExternalReference(
  session: AiqSession,
  externalReference: string,
): Promise<Parsed[]> {
  const list = await session.call<Parsed>(
    'GetTransactionsByExternalReference',
    { externalReference },
    'read',
  );
  return items(list, 'Transaction').sort(
    (a, b) => Number(str(a.TransactionID)) - Number(str(b.TransactionID)),
  );
}

export async function transactionById(session: AiqSession, id: string): Promise<Parsed | null> {
  if (!/^\d{1,9}$/.test(id)) return null;
  try {
    return await session.call<Parsed>('GetTransaction', { transactionID: Number(id) }, 'read');
  } catch (err) {
    if (err instanceof AiqResultError && err.errorCode === 'TRANSACTION_DOES_NOT_EXIST')
      return null;
    throw err;
  }
}

export function documentInfo(tx: Parsed): ExternalDocumentInfo {
  return {
    transactionId: str(tx.TransactionID),
    externalReference: str(tx.ExternalReference),
    reference: str(tx.Reference),
    supplierCode: str(tx.AccountCode),
    total: str(tx.Amount),
    periodName: str(tx.PeriodName),
    postingDate: str(tx.PostingDate),
  };
}

function journalOf(type: string): JournalName {
  if (type === 'BPI') return 'BATCH_INVOICES';
  if (type === 'PP') return 'PAYMENTS';
  return 'ITEM_INVOICES';
}

/** A purchase credit note that reverses nothing is a supplier's credit note of its own. */
function entryKindOf(type: string, reverses: string | null): EntryInfo['kind'] {
  if (reverses !== null) return 'REVERSAL';
  if (type === 'PP') return 'PAYMENT';
  return type === 'PC' ? 'CREDIT_NOTE' : 'INVOICE';
}

/** A transaction as the port's entry, with the period accountsIQ booked it in. */
export function entryFrom(tx: Parsed, periods: PeriodInfo[]): EntryInfo {
  const type = str(tx.TransactionType);
  const reverses = optStr(tx.ReversesTransactionID);
  const postingDate = str(tx.PostingDate);
  return {
    id: str(tx.TransactionID),
    journal: journalOf(type),
    kind: entryKindOf(type, reverses),
    reference: str(tx.Reference),
    supplierAccountName: str(tx.AccountCode),
    idempotencyKey: idempotencyKeyOf(str(tx.ExternalReference)),
    documentDate: str(tx.TransactionDate),
    postingDate,
    period: periodByName(periods, str(tx.PeriodName), postingDate),
    currency: str(tx.CurrencyCode),
    total: str(tx.Amount),
    description: optStr(tx.Description),
    reversesEntryId: reverses,
    reversedByEntryId: optStr(tx.ReversedByTransactionID),
    createdAt: new Date(str(tx.CreatedAt)),
    lines: items(obj(tx).Lines, 'TransactionLine').map((l, i) => ({
      lineNo: i + 1,
      accountCode: str(l.GLAccountCode),
      costUnitCode: optStr(l.DepartmentID),
      vatCode: optStr(l.TaxCode),
      debit: str(l.Debit),
      credit: str(l.Credit),
      description: optStr(l.Description),
    })),
  };
}

/** The supplier's documents with this Reference, oldest first. */
export async function transactionsBySupplierReference(
  session: AiqSession,
  supplierCode: string,
  reference: string,
): Promise<Parsed[]> {
  const list = await session.call<Parsed>('GetInvoicesBySupplierCode', { supplierCode }, 'read');
  return items(list, 'Transaction')
    .filter((t) => str(t.Reference) === reference)
    .sort((a, b) => Number(str(a.TransactionID)) - Number(str(b.TransactionID)));
}
