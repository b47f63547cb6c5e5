import type { Journal, TransferKind, TransferStatus, TransferTrigger } from '@/gql/graphql';

export const TRANSFER_STATUS_LABELS: Record<TransferStatus, string> = {
  QUEUED: 'Queued',
  SENDING: 'Sending',
  RETRYING: 'Retrying',
  IN_DOUBT: 'Checking ledger',
  TRANSFERRED: 'Transferred',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
};

/** One sentence for the tooltip of a status. */
export const TRANSFER_STATUS_HELP: Record<TransferStatus, string> = {
  QUEUED: 'Waiting for the transfer worker.',
  SENDING: 'Being posted to the ledger now.',
  RETRYING: 'The ledger did not answer; Ledgerlink tries again automatically.',
  IN_DOUBT:
    'Sent, but the answer was lost. Ledgerlink looks the entry up in the ledger before anything is sent again.',
  TRANSFERRED: 'In the ledger.',
  FAILED: 'Not transferred. Fix the reasons and retry.',
  CANCELLED: 'Cancelled before it reached the ledger.',
};

export type StatusSeverity = 'secondary' | 'info' | 'warn' | 'success' | 'danger' | 'contrast';

export const TRANSFER_STATUS_SEVERITY: Record<TransferStatus, StatusSeverity> = {
  QUEUED: 'secondary',
  SENDING: 'info',
  RETRYING: 'warn',
  IN_DOUBT: 'warn',
  TRANSFERRED: 'success',
  FAILED: 'danger',
  CANCELLED: 'secondary',
};

export const FINAL_TRANSFER_STATUSES: readonly TransferStatus[] = [
  'TRANSFERRED',
  'FAILED',
  'CANCELLED',
];

export function isFinalTransferStatus(status: TransferStatus | null | undefined): boolean {
  return !!status && FINAL_TRANSFER_STATUSES.includes(status);
}

export const JOURNAL_LABELS: Record<Journal, string> = {
  ITEM_INVOICES: 'Purchases › Item invoices',
  BATCH_INVOICES: 'Purchases › Batch invoices',
  PAYMENTS: 'Payments',
};

export const TRANSFER_KIND_LABELS: Record<TransferKind, string> = {
  POST: 'Posting',
  CORRECTION: 'Correction',
  REVERSAL: 'Reversal',
};

export const TRANSFER_TRIGGER_LABELS: Record<TransferTrigger, string> = {
  MANUAL: 'Manual',
  AUTOMATIC: 'Automatic',
};

/** "VAT_CODE_INVALID" → "VAT code invalid". */
export function humanizeCode(code: string): string {
  const text = code.toLowerCase().replace(/_/g, ' ');
  return (text.charAt(0).toUpperCase() + text.slice(1)).replace(/\bvat\b/i, 'VAT');
}
