import { registerEnumType } from 'type-graphql';

/** Codes of business-rule failures, returned as `userErrors` on mutation payloads. */
export enum UserErrorCode {
  VALIDATION = 'VALIDATION',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  STALE_VERSION = 'STALE_VERSION',
  DUPLICATE_INVOICE = 'DUPLICATE_INVOICE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  NOT_POSTED = 'NOT_POSTED',
  NO_DOCUMENT_NUMBER = 'NO_DOCUMENT_NUMBER',
  NOT_APPROVED = 'NOT_APPROVED',
  ALREADY_TRANSFERRED = 'ALREADY_TRANSFERRED',
  TRANSFER_IN_PROGRESS = 'TRANSFER_IN_PROGRESS',
  OVERPAYMENT = 'OVERPAYMENT',
  PERIOD_CLOSED = 'PERIOD_CLOSED',
  PERIOD_LOCKED = 'PERIOD_LOCKED',
  IN_USE = 'IN_USE',
  INVALID_STATE = 'INVALID_STATE',
  UNBALANCED = 'UNBALANCED',
  THROTTLED = 'THROTTLED',
  INVOICE_NOT_TRANSFERRED = 'INVOICE_NOT_TRANSFERRED',
  NOT_IN_LEDGER = 'NOT_IN_LEDGER',
  /** Bank statements: a DOCTYPE or entity declaration (XXE, entity expansion) was refused. */
  XML_FORBIDDEN = 'XML_FORBIDDEN',
  DOCUMENT_TOO_LARGE = 'DOCUMENT_TOO_LARGE',
  MALFORMED_DOCUMENT = 'MALFORMED_DOCUMENT',
  /** Not a camt.053/camt.054 document of a supported version. */
  UNSUPPORTED_DOCUMENT = 'UNSUPPORTED_DOCUMENT',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  /** The statement's account is not one of the organization's bank accounts. */
  UNKNOWN_ACCOUNT = 'UNKNOWN_ACCOUNT',
  DUPLICATE_BANK_ACCOUNT = 'DUPLICATE_BANK_ACCOUNT',
  /** Accounting connections: transfers are queued, sending or in doubt; switching now could send a document twice. */
  TRANSFERS_IN_PROGRESS = 'TRANSFERS_IN_PROGRESS',
  /** The organization already has a connection: update or disconnect it. */
  ALREADY_CONNECTED = 'ALREADY_CONNECTED',
  /** The organization transfers into the built-in ledger: there is no connection to act on. */
  NOT_CONNECTED = 'NOT_CONNECTED',
  /** The connected accounting system could not be reached or refused the credentials. */
  ACCOUNTING_UNAVAILABLE = 'ACCOUNTING_UNAVAILABLE',
  /** E-invoices: a format recognized but not importable here (Finvoice), or not an e-invoice at all. */
  UNSUPPORTED_FORMAT = 'UNSUPPORTED_FORMAT',
  /** E-invoices: a fatal official rule failed, or the totals do not add up; nothing was imported. */
  EINVOICE_INVALID = 'EINVOICE_INVALID',
}
registerEnumType(UserErrorCode, { name: 'UserErrorCode' });

export interface UserErrorDetail {
  code: UserErrorCode;
  message: string;
  field?: string[];
}

/**
 * A business rule refused the operation. Services throw it inside the mutation's transaction,
 * so nothing is written; the resolver turns it into `userErrors`.
 */
export class DomainError extends Error {
  readonly errors: UserErrorDetail[];

  constructor(code: UserErrorCode, message: string, field?: string[]);
  constructor(errors: UserErrorDetail[]);
  constructor(codeOrErrors: UserErrorCode | UserErrorDetail[], message?: string, field?: string[]) {
    const errors = Array.isArray(codeOrErrors)
      ? codeOrErrors
      : [{ code: codeOrErrors, message: message ?? codeOrErrors, field }];
    super(errors.map((e) => e.message).join('; '));
    this.name = 'DomainError';
    this.errors = errors;
  }

  get code(): UserErrorCode {
    return this.errors[0].code;
  }
}

export const forbidden = (message = 'You do not have permission to do this') =>
  new DomainError(UserErrorCode.FORBIDDEN, message);
