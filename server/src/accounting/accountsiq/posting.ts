/**
 * Posting to accountsIQ exactly once without idempotency keys: every document carries the
 * ExternalReference of its idempotency key; before writing, the adapter looks that reference
 * up and returns what is there; after a write whose outcome is unknown (timeout, lost answer)
 * it looks up again and adopts what it finds, else reports the outcome unknown so that the
 * caller looks up before any resend. BATCH_INVOICES go as batch purchase invoices (one call),
 * ITEM_INVOICES as item invoices (get new → save → post), payments as purchase payments,
 * reversals as purchase credit notes (posted transactions cannot be changed in accountsIQ) or,
 * for a payment, as a negative payment.
 */
import {
  AccountingOutcomeUnknown,
  AccountingRejection,
  type AccountingProblem,
  type EntryInfo,
  type InvoicePostingRequest,
  type MasterData,
  type PaymentPostingRequest,
  type PeriodInfo,
  type ReversalRequest,
} from '../accounting-system.js';
import type { PostingContext } from '../ledger/posting-context.js';
import {
  checkInvoiceBalance,
  checkInvoiceLines,
  checkInvoiceShape,
  checkPaymentShape,
  checkReversalShape,
  checkSupplier,
  type ShapeCheck,
} from '../ledger/request-checks.js';
import { problem } from '../problems.js';
import { problemFromAiq } from './errors.js';
import {
  entryFrom,
  externalReferenceFor,
  transactionById,
  transactionsByExternalReference,
} from './lookup.js';
import { placeInPeriods } from './periods.js';
import { AiqResultError, type AiqSession } from './session.js';
import { items, obj, optStr, type Parsed, str } from './soap-values.js';
import { Decimal } from 'decimal.js';

export interface PostingDeps {
  session: AiqSession;
  /** accountsIQ's master data and periods, cached briefly by the adapter. */
  masterData(): Promise<MasterData>;
  /** Master data read now: accountsIQ refused what the cached copy allowed, so it is stale. */
  freshMasterData(): Promise<MasterData>;
  periods(): Promise<PeriodInfo[]>;
  /** Calls per key in flight through this adapter; a second one waits for the first and adopts. */
  inFlight: Map<string, Promise<unknown>>;
}

/** The live (oldest, if accountsIQ holds duplicates) document of this key, as an entry. */
export async function findByKey(deps: PostingDeps, key: string): Promise<EntryInfo | null> {
  const found = await transactionsByExternalReference(deps.session, externalReferenceFor(key));
  if (found.length === 0) return null;
  return entryFrom(found[0], await deps.periods());
}

/** The ledger's request checks run against accountsIQ's master data instead of its own. */
function contextFrom(md: MasterData, supplierAccountName: string): PostingContext {
  const supplier = md.supplierAccounts.find((s) => s.accountName === supplierAccountName);
  return {
    existing_id: null,
    settings: null,
    period: null,
    accounts: md.accounts,
    cost_units: md.costUnits,
    vat_codes: md.vatCodes.map((v) => ({
      code: v.code,
      rate: v.rate,
      reverse_charge: v.reverseCharge,
      valid_from: v.validFrom,
      valid_to: v.validTo,
    })),
    supplier: supplier ? { active: supplier.active } : null,
    duplicate: null,
  };
}

const AMOUNT_FIELDS = new Set(['netAmount', 'vatAmount', 'grossAmount', 'amount']);
const amountsOk = (shape: ShapeCheck) =>
  !shape.problems.some((p) => p.field?.some((f) => AMOUNT_FIELDS.has(f)));

async function checkPeriod(
  deps: PostingDeps,
  r: { documentDate: string; closedPeriodPolicy: InvoicePostingRequest['closedPeriodPolicy'] },
  problems: AccountingProblem[],
): Promise<void> {
  if (
    problems.some((p) => p.field?.[0] === 'documentDate' || p.field?.[0] === 'closedPeriodPolicy')
  )
    return;
  const placed = await placeInPeriods(await deps.periods(), r.documentDate, r.closedPeriodPolicy);
  if ('code' in placed) problems.push(placed);
}

/** Every problem accountsIQ would refuse the invoice for, found without writing. */
export async function invoiceProblems(
  deps: PostingDeps,
  organizationId: string,
  r: InvoicePostingRequest,
): Promise<AccountingProblem[]> {
  const shape = checkInvoiceShape(organizationId, r);
  if (shape.fatal) return shape.problems;
  const problems = [...shape.problems];
  const ctx = contextFrom(await deps.masterData(), r.supplierAccountName);
  checkSupplier(ctx, r.supplierAccountName, problems);
  checkInvoiceLines(ctx, r, amountsOk(shape), problems);
  checkInvoiceBalance(r, amountsOk(shape), problems);
  await checkPeriod(deps, r, problems);
  return problems;
}

async function accountExists(deps: PostingDeps): Promise<(code: string) => boolean> {
  const accounts = (await deps.freshMasterData().catch(() => deps.masterData())).accounts;
  return (code) => accounts.some((a) => a.code === code);
}

/**
 * Writes with `send` unless the key's document is already there; maps accountsIQ's refusal to
 * the port's, and adopts the document after an unknown outcome when the look-up finds it.
 */
async function exactlyOnce(
  deps: PostingDeps,
  key: string,
  send: () => Promise<number | string>,
): Promise<EntryInfo> {
  const { inFlight } = deps;
  while (inFlight.has(key)) await inFlight.get(key)!.catch(() => undefined);
  const run = lookUpThenSend(deps, key, send);
  inFlight.set(key, run);
  try {
    return await run;
  } finally {
    inFlight.delete(key);
  }
}

async function lookUpThenSend(
  deps: PostingDeps,
  key: string,
  send: () => Promise<number | string>,
): Promise<EntryInfo> {
  const existing = await findByKey(deps, key);
  if (existing) return existing;
  let transactionId: string;
  try {
    transactionId = String(await send());
  } catch (err) {
    if (err instanceof AiqResultError)
      throw new AccountingRejection([
        problemFromAiq(err.errorCode, err.errorMessage, await accountExists(deps)),
      ]);
    if (err instanceof AccountingOutcomeUnknown) {
      const adopted = await findByKey(deps, key).catch(() => null);
      if (adopted) return adopted;
    }
    throw err;
  }
  try {
    const tx = await transactionById(deps.session, transactionId);
    if (tx) return entryFrom(tx, await deps.periods());
  } catch {
    // Read back below as "unknown": the document is there, a look-up by key will find it.
  }
  throw new AccountingOutcomeUnknown(
    `accountsIQ posted transaction ${transactionId} but it could not be read back`,
  );
}

function lineFields(l: InvoicePostingRequest['lines'][number]) {
  return {
    GLAccountCode: l.accountCode,
    ...(l.costUnitCode ? { DepartmentID: l.costUnitCode } : {}),
    TaxCode: l.vatCode,
    NetAmount: l.netAmount,
    TaxAmount: l.vatAmount,
    ...(l.description ? { Description: l.description } : {}),
  };
}

async function sendBatchInvoice(deps: PostingDeps, r: InvoicePostingRequest): Promise<number> {
  // Fills the supplier's defaults (and refuses an unknown supplier) before the real call.
  const draft = obj(
    await deps.session.call<Parsed>(
      'GetNewBatchPurchasesInvoice',
      { supplierCode: r.supplierAccountName },
      'read',
    ),
  );
  const description = r.description ?? optStr(draft.Description);
  const invoice = {
    SupplierCode: r.supplierAccountName,
    ExternalReference: externalReferenceFor(r.idempotencyKey),
    Reference: r.reference,
    InvoiceDate: r.documentDate,
    CurrencyCode: r.currency || str(draft.CurrencyCode),
    ...(description ? { Description: description } : {}),
    GrossAmount: r.grossAmount,
    Lines: { BatchPurchasesInvoiceLine: r.lines.map(lineFields) },
  };
  return deps.session.call<number>(
    'CreateBatchPurchasesInvoiceGetBackTransactionID',
    { invoice, create: true },
    'write',
  );
}

interface ItemDocument {
  supplierCode: string;
  creditNote: boolean;
  externalReference: string;
  reference: string;
  date: string;
  currency: string;
  description: string | null;
  originalTransactionId?: string;
  lines: ReturnType<typeof lineFields>[];
}

async function sendItemDocument(deps: PostingDeps, d: ItemDocument): Promise<number> {
  const draft = obj(
    await deps.session.call<Parsed>(
      d.creditNote ? 'GetNewPurchasesCreditNote' : 'GetNewPurchasesInvoice',
      { supplierCode: d.supplierCode },
      'read',
    ),
  );
  const description = d.description ?? optStr(draft.Description);
  const invoice = {
    InvoiceID: 0,
    AccountID: d.supplierCode,
    IsCreditNote: d.creditNote,
    ExternalReference: d.externalReference,
    Reference: d.reference,
    InvoiceDate: d.date,
    CurrencyCode: d.currency || str(draft.CurrencyCode),
    ...(description ? { Description: description } : {}),
    ...(d.originalTransactionId ? { OriginalTransactionID: Number(d.originalTransactionId) } : {}),
    Lines: { InvoiceLine: d.lines },
  };
  const invoiceId = await deps.session.call<number>(
    'SaveInvoiceGetBackInvoiceID',
    { invoice, create: true },
    'write',
  );
  return deps.session.call<number>(
    'PostInvoiceGetBackTransactionID',
    { invoiceID: Number(invoiceId) },
    'write',
  );
}

export async function postInvoice(
  deps: PostingDeps,
  organizationId: string,
  r: InvoicePostingRequest,
): Promise<EntryInfo> {
  const shape = checkInvoiceShape(organizationId, r);
  if (shape.fatal) throw new AccountingRejection(shape.problems);
  return exactlyOnce(deps, r.idempotencyKey, async () => {
    const problems = await invoiceProblems(deps, organizationId, r);
    if (problems.length > 0) throw new AccountingRejection(problems);
    const creditNote = r.documentKind === 'CREDIT_NOTE';
    // accountsIQ has no batch credit note: a supplier's credit note is always a purchase credit
    // note document, whose lines are entered positive (the document type carries the sign).
    if (r.journal === 'BATCH_INVOICES' && !creditNote) return sendBatchInvoice(deps, r);
    return sendItemDocument(deps, {
      supplierCode: r.supplierAccountName,
      creditNote,
      externalReference: externalReferenceFor(r.idempotencyKey),
      reference: r.reference,
      date: r.documentDate,
      currency: r.currency,
      description: r.description,
      lines: r.lines.map((l) => lineFields(creditNote ? negatedLine(l) : l)),
    });
  });
}

function negatedLine(l: InvoicePostingRequest['lines'][number]) {
  return {
    ...l,
    netAmount: new Decimal(l.netAmount).negated().toFixed(2),
    vatAmount: new Decimal(l.vatAmount).negated().toFixed(2),
  };
}

export async function postPayment(
  deps: PostingDeps,
  organizationId: string,
  r: PaymentPostingRequest,
): Promise<EntryInfo> {
  const shape = checkPaymentShape(organizationId, r);
  if (shape.fatal) throw new AccountingRejection(shape.problems);
  return exactlyOnce(deps, r.idempotencyKey, async () => {
    const problems = [...shape.problems];
    checkSupplier(
      contextFrom(await deps.masterData(), r.supplierAccountName),
      r.supplierAccountName,
      problems,
    );
    await checkPeriod(deps, r, problems);
    if (problems.length > 0) throw new AccountingRejection(problems);
    const payment = {
      SupplierCode: r.supplierAccountName,
      ExternalReference: externalReferenceFor(r.idempotencyKey),
      Reference: r.reference,
      PaymentDate: r.documentDate,
      CurrencyCode: r.currency,
      Amount: r.amount,
      ...(r.description ? { Description: r.description } : {}),
    };
    return deps.session.call<number>(
      'SavePurchasePaymentGetBackTransactionID',
      { payment, create: true },
      'write',
    );
  });
}

/**
 * The credit note lines that mirror a document's expense lines. A credit note swaps sides, so
 * an invoice's lines go in as they were entered (net = debit − credit); a credit note's are
 * negated, which is again net = debit − credit for the net, and the tax negated.
 */
function mirrorLines(original: Parsed) {
  const sign = str(original.TransactionType) === 'PC' ? -1 : 1;
  return items(original.Lines, 'TransactionLine')
    .filter((l) => optStr(l.TaxCode) !== null)
    .map((l) => ({
      GLAccountCode: str(l.GLAccountCode),
      ...(optStr(l.DepartmentID) ? { DepartmentID: str(l.DepartmentID) } : {}),
      TaxCode: str(l.TaxCode),
      NetAmount: new Decimal(str(l.Debit) || '0').minus(str(l.Credit) || '0').toFixed(2),
      TaxAmount: new Decimal(str(l.TaxAmount) || '0').times(sign).toFixed(2),
      ...(optStr(l.Description) ? { Description: str(l.Description) } : {}),
    }));
}

export async function reverse(
  deps: PostingDeps,
  organizationId: string,
  r: ReversalRequest,
): Promise<EntryInfo> {
  const shape = checkReversalShape(organizationId, r);
  if (shape.fatal) throw new AccountingRejection(shape.problems);
  return exactlyOnce(deps, r.idempotencyKey, async () => {
    const original = await transactionById(deps.session, String(r.entryId));
    if (!original)
      throw new AccountingRejection([
        problem('ENTRY_NOT_FOUND', `accountsIQ transaction ${r.entryId} not found`, ['entryId']),
      ]);
    const problems = [...shape.problems];
    const reversedBy = optStr(original.ReversedByTransactionID);
    if (reversedBy !== null)
      problems.push(
        problem(
          'VALIDATION',
          `transaction ${r.entryId} is already reversed by transaction ${reversedBy}`,
          ['entryId'],
        ),
      );
    else if (optStr(original.ReversesTransactionID) !== null)
      problems.push(
        problem(
          'VALIDATION',
          `transaction ${r.entryId} is itself a reversal and cannot be reversed`,
          ['entryId'],
        ),
      );
    await checkPeriod(deps, r, problems);
    if (problems.length > 0) throw new AccountingRejection(problems);
    const description = r.description ?? `Reversal of ${str(original.Reference)}`;
    if (str(original.TransactionType) === 'PP') {
      const payment = {
        SupplierCode: str(original.AccountCode),
        ExternalReference: externalReferenceFor(r.idempotencyKey),
        Reference: str(original.Reference),
        PaymentDate: r.documentDate,
        CurrencyCode: str(original.CurrencyCode),
        Amount: new Decimal(str(original.Amount)).negated().toFixed(2),
        Description: description,
        OriginalTransactionID: Number(r.entryId),
      };
      return deps.session.call<number>(
        'SavePurchasePaymentGetBackTransactionID',
        { payment, create: true },
        'write',
      );
    }
    return sendItemDocument(deps, {
      supplierCode: str(original.AccountCode),
      creditNote: true,
      externalReference: externalReferenceFor(r.idempotencyKey),
      reference: str(original.Reference),
      date: r.documentDate,
      currency: str(original.CurrencyCode),
      description,
      originalTransactionId: String(r.entryId),
      lines: mirrorLines(original),
    });
  });
}
