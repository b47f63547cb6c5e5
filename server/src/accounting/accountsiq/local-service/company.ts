/**
 * One accountsIQ company (entity) of the local service: its master data, its issued tokens,
 * its saved item invoices and its posted transactions. Posted transactions are never changed
 * or removed, as in accountsIQ; a reversal is a new credit note.
 */
export interface LocalGlAccountSeed {
  code: string;
  name: string;
  /** accountsIQ's account type; CREDITORS_CONTROL, VAT and BANK name the control accounts. */
  type?: string;
  postable: boolean;
  active: boolean;
}
export interface LocalTaxCodeSeed {
  code: string;
  description?: string;
  /** Percent as a decimal string. */
  rate: string;
  reverseCharge?: boolean;
}
export interface LocalDepartmentSeed {
  code: string;
  name: string;
  active?: boolean;
}
export interface LocalSupplierSeed {
  code: string;
  name: string;
  active: boolean;
}
export interface LocalPeriodSeed {
  name: string;
  start: string;
  end: string;
  open: boolean;
}
export interface LocalCompanySeed {
  entity: string;
  clientId: string;
  clientSecret: string;
  companyName: string;
  /** Currencies a document may be in; the first is the base currency. Default ['EUR']. */
  currencies?: string[];
  glAccounts: LocalGlAccountSeed[];
  taxCodes: LocalTaxCodeSeed[];
  departments: LocalDepartmentSeed[];
  suppliers: LocalSupplierSeed[];
  periods: LocalPeriodSeed[];
  /** Lifetime of an access token in seconds (default 1200, accountsIQ's 20 minutes). */
  tokenLifetimeSeconds?: number;
}

export interface LocalTransactionLine {
  GLAccountCode: string;
  DepartmentID: string | null;
  TaxCode: string | null;
  Debit: string;
  Credit: string;
  /** The tax of an expense line (signed like its net); 0 on the VAT and control lines. */
  TaxAmount: string;
  Description: string | null;
}

/** A posted document as accountsIQ's transactions table holds it. */
export interface LocalTransaction {
  TransactionID: number;
  /** BPI batch purchase invoice, PI item purchase invoice, PC purchase credit note, PP purchase payment. */
  TransactionType: 'BPI' | 'PI' | 'PC' | 'PP';
  AccountCode: string;
  ExternalReference: string;
  Reference: string;
  TransactionDate: string;
  PostingDate: string;
  PeriodName: string;
  CurrencyCode: string;
  /** Gross amount, decimal string (negative for a negative document). */
  Amount: string;
  Description: string | null;
  ReversesTransactionID: number | null;
  CreatedAt: Date;
  Lines: LocalTransactionLine[];
}

export interface LocalDocumentLine {
  GLAccountCode: string;
  DepartmentID: string | null;
  TaxCode: string;
  NetAmount: string;
  TaxAmount: string;
  Description: string | null;
}

/** A saved, not yet posted item invoice or credit note. */
export interface LocalDraftInvoice {
  InvoiceID: number;
  AccountID: string;
  IsCreditNote: boolean;
  ExternalReference: string;
  Reference: string;
  InvoiceDate: string;
  CurrencyCode: string;
  Description: string | null;
  OriginalTransactionID: number | null;
  Lines: LocalDocumentLine[];
  postedTransactionId: number | null;
}

export interface LocalToken {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

export class LocalCompany {
  readonly tokens = new Map<string, LocalToken>();
  readonly refreshTokens = new Map<string, LocalToken>();
  readonly drafts = new Map<number, LocalDraftInvoice>();
  readonly transactions: LocalTransaction[] = [];
  /** Access tokens issued so far (TokenGet and TokenRefresh). */
  tokensIssued = 0;
  private nextTransactionId = 1001;
  private nextInvoiceId = 501;

  constructor(readonly seed: LocalCompanySeed) {}

  get currencies(): string[] {
    return this.seed.currencies?.length ? this.seed.currencies : ['EUR'];
  }

  controlAccount(type: 'CREDITORS_CONTROL' | 'VAT' | 'BANK'): string {
    const found = this.seed.glAccounts.find((a) => a.type === type);
    if (!found) throw new Error(`company ${this.seed.entity} has no ${type} account`);
    return found.code;
  }

  takeTransactionId(): number {
    return this.nextTransactionId++;
  }

  takeInvoiceId(): number {
    return this.nextInvoiceId++;
  }
}
