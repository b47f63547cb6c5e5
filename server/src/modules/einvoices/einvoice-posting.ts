/**
 * The posting an imported e-invoice proposes: one line per e-invoice line (per VAT group when
 * there are more than an invoice may carry), VAT codes from the organization's mapping, amounts
 * that add up to the document's totals to the cent. Nothing is guessed: an unmapped VAT category
 * and rate leaves the VAT code empty, and with no default account on the supplier the account
 * stays empty, for the posting editor's warnings to ask for.
 */
import { Decimal, formatMoney, sumMoney } from '../../common/money.js';
import {
  computeVat,
  DESCRIPTION_MAX,
  MAX_POSTING_LINES,
  type PostingLine,
} from '../invoices/posting-lines.js';
import type { VatMapping } from './einvoice.entity.js';
import type { ParsedLine, ParsedVatBreakdown } from './mapping/parsed-einvoice.js';
import { normalizeRate, vatCodeFor } from './vat-mapping.service.js';

type Mapping = Pick<VatMapping, 'category' | 'rate' | 'vatCode'>;

export interface ProposalSource {
  /** A UBL CreditNote's amounts are written positive and stored negative. */
  kind: 'INVOICE' | 'CREDIT_NOTE';
  lines: Pick<ParsedLine, 'description' | 'netAmount' | 'vatCategory' | 'vatRate' | 'id'>[];
  vatBreakdown: Pick<ParsedVatBreakdown, 'category' | 'rate' | 'taxableAmount' | 'taxAmount'>[];
}

interface Draft {
  description: string | null;
  net: Decimal;
}

interface Group {
  category: string | null;
  rate: string | null;
  drafts: Draft[];
  /** The breakdown's taxable and tax amounts (BT-116, BT-117); absent for lines with no group. */
  taxable: Decimal | null;
  tax: Decimal | null;
}

const keyOf = (category: string | null, rate: string | null) =>
  `${category ?? ''}|${normalizeRate(rate) ?? rate ?? ''}`;

/**
 * Proposed posting lines of the document, signed as the invoice stores them. Per VAT group the
 * lines' VAT is computed at the group's rate and the last line takes the rounding, so that the
 * group's net and VAT are exactly the breakdown's taxable and tax amounts; a document-level
 * allowance or charge (the breakdown's taxable amount differs from its lines) gets a line of its own.
 */
export function proposePostingLines(
  source: ProposalSource,
  mappings: Mapping[],
  accountCode: string | null,
): PostingLine[] {
  const sign = source.kind === 'CREDIT_NOTE' ? -1 : 1;
  const groups = new Map<string, Group>();
  for (const b of source.vatBreakdown) {
    groups.set(keyOf(b.category, b.rate), {
      category: b.category,
      rate: b.rate,
      drafts: [],
      taxable: new Decimal(b.taxableAmount),
      tax: new Decimal(b.taxAmount),
    });
  }
  for (const line of source.lines) {
    const key = keyOf(line.vatCategory, line.vatRate);
    const group = groups.get(key) ?? {
      category: line.vatCategory,
      rate: line.vatRate,
      drafts: [],
      taxable: null,
      tax: null,
    };
    groups.set(key, group);
    group.drafts.push({ description: line.description, net: new Decimal(line.netAmount) });
  }
  const lineCount = [...groups.values()].reduce((n, g) => n + g.drafts.length + 1, 0);
  const perGroup = lineCount > MAX_POSTING_LINES;
  const out: PostingLine[] = [];
  for (const group of groups.values()) {
    const label = `VAT ${group.category ?? '(none)'} ${normalizeRate(group.rate) ?? '0'} %`;
    let drafts = perGroup
      ? [{ description: `${label}: ${group.drafts.length} lines`, net: sumNet(group.drafts) }]
      : group.drafts;
    const rest = group.taxable ? group.taxable.minus(sumNet(drafts)) : new Decimal(0);
    if (!rest.isZero()) {
      drafts = [
        ...drafts,
        { description: `Document-level allowances and charges, ${label}`, net: rest },
      ];
    }
    const rate = normalizeRate(group.rate) ?? '0';
    const vats = drafts.map((d) =>
      computeVat(d.net, { rate, reverseCharge: group.category === 'AE' }),
    );
    // The breakdown's tax amount is what the supplier charged: the last line absorbs the rounding.
    if (group.tax && vats.length) {
      const others = sumNet(vats.slice(0, -1).map((v) => ({ net: v, description: null })));
      vats[vats.length - 1] = group.tax.minus(others);
    }
    const vatCode = vatCodeFor(mappings, group.category, group.rate) ?? '';
    drafts.forEach((d, i) => {
      if (d.net.isZero() && vats[i]!.isZero()) return;
      out.push({
        accountCode: accountCode ?? '',
        costUnitCode: null,
        vatCode,
        netAmount: formatMoney(d.net.times(sign)),
        vatAmount: formatMoney(vats[i]!.times(sign)),
        description: d.description?.trim().slice(0, DESCRIPTION_MAX) || null,
      });
    });
  }
  return out;
}

function sumNet(drafts: Draft[]): Decimal {
  return sumMoney(drafts.map((d) => d.net));
}
