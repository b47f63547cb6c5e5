/** The accounting system an organization transfers into. */
export enum AccountingSystemKind {
  BUILTIN = 'BUILTIN',
  ACCOUNTSIQ = 'ACCOUNTSIQ',
}

export enum ConnectionStatus {
  /** Saved, not tested since the credentials last changed. */
  UNTESTED = 'UNTESTED',
  CONNECTED = 'CONNECTED',
  FAILED = 'FAILED',
}

/** What the drift check found for one document. */
export enum DriftKind {
  /** Ledgerlink believes it transferred; the system has no document with its reference. */
  MISSING_THERE = 'MISSING_THERE',
  /** The system holds the reference more than once. */
  DUPLICATE_THERE = 'DUPLICATE_THERE',
  AMOUNT_DIFFERS = 'AMOUNT_DIFFERS',
  PERIOD_DIFFERS = 'PERIOD_DIFFERS',
  /** The system holds a document Ledgerlink does not believe is there. */
  UNKNOWN_HERE = 'UNKNOWN_HERE',
}

export const SYSTEM_NAMES: Record<AccountingSystemKind, string> = {
  [AccountingSystemKind.BUILTIN]: 'Built-in ledger',
  [AccountingSystemKind.ACCOUNTSIQ]: 'accountsIQ',
};
