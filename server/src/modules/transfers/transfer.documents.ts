/**
 * How documents are named in the ledger, in one place: the engine and the demo seeder both
 * use these, so a seeded ledger looks exactly like one the engine wrote.
 */

/** A payment's own ledger reference: its document number in the payment sequence. */
export function paymentReference(p: { fiscalYear: number; documentNumber: number }): string {
  return `PAY-${p.fiscalYear}-${String(p.documentNumber).padStart(5, '0')}`;
}

export function invoiceEntryDescription(supplierName: string, invoiceNumber: string): string {
  return `${supplierName}, invoice ${invoiceNumber}`;
}

export function paymentEntryDescription(invoiceNumber: string): string {
  return `Payment of invoice ${invoiceNumber}`;
}
