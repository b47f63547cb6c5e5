/**
 * Posting lines: what a client may send, the checks and the VAT computation that turn it into
 * lines the accounting system books, and their warnings. Used by invoice.service.ts.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  AccountingSystem,
  InvoicePostingLine,
  VatCodeInfo,
} from '../../accounting/accounting-system.js';
import { UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import { Decimal, formatMoney, sumMoney } from '../../common/money.js';
import type { Warning } from '../../common/payload.types.js';
import { Problems } from '../../common/validation.js';
import { InvoiceLine, PurchaseInvoice } from './invoice.entity.js';
import { postingWarnings } from './posting-warnings.js';

export const MAX_POSTING_LINES = 500;
const CODE_MAX = 50;
export const DESCRIPTION_MAX = 500;

/** A posting line as a client sends it; `vatAmount` omitted means "compute it from the VAT code". */
export interface PostingLineData {
  accountCode: string;
  costUnitCode?: string | null;
  vatCode: string;
  netAmount: string;
  vatAmount?: string | null;
  description?: string | null;
}

/** A checked posting line, amounts as two-decimal strings: the shape the accounting system books. */
export type PostingLine = InvoicePostingLine;

/**
 * VAT of a net amount at the code's rate, rounded half-up (away from zero) to cents. A reverse
 * charge supplier charges no VAT (the buyer accounts for it in the ledger), so it is zero.
 */
export function computeVat(
  net: Decimal,
  code: Pick<VatCodeInfo, 'rate' | 'reverseCharge'>,
): Decimal {
  if (code.reverseCharge) return new Decimal(0);
  return net.times(code.rate).dividedBy(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/**
 * Checks and normalizes posting lines, recording every problem in `problems`. Codes are only
 * checked for shape here: unknown or inactive master data is a warning, not an error.
 */
export async function normalizePostingLines(
  accounting: AccountingSystem,
  organizationId: string,
  lines: PostingLineData[],
  problems: Problems,
  at: string[] = ['lines'],
): Promise<PostingLine[]> {
  if (lines.length > MAX_POSTING_LINES) {
    problems.add(
      `An invoice has at most ${MAX_POSTING_LINES} posting lines (got ${lines.length})`,
      at,
    );
    return [];
  }
  let vatCodes: Map<string, VatCodeInfo> | undefined;
  if (lines.some((l) => l.vatAmount == null)) {
    const md = await accounting.getMasterData(organizationId);
    vatCodes = new Map(md.vatCodes.map((v) => [v.code, v]));
  }
  return lines.map((line, i) => {
    const f = (name: string) => [...at, String(i), name];
    const accountCode = problems.text(line.accountCode, f('accountCode'), {
      max: CODE_MAX,
      required: true,
      label: 'Account',
    });
    const costUnitCode = problems.text(line.costUnitCode, f('costUnitCode'), {
      max: CODE_MAX,
      required: false,
      label: 'Cost unit',
    });
    const vatCode = problems.text(line.vatCode, f('vatCode'), {
      max: CODE_MAX,
      required: true,
      label: 'VAT code',
    });
    const description = problems.text(line.description, f('description'), {
      max: DESCRIPTION_MAX,
      required: false,
      label: 'Description',
    });
    const net = problems.money(line.netAmount, f('netAmount'), {
      label: 'Net amount',
      sign: 'any',
    });
    let vat: Decimal | null = null;
    if (line.vatAmount != null) {
      vat = problems.money(line.vatAmount, f('vatAmount'), { label: 'VAT amount', sign: 'any' });
    } else if (vatCode && net) {
      const code = vatCodes!.get(vatCode);
      if (code) vat = computeVat(net, code);
      else {
        problems.add(
          `The VAT amount cannot be computed: VAT code ${vatCode} does not exist in the ledger; give the VAT amount or another code`,
          f('vatAmount'),
        );
      }
    }
    if (net && vat && net.isZero() && vat.isZero()) {
      problems.add(
        'An empty line (zero net and VAT) is not a posting line; remove it',
        f('netAmount'),
      );
    }
    return {
      accountCode: accountCode ?? '',
      costUnitCode,
      vatCode: vatCode ?? '',
      netAmount: net ? formatMoney(net) : '0.00',
      vatAmount: vat ? formatMoney(vat) : '0.00',
      description,
    };
  });
}

/**
 * Why these lines are not a complete posting of the invoice: none at all, or net / VAT sums that
 * differ from the invoice's totals. Empty when the invoice may be (or stay) posted.
 */
export function postingProblems(
  invoice: Pick<PurchaseInvoice, 'netAmount' | 'vatAmount'>,
  lines: Pick<PostingLine, 'netAmount' | 'vatAmount'>[],
): UserErrorDetail[] {
  if (!lines.length) {
    return [
      {
        code: UserErrorCode.VALIDATION,
        message: 'The invoice has no posting lines',
        field: ['lines'],
      },
    ];
  }
  const problems: UserErrorDetail[] = [];
  const check = (name: 'netAmount' | 'vatAmount', label: string) => {
    const sum = sumMoney(lines.map((l) => l[name]));
    const total = new Decimal(invoice[name]);
    if (!sum.eq(total)) {
      problems.push({
        code: UserErrorCode.UNBALANCED,
        message: `The lines' ${label} amounts add up to ${formatMoney(sum)}, but the invoice's ${label} amount is ${formatMoney(total)} (difference ${formatMoney(total.minus(sum))})`,
        field: ['lines', name],
      });
    }
  };
  check('netAmount', 'net');
  check('vatAmount', 'VAT');
  return problems;
}

export async function loadLines(
  em: EntityManager,
  invoice: PurchaseInvoice,
): Promise<InvoiceLine[]> {
  return em.find(
    InvoiceLine,
    { organization: invoice.organization.id, invoice: invoice.id },
    { orderBy: { position: 'asc' } },
  );
}

export function lineData(line: InvoiceLine | PostingLine): PostingLine {
  return {
    accountCode: line.accountCode,
    costUnitCode: line.costUnitCode ?? null,
    vatCode: line.vatCode,
    netAmount: formatMoney(line.netAmount),
    vatAmount: formatMoney(line.vatAmount),
    description: line.description ?? null,
  };
}

export function createLines(
  em: EntityManager,
  invoice: PurchaseInvoice,
  lines: PostingLine[],
): void {
  lines.forEach((line, position) =>
    em.create(InvoiceLine, { organization: invoice.organization, invoice, position, ...line }),
  );
}

/** Master-data warnings, plus "does not add up yet" while the invoice is not posted. */
export async function warningsFor(
  accounting: AccountingSystem,
  invoice: PurchaseInvoice,
  lines: PostingLine[],
): Promise<Warning[]> {
  const balance = lines.length
    ? postingProblems(invoice, lines).map((p) => ({
        code: p.code,
        message: p.message,
        field: p.field ?? null,
      }))
    : [];
  return [
    ...balance,
    ...(await postingWarnings(accounting, invoice.organization.id, invoice.billDate, lines)),
  ];
}
