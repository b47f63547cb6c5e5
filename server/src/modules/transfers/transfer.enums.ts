export enum TransferStatus {
  QUEUED = 'QUEUED',
  SENDING = 'SENDING',
  RETRYING = 'RETRYING',
  IN_DOUBT = 'IN_DOUBT',
  TRANSFERRED = 'TRANSFERRED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

/** Statuses of a transfer that is still in flight: at most one per document version. */
export const LIVE_TRANSFER_STATUSES = [
  TransferStatus.QUEUED,
  TransferStatus.SENDING,
  TransferStatus.RETRYING,
  TransferStatus.IN_DOUBT,
] as const;

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
}
