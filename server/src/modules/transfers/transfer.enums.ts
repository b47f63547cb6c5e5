export enum TransferStatus {
  QUEUED = 'QUEUED',
  SENDING = 'SENDING',
  RETRYING = 'RETRYING',
  IN_DOUBT = 'IN_DOUBT',
  TRANSFERRED = 'TRANSFERRED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

/**
 * Statuses of a transfer that is still in flight: at most one per document (the partial unique
 * indexes transfer_live_*_unique; transfer.enums.test.ts checks the database agrees). Every
 * "is it live" check, in code or SQL, is derived from this list.
 */
export const LIVE_TRANSFER_STATUSES = [
  TransferStatus.QUEUED,
  TransferStatus.SENDING,
  TransferStatus.RETRYING,
  TransferStatus.IN_DOUBT,
] as const;

export type LiveTransferStatus = (typeof LIVE_TRANSFER_STATUSES)[number];

/** Live = in flight; the document must not get another transfer until it settles. */
export function isLiveTransferStatus(
  status: TransferStatus | null | undefined,
): status is LiveTransferStatus {
  return (LIVE_TRANSFER_STATUSES as readonly (TransferStatus | null | undefined)[]).includes(
    status,
  );
}

/** `<column> in ('A', 'B')`, for statuses from these enums (never user input). */
export function sqlStatusIn(column: string, statuses: readonly TransferStatus[]): string {
  return `${column} in (${statuses.map((s) => `'${s}'`).join(', ')})`;
}

/** `<column> in ('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT')`: the live-status condition in SQL. */
export function sqlLiveStatus(column = 'status'): string {
  return sqlStatusIn(column, LIVE_TRANSFER_STATUSES);
}

export enum TransferKind {
  POST = 'POST',
  CORRECTION = 'CORRECTION',
  REVERSAL = 'REVERSAL',
}

export enum TransferTrigger {
  MANUAL = 'MANUAL',
  AUTOMATIC = 'AUTOMATIC',
}

export enum DocumentType {
  INVOICE = 'INVOICE',
  PAYMENT = 'PAYMENT',
}

export enum ExportMode {
  ITEM = 'ITEM',
  BATCH = 'BATCH',
}

/** The accounting port's policy, re-exported for the transfer module's settings and inputs. */
export { ClosedPeriodPolicy } from '../../accounting/accounting.enums.js';

export enum BatchStatus {
  RUNNING = 'RUNNING',
  DONE = 'DONE',
}

/** A coded reason a transfer did not (yet) succeed. */
export interface TransferErrorDetail {
  code: string;
  message: string;
  field?: string[];
  /** IN_DOUBT_LOOKUP_FAILED: look-ups that failed in a row (the backoff before the next one). */
  lookupFailures?: number;
}
