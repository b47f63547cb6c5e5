/**
 * The checks of a posting request: its shape (needing no database) and, against the posting
 * context, the master data it names, its balance, the supplier account and the reference.
 * Every problem found is reported, in the order of the request's fields.
 */
import { formatMoney, isMoney, money, sumMoney } from '../../common/money.js';
import {
  ClosedPeriodPolicy,
  type AccountingProblem,
  type InvoicePostingRequest,
  type PaymentPostingRequest,
  type ReversalRequest,
} from '../accounting-system.js';
import { isIsoDate } from './dates.js';
import { isUuid, nonEmpty } from './ledger-rows.js';
import type { PostingContext } from './posting-context.js';
import { problem } from './problems.js';

const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const INVOICE_JOURNALS: readonly string[] = ['ITEM_INVOICES', 'BATCH_INVOICES'];
const DOCUMENT_KINDS: readonly string[] = ['INVOICE', 'CREDIT_NOTE'];
const POLICIES: readonly string[] = Object.values(ClosedPeriodPolicy);

/** The shape checks' result. `fatal` when the request cannot even be looked up. */
export interface ShapeCheck {
  problems: AccountingProblem[];
  fatal: boolean;
}

export function isKnownPolicy(policy: unknown): policy is ClosedPeriodPolicy {
  return POLICIES.includes(policy as string);
}

const unknownOrganization = (): ShapeCheck => ({
  problems: [problem('VALIDATION', 'unknown organization')],
  fatal: true,
});
const missingKey = (): ShapeCheck => ({
  problems: [problem('VALIDATION', 'an idempotency key is required', ['idempotencyKey'])],
  fatal: true,
});

function checkReference(reference: unknown, problems: AccountingProblem[]): void {
  if (!nonEmpty(reference))
    problems.push(problem('VALIDATION', 'a reference is required', ['reference']));
}

function checkDocumentDate(date: unknown, problems: AccountingProblem[]): void {
  if (!isIsoDate(date))
    problems.push(
      problem('VALIDATION', 'document date must be a date YYYY-MM-DD', ['documentDate']),
    );
}

function checkPolicy(policy: unknown, problems: AccountingProblem[]): void {
  if (!isKnownPolicy(policy))
    problems.push(problem('VALIDATION', 'unknown closed period policy', ['closedPeriodPolicy']));
}

function checkCurrency(currency: unknown, problems: AccountingProblem[]): void {
  if (typeof currency !== 'string' || !CURRENCY_PATTERN.test(currency))
    problems.push(problem('VALIDATION', 'currency must be a three-letter ISO code', ['currency']));
}

function isMoneyString(value: unknown): value is string {
  return typeof value === 'string' && isMoney(value);
}

export function checkInvoiceShape(organizationId: string, r: InvoicePostingRequest): ShapeCheck {
  if (!isUuid(organizationId)) return unknownOrganization();
  if (!r || typeof r !== 'object')
    return { problems: [problem('VALIDATION', 'no request')], fatal: true };
  if (!nonEmpty(r.idempotencyKey)) return missingKey();
  const problems: AccountingProblem[] = [];
  if (!INVOICE_JOURNALS.includes(r.journal)) {
    problems.push(
      problem('VALIDATION', `journal must be ITEM_INVOICES or BATCH_INVOICES`, ['journal']),
    );
  }
  checkReference(r.reference, problems);
  checkDocumentDate(r.documentDate, problems);
  checkPolicy(r.closedPeriodPolicy, problems);
  checkCurrency(r.currency, problems);
  if (!DOCUMENT_KINDS.includes(r.documentKind)) {
    problems.push(
      problem('VALIDATION', 'document kind must be INVOICE or CREDIT_NOTE', ['documentKind']),
    );
  }
  if (!isMoneyString(r.grossAmount)) {
    problems.push(
      problem('VALIDATION', 'gross amount must be a decimal with at most 2 decimals', [
        'grossAmount',
      ]),
    );
  } else if (r.documentKind === 'CREDIT_NOTE' && money(r.grossAmount).gte(0)) {
    problems.push(
      problem(
        'VALIDATION',
        "a credit note's gross amount is negative (the port's sign convention)",
        ['grossAmount'],
      ),
    );
  } else if (r.documentKind === 'INVOICE' && money(r.grossAmount).lt(0)) {
    problems.push(
      problem(
        'VALIDATION',
        'a negative gross amount is a credit note: send documentKind CREDIT_NOTE',
        ['grossAmount'],
      ),
    );
  }
  if (!Array.isArray(r.lines)) {
    problems.push(problem('VALIDATION', 'lines must be a list', ['lines']));
    return { problems, fatal: true };
  }
  r.lines.forEach((line, i) => {
    for (const f of ['netAmount', 'vatAmount'] as const) {
      if (!isMoneyString(line?.[f])) {
        problems.push(
          problem('VALIDATION', `${f} must be a decimal with at most 2 decimals`, [
            'lines',
            String(i),
            f,
          ]),
        );
      }
    }
  });
  return { problems, fatal: false };
}

export function checkPaymentShape(organizationId: string, r: PaymentPostingRequest): ShapeCheck {
  if (!isUuid(organizationId)) return unknownOrganization();
  if (!r || !nonEmpty(r.idempotencyKey)) return missingKey();
  const problems: AccountingProblem[] = [];
  checkReference(r.reference, problems);
  checkDocumentDate(r.documentDate, problems);
  checkPolicy(r.closedPeriodPolicy, problems);
  checkCurrency(r.currency, problems);
  if (!isMoneyString(r.amount))
    problems.push(
      problem('VALIDATION', 'amount must be a decimal with at most 2 decimals', ['amount']),
    );
  else if (money(r.amount).isZero())
    problems.push(problem('VALIDATION', 'a payment of zero cannot be posted', ['amount']));
  return { problems, fatal: false };
}

export function checkReversalShape(organizationId: string, r: ReversalRequest): ShapeCheck {
  if (!isUuid(organizationId)) return unknownOrganization();
  if (!r || !nonEmpty(r.idempotencyKey)) return missingKey();
  const problems: AccountingProblem[] = [];
  checkDocumentDate(r.documentDate, problems);
  checkPolicy(r.closedPeriodPolicy, problems);
  return { problems, fatal: false };
}

/** The supplier account must exist in the ledger and be active. */
export function checkSupplier(
  ctx: PostingContext,
  supplierAccountName: string | undefined,
  problems: AccountingProblem[],
): void {
  if (ctx.supplier && ctx.supplier.active) return;
  problems.push(
    problem(
      'SUPPLIER_NOT_IN_LEDGER',
      `supplier account ${supplierAccountName ?? ''} ${ctx.supplier ? 'is inactive in' : 'does not exist in'} the ledger`,
      ['supplierAccountName'],
    ),
  );
}

/** A supplier has at most one live invoice (or payment) entry per reference. */
export function checkReferenceUnused(
  ctx: PostingContext,
  r: { supplierAccountName: string; reference: string },
  document: 'invoice' | 'credit note' | 'payment',
  problems: AccountingProblem[],
): void {
  if (!ctx.duplicate) return;
  problems.push(
    problem(
      'DUPLICATE_REFERENCE',
      `supplier ${r.supplierAccountName} already has a live ${document} entry with reference ${r.reference} (entry ${ctx.duplicate.id})`,
      ['reference'],
    ),
  );
}

/**
 * Each line against the ledger's master data: its account (postable, active), cost unit
 * (active), VAT code (valid on the document date; reverse charge lines carry no VAT) and that a
 * line with VAT has a VAT code. `amountsOk` when the shape checks found the amounts readable.
 */
export function checkInvoiceLines(
  ctx: PostingContext,
  r: InvoicePostingRequest,
  amountsOk: boolean,
  problems: AccountingProblem[],
): void {
  const dateOk = isIsoDate(r.documentDate);
  const accounts = new Map(ctx.accounts.map((a) => [a.code, a]));
  const costUnits = new Map(ctx.cost_units.map((u) => [u.code, u]));
  const vatCodes = new Map(ctx.vat_codes.map((v) => [v.code, v]));
  r.lines.forEach((line, i) => {
    const at = (f: string) => ['lines', String(i), f];
    const account = nonEmpty(line?.accountCode) ? accounts.get(line.accountCode) : undefined;
    if (!account) {
      problems.push(
        problem(
          'ACCOUNT_NOT_FOUND',
          `account ${line?.accountCode ?? ''} does not exist in the ledger`,
          at('accountCode'),
        ),
      );
    } else if (!account.postable || !account.active) {
      problems.push(
        problem(
          'ACCOUNT_NOT_POSTABLE',
          `account ${account.code} ${account.postable ? 'is inactive' : 'is a header account'} and cannot be posted to`,
          at('accountCode'),
        ),
      );
    }
    if (nonEmpty(line?.costUnitCode)) {
      const unit = costUnits.get(line.costUnitCode);
      if (!unit || !unit.active) {
        problems.push(
          problem(
            'COST_UNIT_INVALID',
            `cost unit ${line.costUnitCode} ${unit ? 'is inactive' : 'does not exist'}`,
            at('costUnitCode'),
          ),
        );
      }
    }
    if (nonEmpty(line?.vatCode)) {
      const vat = vatCodes.get(line.vatCode);
      if (!vat) {
        problems.push(
          problem('VAT_CODE_INVALID', `VAT code ${line.vatCode} does not exist`, at('vatCode')),
        );
      } else if (
        dateOk &&
        ((vat.valid_from && r.documentDate < vat.valid_from) ||
          (vat.valid_to && r.documentDate > vat.valid_to))
      ) {
        problems.push(
          problem(
            'VAT_CODE_INVALID',
            `VAT code ${vat.code} is valid ${vat.valid_from ? `from ${vat.valid_from} ` : ''}${vat.valid_to ? `to ${vat.valid_to} ` : ''}but the document is dated ${r.documentDate}`,
            at('vatCode'),
          ),
        );
      } else if (vat.reverse_charge && amountsOk && !money(line.vatAmount).isZero()) {
        problems.push(
          problem(
            'VALIDATION',
            `VAT code ${vat.code} is reverse charge: the line carries no VAT`,
            at('vatAmount'),
          ),
        );
      }
    } else if (amountsOk && !money(line.vatAmount).isZero()) {
      problems.push(problem('VAT_CODE_INVALID', 'a line with VAT needs a VAT code', at('vatCode')));
    }
  });
}

/** The lines' net plus VAT must add up to the gross, and there must be lines. */
export function checkInvoiceBalance(
  r: InvoicePostingRequest,
  amountsOk: boolean,
  problems: AccountingProblem[],
): void {
  if (r.lines.length === 0) {
    problems.push(problem('UNBALANCED', 'the invoice has no lines', ['lines']));
    return;
  }
  if (!amountsOk) return;
  const net = sumMoney(r.lines.map((l) => l.netAmount));
  const vat = sumMoney(r.lines.map((l) => l.vatAmount));
  if (!net.plus(vat).equals(money(r.grossAmount))) {
    problems.push(
      problem(
        'UNBALANCED',
        `lines add up to ${formatMoney(net.plus(vat))} (net ${formatMoney(net)} + VAT ${formatMoney(vat)}), not the gross ${formatMoney(r.grossAmount)}`,
        ['grossAmount'],
      ),
    );
  }
}
