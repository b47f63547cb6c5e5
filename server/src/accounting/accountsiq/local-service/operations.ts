/**
 * The operations of the local accountsIQ service: what each does to a company's state and
 * what it answers (the `Result` of its `WSResult2Of…`). Authentication and result wrapping are
 * in service.ts; these run with the caller's company already resolved.
 */
import { randomBytes } from 'node:crypto';
import { checkGross, checkHeader, checkLines, documentLines, isAmount, record } from './booking.js';
import type {
  LocalCompany,
  LocalDocumentLine,
  LocalDraftInvoice,
  LocalTransaction,
} from './company.js';
import { AiqFailure } from './failure.js';
import { items, obj, optStr, str, type Parsed } from '../soap-values.js';
import { Decimal } from 'decimal.js';

export function issueToken(company: LocalCompany, now: number) {
  const lifetime = company.seed.tokenLifetimeSeconds ?? 1200;
  const token = {
    accessToken: randomBytes(18).toString('base64url'),
    refreshToken: randomBytes(18).toString('base64url'),
    expiresAt: now + lifetime * 1000,
  };
  company.tokens.set(token.accessToken, token);
  company.tokensIssued += 1;
  company.refreshTokens.set(token.refreshToken, token);
  return { AccessToken: token.accessToken, RefreshToken: token.refreshToken, ExpiresIn: lifetime };
}

export function refreshToken(company: LocalCompany, args: Parsed, now: number) {
  const old = company.refreshTokens.get(str(args.refreshToken));
  if (!old) throw new AiqFailure('INVALID_CREDENTIALS', 'The refresh token is not valid.');
  company.refreshTokens.delete(old.refreshToken);
  company.tokens.delete(old.accessToken);
  return issueToken(company, now);
}

export function glAccounts(company: LocalCompany) {
  return {
    GLAccount: company.seed.glAccounts.map((a) => ({
      Code: a.code,
      Name: a.name,
      AccountType: a.type ?? 'EXPENSE',
      IsPosting: a.postable,
      Active: a.active,
    })),
  };
}

export function taxCodes(company: LocalCompany) {
  return {
    TaxCode: company.seed.taxCodes.map((t) => ({
      Code: t.code,
      Description: t.description ?? t.code,
      Rate: t.rate,
      IsReverseCharge: t.reverseCharge ?? false,
    })),
  };
}

export function departments(company: LocalCompany) {
  return {
    Department: company.seed.departments.map((d) => ({
      DepartmentID: d.code,
      Name: d.name,
      Active: d.active ?? true,
    })),
  };
}

export function suppliers(company: LocalCompany) {
  return {
    Supplier: company.seed.suppliers.map((s) => ({ Code: s.code, Name: s.name, Active: s.active })),
  };
}

export function periods(company: LocalCompany) {
  return {
    FinancialPeriod: [...company.seed.periods]
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((p, i) => ({
        PeriodID: i + 1,
        Name: p.name,
        StartDate: p.start,
        EndDate: p.end,
        Closed: !p.open,
      })),
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function requireSupplier(company: LocalCompany, code: string) {
  if (!company.seed.suppliers.some((s) => s.code === code))
    throw new AiqFailure('SUPPLIER_DOES_NOT_EXIST', `Supplier account '${code}' does not exist.`);
}

/** GetNewBatchPurchasesInvoice: an empty invoice with the supplier's defaults. */
export function newBatchInvoice(company: LocalCompany, args: Parsed) {
  const code = str(args.supplierCode);
  requireSupplier(company, code);
  return {
    SupplierCode: code,
    ExternalReference: '',
    Reference: '',
    InvoiceDate: today(),
    CurrencyCode: company.currencies[0],
    Description: '',
    GrossAmount: '0.00',
    Lines: {},
  };
}

function documentLinesOf(value: unknown, itemName: string): LocalDocumentLine[] {
  return items(value, itemName).map((l) => ({
    GLAccountCode: str(l.GLAccountCode),
    DepartmentID: optStr(l.DepartmentID),
    TaxCode: str(l.TaxCode),
    NetAmount: str(l.NetAmount),
    TaxAmount: str(l.TaxAmount),
    Description: optStr(l.Description),
  }));
}

/** CreateBatchPurchasesInvoiceGetBackTransactionID: checks and posts in one step. No idempotency. */
export function createBatchInvoice(company: LocalCompany, args: Parsed): number {
  const inv = obj(args.invoice);
  const header = {
    supplierCode: str(inv.SupplierCode),
    currencyCode: str(inv.CurrencyCode),
    date: str(inv.InvoiceDate),
  };
  const lines = documentLinesOf(inv.Lines, 'BatchPurchasesInvoiceLine');
  checkHeader(company, header);
  checkLines(company, lines);
  checkGross(lines, str(inv.GrossAmount));
  const tx = record(company, {
    TransactionType: 'BPI',
    AccountCode: header.supplierCode,
    ExternalReference: str(inv.ExternalReference),
    Reference: str(inv.Reference),
    TransactionDate: header.date,
    CurrencyCode: header.currencyCode,
    Amount: new Decimal(str(inv.GrossAmount)).toFixed(2),
    Description: optStr(inv.Description),
    ReversesTransactionID: null,
    Lines: documentLines(company, lines, false),
  });
  return tx.TransactionID;
}

function newItemDocument(company: LocalCompany, args: Parsed, creditNote: boolean) {
  const code = str(args.supplierCode);
  requireSupplier(company, code);
  return {
    InvoiceID: 0,
    AccountID: code,
    IsCreditNote: creditNote,
    ExternalReference: '',
    Reference: '',
    InvoiceDate: today(),
    CurrencyCode: company.currencies[0],
    Description: '',
    Lines: {},
  };
}

export const newItemInvoice = (c: LocalCompany, a: Parsed) => newItemDocument(c, a, false);
export const newCreditNote = (c: LocalCompany, a: Parsed) => newItemDocument(c, a, true);

function transactionById(company: LocalCompany, id: number): LocalTransaction {
  const tx = company.transactions.find((t) => t.TransactionID === id);
  if (!tx) throw new AiqFailure('TRANSACTION_DOES_NOT_EXIST', `Transaction ${id} does not exist.`);
  return tx;
}

/** SaveInvoiceGetBackInvoiceID: saves (creates or updates) an unposted item invoice or credit note. */
export function saveInvoice(company: LocalCompany, args: Parsed): number {
  const inv = obj(args.invoice);
  const lines = documentLinesOf(inv.Lines, 'InvoiceLine');
  const header = {
    supplierCode: str(inv.AccountID),
    currencyCode: str(inv.CurrencyCode),
    date: str(inv.InvoiceDate),
  };
  checkHeader(company, header);
  checkLines(company, lines);
  const isCreditNote = str(inv.IsCreditNote) === 'true';
  const original = optStr(inv.OriginalTransactionID);
  if (original !== null) transactionById(company, Number(original));
  const existingId = Number(str(inv.InvoiceID) || '0');
  if (existingId !== 0) {
    const existing = company.drafts.get(existingId);
    if (!existing)
      throw new AiqFailure('INVOICE_DOES_NOT_EXIST', `Invoice ${existingId} does not exist.`);
    if (existing.postedTransactionId !== null)
      throw new AiqFailure(
        'INVOICE_IS_ALREADY_POSTED',
        `Invoice ${existingId} is posted and cannot be changed.`,
      );
  }
  const draft: LocalDraftInvoice = {
    InvoiceID: existingId || company.takeInvoiceId(),
    AccountID: header.supplierCode,
    IsCreditNote: isCreditNote,
    ExternalReference: str(inv.ExternalReference),
    Reference: str(inv.Reference),
    InvoiceDate: header.date,
    CurrencyCode: header.currencyCode,
    Description: optStr(inv.Description),
    OriginalTransactionID: original === null ? null : Number(original),
    Lines: lines,
    postedTransactionId: null,
  };
  company.drafts.set(draft.InvoiceID, draft);
  return draft.InvoiceID;
}

/** PostInvoiceGetBackTransactionID: posts a saved invoice; the period rule applies here. */
export function postInvoice(company: LocalCompany, args: Parsed): number {
  const id = Number(str(args.invoiceID));
  const draft = company.drafts.get(id);
  if (!draft) throw new AiqFailure('INVOICE_DOES_NOT_EXIST', `Invoice ${id} does not exist.`);
  if (draft.postedTransactionId !== null)
    throw new AiqFailure('INVOICE_IS_ALREADY_POSTED', `Invoice ${id} is already posted.`);
  const gross = draft.Lines.reduce((s, l) => s.plus(l.NetAmount).plus(l.TaxAmount), new Decimal(0));
  const tx = record(company, {
    TransactionType: draft.IsCreditNote ? 'PC' : 'PI',
    AccountCode: draft.AccountID,
    ExternalReference: draft.ExternalReference,
    Reference: draft.Reference,
    TransactionDate: draft.InvoiceDate,
    CurrencyCode: draft.CurrencyCode,
    Amount: gross.toFixed(2),
    Description: draft.Description,
    ReversesTransactionID: draft.OriginalTransactionID,
    Lines: documentLines(company, draft.Lines, draft.IsCreditNote),
  });
  draft.postedTransactionId = tx.TransactionID;
  return tx.TransactionID;
}

/** SavePurchasePaymentGetBackTransactionID: creditors control against the bank. No idempotency. */
export function savePayment(company: LocalCompany, args: Parsed): number {
  const p = obj(args.payment);
  const header = {
    supplierCode: str(p.SupplierCode),
    currencyCode: str(p.CurrencyCode),
    date: str(p.PaymentDate),
  };
  checkHeader(company, header);
  const amount = str(p.Amount);
  if (!isAmount(amount))
    throw new AiqFailure('VALIDATION_ERROR', 'The payment amount is not a number.');
  const original = optStr(p.OriginalTransactionID);
  if (original !== null) transactionById(company, Number(original));
  const value = new Decimal(amount);
  const abs = value.abs().toFixed(2);
  const debitFirst = !value.isNegative();
  const side = (debit: boolean) =>
    debit ? { Debit: abs, Credit: '0.00' } : { Debit: '0.00', Credit: abs };
  const tx = record(company, {
    TransactionType: 'PP',
    AccountCode: header.supplierCode,
    ExternalReference: str(p.ExternalReference),
    Reference: str(p.Reference),
    TransactionDate: header.date,
    CurrencyCode: header.currencyCode,
    Amount: value.toFixed(2),
    Description: optStr(p.Description),
    ReversesTransactionID: original === null ? null : Number(original),
    Lines: [
      {
        GLAccountCode: company.controlAccount('CREDITORS_CONTROL'),
        DepartmentID: null,
        TaxCode: null,
        ...side(debitFirst),
        TaxAmount: '0.00',
        Description: null,
      },
      {
        GLAccountCode: company.controlAccount('BANK'),
        DepartmentID: null,
        TaxCode: null,
        ...side(!debitFirst),
        TaxAmount: '0.00',
        Description: null,
      },
    ],
  });
  return tx.TransactionID;
}

/** A transaction as the WSDL's Transaction type, with its reversal found by look-up. */
export function transactionOut(company: LocalCompany, tx: LocalTransaction) {
  const reversedBy = company.transactions.find((t) => t.ReversesTransactionID === tx.TransactionID);
  return {
    TransactionID: tx.TransactionID,
    TransactionType: tx.TransactionType,
    AccountCode: tx.AccountCode,
    ExternalReference: tx.ExternalReference,
    Reference: tx.Reference,
    TransactionDate: tx.TransactionDate,
    PostingDate: tx.PostingDate,
    PeriodName: tx.PeriodName,
    CurrencyCode: tx.CurrencyCode,
    Amount: tx.Amount,
    Description: tx.Description ?? '',
    ...(tx.ReversesTransactionID !== null
      ? { ReversesTransactionID: tx.ReversesTransactionID }
      : {}),
    ...(reversedBy ? { ReversedByTransactionID: reversedBy.TransactionID } : {}),
    CreatedAt: tx.CreatedAt.toISOString(),
    Lines: {
      TransactionLine: tx.Lines.map((l) => ({
        GLAccountCode: l.GLAccountCode,
        DepartmentID: l.DepartmentID ?? '',
        TaxCode: l.TaxCode ?? '',
        Debit: l.Debit,
        Credit: l.Credit,
        TaxAmount: l.TaxAmount,
        Description: l.Description ?? '',
      })),
    },
  };
}

export function transactionsByExternalReference(company: LocalCompany, args: Parsed) {
  const ref = str(args.externalReference);
  return {
    Transaction: company.transactions
      .filter((t) => t.ExternalReference === ref)
      .map((t) => transactionOut(company, t)),
  };
}

export function transaction(company: LocalCompany, args: Parsed) {
  return transactionOut(company, transactionById(company, Number(str(args.transactionID))));
}

/** GetInvoicesBySupplierCode: the supplier's posted documents (modelled as transactions). */
export function transactionsBySupplier(company: LocalCompany, args: Parsed) {
  const code = str(args.supplierCode);
  return {
    Transaction: company.transactions
      .filter((t) => t.AccountCode === code)
      .map((t) => transactionOut(company, t)),
  };
}
