/**
 * Matching an outgoing bank entry to the organization's open purchase invoices, in this order:
 * (1) the payment reference (RF or Finnish, check digits valid), (2) the supplier's IBAN and the
 * exact open amount, (3) the invoice number in the remittance text (or the referred document
 * numbers), within the supplier when the IBAN names one. A batch entry (several transactions)
 * is matched transaction by transaction. Only an exact, unique answer for every part is a match;
 * anything else is queued with a reason and the candidates found.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { electronicFormatIBAN } from 'ibantools';
import { Decimal, formatMoney } from '../../common/money.js';
import type {
  BankEntrySuggestion,
  BankEntryTransaction,
  BankStatementEntry,
} from './bank-statement.entity.js';
import { compactReference, equivalentReferences, normalizeReference } from './payment-reference.js';

export interface OpenInvoice {
  id: string;
  invoiceNumber: string;
  supplierId: string;
  supplierName: string;
  grossAmount: string;
  open: Decimal;
  /** Posted and numbered, not rejected or removed: a payment can be recorded. */
  payable: boolean;
  status: string;
}

export interface Allocation {
  invoiceId: string;
  amount: string;
  rule: string;
}

export type MatchOutcome =
  | { matched: true; allocations: Allocation[] }
  | { matched: false; reason: string; suggestions: BankEntrySuggestion[] };

/** Invoice numbers shorter than this are too likely to occur in any text by chance. */
const MIN_NUMBER_IN_TEXT = 3;
const SUGGESTIONS_MAX = 5;

const OPEN_INVOICE_SQL = `
  select i.id, i.invoice_number, i.supplier_id, s.name as supplier_name, i.gross_amount::text as gross,
    i.status, i.posted, i.document_number,
    (i.gross_amount - coalesce((select sum(p.amount) from payment p
       where p.organization_id = i.organization_id and p.invoice_id = i.id and p.removed_at is null), 0))::text as open
  from purchase_invoice i
  join supplier s on s.organization_id = i.organization_id and s.id = i.supplier_id
  where i.organization_id = ? and i.currency = ? and i.removed_at is null and i.status <> 'REMOVED'`;

type Row = {
  id: string;
  invoice_number: string;
  supplier_id: string;
  supplier_name: string;
  gross: string;
  status: string;
  posted: boolean;
  document_number: number | null;
  open: string;
};

export class InvoiceFinder {
  constructor(
    private readonly em: EntityManager,
    private readonly organizationId: string,
    private readonly currency: string,
  ) {}

  private async find(condition: string, params: unknown[]): Promise<OpenInvoice[]> {
    const rows = await this.em.execute<Row[]>(
      `${OPEN_INVOICE_SQL} and ${condition} order by i.due_date, i.id limit 50`,
      [this.organizationId, this.currency, ...params],
    );
    return rows.map((r) => ({
      id: r.id,
      invoiceNumber: r.invoice_number,
      supplierId: r.supplier_id,
      supplierName: r.supplier_name,
      grossAmount: r.gross,
      open: new Decimal(r.open),
      payable: r.posted && r.document_number != null && r.status !== 'REJECTED',
      status: r.status,
    }));
  }

  byReference(references: string[]) {
    return this.find(`i.payment_reference in (?)`, [references]);
  }

  supplierIdsByIban(iban: string) {
    return this.em
      .execute<{ id: string }[]>(
        `select id from supplier where organization_id = ? and upper(replace(iban, ' ', '')) = ?`,
        [this.organizationId, iban],
      )
      .then((rows) => rows.map((r) => r.id));
  }

  openOfSuppliers(supplierIds: string[]) {
    return this.find(`i.supplier_id in (?) and i.status <> 'REJECTED'`, [supplierIds]);
  }

  /** Invoices whose number occurs in the text (as a whole token), or is one of `numbers`. */
  async byNumberIn(text: string, numbers: string[], supplierIds: string[] | null) {
    const upper = text.toUpperCase();
    if (supplierIds && !supplierIds.length) return [];
    // Array bindings expand to lists (`in (?)`); an empty one would not be valid SQL.
    const byNumber = numbers.length ? ` or upper(i.invoice_number) in (?)` : '';
    const rows = await this.find(
      `(position(upper(i.invoice_number) in ?) > 0${byNumber}) and length(i.invoice_number) >= ?` +
        (supplierIds ? ` and i.supplier_id in (?)` : ''),
      [
        upper,
        ...(numbers.length ? [numbers.map((n) => n.toUpperCase())] : []),
        MIN_NUMBER_IN_TEXT,
        ...(supplierIds ? [supplierIds] : []),
      ],
    );
    return rows.filter(
      (r) =>
        numbers.some((n) => n.toUpperCase() === r.invoiceNumber.toUpperCase()) ||
        tokenIn(upper, r.invoiceNumber.toUpperCase()),
    );
  }

  withOpenAmount(amount: Decimal) {
    return this.find(
      `i.posted and i.document_number is not null and i.status <> 'REJECTED' and (i.gross_amount - coalesce((select sum(p.amount) from payment p where p.organization_id = i.organization_id and p.invoice_id = i.id and p.removed_at is null), 0)) = ?::numeric`,
      [amount.toFixed(2)],
    );
  }
}

/** `needle` occurs in `text` not glued to other letters or digits (INV-1 is not in INV-12). */
function tokenIn(text: string, needle: string): boolean {
  let at = text.indexOf(needle);
  while (at >= 0) {
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + needle.length] ?? '';
    if (!/[0-9A-Z]/.test(before) && !/[0-9A-Z]/.test(after)) return true;
    at = text.indexOf(needle, at + 1);
  }
  return false;
}

const describe = (i: OpenInvoice) => `${i.supplierName} ${i.invoiceNumber}`;

type PartOutcome =
  | { matched: true; invoice: OpenInvoice; rule: string }
  | { matched: false; reason: string; suggestions: BankEntrySuggestion[] };

function suggest(i: OpenInvoice, amount: Decimal, reason: string): BankEntrySuggestion {
  return { invoiceId: i.id, amount: formatMoney(amount), reason };
}

/** One invoice found for a payment of `amount`: exact → match; otherwise queued and why. */
function single(invoice: OpenInvoice, amount: Decimal, taken: Decimal, rule: string): PartOutcome {
  const open = invoice.open.minus(taken);
  if (!invoice.payable) {
    const why =
      invoice.status === 'REJECTED'
        ? 'is rejected'
        : 'is not posted yet (a payment is booked against a posted invoice)';
    return {
      matched: false,
      reason: `${rule}: invoice ${describe(invoice)} ${why}`,
      suggestions: [suggest(invoice, amount, `${rule}; ${why}`)],
    };
  }
  if (open.eq(amount)) return { matched: true, invoice, rule };
  if (amount.lt(open)) {
    return {
      matched: false,
      reason: `${rule}: pays ${formatMoney(amount)} of the ${formatMoney(open)} still open on ${describe(invoice)} (partial payment)`,
      suggestions: [
        suggest(invoice, amount, `${rule}; partial payment of ${formatMoney(open)} open`),
      ],
    };
  }
  return {
    matched: false,
    reason: `${rule}: ${formatMoney(amount)} would overpay ${describe(invoice)}, only ${formatMoney(open)} is open`,
    suggestions: open.gt(0)
      ? [suggest(invoice, open, `${rule}; only ${formatMoney(open)} is open (overpayment refused)`)]
      : [],
  };
}

async function matchPart(
  finder: InvoiceFinder,
  tx: BankEntryTransaction,
  amount: Decimal,
  taken: Map<string, Decimal>,
): Promise<PartOutcome> {
  const notes: string[] = [];
  const takenOf = (i: OpenInvoice) => taken.get(i.id) ?? new Decimal(0);

  // (1) The payment reference.
  if (tx.reference) {
    const refs = equivalentReferences(tx.reference);
    if (!refs.length) {
      notes.push(`the reference ${compactReference(tx.reference)} has wrong check digits`);
    } else {
      const found = await finder.byReference(refs);
      const rule = `reference ${normalizeReference(tx.reference)!.value}`;
      if (found.length === 1) return single(found[0], amount, takenOf(found[0]), rule);
      if (found.length > 1) {
        return {
          matched: false,
          reason: `${rule} is on ${found.length} invoices`,
          suggestions: found
            .slice(0, SUGGESTIONS_MAX)
            .map((i) =>
              suggest(i, Decimal.min(amount, i.open), `${rule} (one of ${found.length})`),
            ),
        };
      }
      notes.push(`no invoice has the reference ${refs[0]}`);
    }
  }

  // (2) The supplier's IBAN and the exact open amount.
  const iban = tx.counterpartyIban ? electronicFormatIBAN(tx.counterpartyIban) : null;
  let supplierIds: string[] | null = null;
  if (iban) {
    supplierIds = await finder.supplierIdsByIban(iban);
    if (supplierIds.length) {
      const open = (await finder.openOfSuppliers(supplierIds)).filter((i) => i.payable);
      const exact = open.filter((i) => i.open.minus(takenOf(i)).eq(amount));
      if (exact.length === 1)
        return { matched: true, invoice: exact[0], rule: `supplier IBAN ${iban} and amount` };
      if (exact.length > 1) {
        // The remittance text may tell them apart.
        const named = await finder.byNumberIn(
          tx.remittanceText ?? '',
          tx.documentNumbers,
          supplierIds,
        );
        const both = exact.filter((i) => named.some((n) => n.id === i.id));
        if (both.length === 1)
          return {
            matched: true,
            invoice: both[0],
            rule: `supplier IBAN ${iban}, amount and invoice number`,
          };
        return {
          matched: false,
          reason: `${exact.length} open invoices of the supplier with IBAN ${iban} are of ${formatMoney(amount)}`,
          suggestions: exact
            .slice(0, SUGGESTIONS_MAX)
            .map((i) => suggest(i, amount, `supplier IBAN and amount (one of ${exact.length})`)),
        };
      }
      notes.push(`no open invoice of the supplier with IBAN ${iban} is of ${formatMoney(amount)}`);
    } else {
      supplierIds = null;
      notes.push(`no supplier has the IBAN ${iban}`);
    }
  }

  // (3) The invoice number in the remittance text.
  if (tx.remittanceText || tx.documentNumbers.length) {
    const named = await finder.byNumberIn(tx.remittanceText ?? '', tx.documentNumbers, supplierIds);
    if (named.length === 1)
      return single(
        named[0],
        amount,
        takenOf(named[0]),
        `invoice number ${named[0].invoiceNumber} in the text`,
      );
    if (named.length > 1) {
      const exact = named.filter((i) => i.payable && i.open.minus(takenOf(i)).eq(amount));
      if (exact.length === 1)
        return {
          matched: true,
          invoice: exact[0],
          rule: `invoice number ${exact[0].invoiceNumber} in the text and amount`,
        };
      return {
        matched: false,
        reason: `the text names ${named.length} invoices`,
        suggestions: named
          .slice(0, SUGGESTIONS_MAX)
          .map((i) =>
            suggest(
              i,
              Decimal.min(amount, i.open),
              `invoice number ${i.invoiceNumber} in the text`,
            ),
          ),
      };
    }
    notes.push('no invoice number found in the text');
  }

  // Nothing certain: invoices open for exactly this amount are the best guess.
  const sameAmount = (await finder.withOpenAmount(amount)).filter((i) =>
    supplierIds ? supplierIds.includes(i.supplierId) : true,
  );
  return {
    matched: false,
    reason: notes.length
      ? `No match: ${notes.join('; ')}`
      : 'No match: the entry carries no reference, IBAN or text to match by',
    suggestions: sameAmount
      .slice(0, SUGGESTIONS_MAX)
      .map((i) => suggest(i, amount, `open for exactly ${formatMoney(amount)}`)),
  };
}

/** The parts an entry pays: its transactions when it is a batch, else the entry as one. */
function partsOf(
  entry: BankStatementEntry,
): { tx: BankEntryTransaction; amount: Decimal }[] | string {
  const total = new Decimal(entry.amount).abs();
  const empty: BankEntryTransaction = {
    amount: null,
    reference: null,
    documentNumbers: [],
    remittanceText: null,
    counterpartyName: null,
    counterpartyIban: null,
    endToEndId: null,
  };
  if (entry.transactions.length <= 1)
    return [{ tx: entry.transactions[0] ?? empty, amount: total }];
  if (entry.transactions.some((t) => t.amount == null))
    return `A batch of ${entry.transactions.length} transactions without their amounts: split it by hand`;
  const parts = entry.transactions.map((tx) => ({ tx, amount: new Decimal(tx.amount!) }));
  const sum = parts.reduce((a, p) => a.plus(p.amount), new Decimal(0));
  if (!sum.eq(total))
    return `The batch's transactions add up to ${formatMoney(sum)}, the entry is ${formatMoney(total)}: split it by hand`;
  return parts;
}

/** Matches one outgoing entry; see the module comment for the rules. */
export async function matchEntry(
  em: EntityManager,
  organizationId: string,
  entry: BankStatementEntry,
): Promise<MatchOutcome> {
  const parts = partsOf(entry);
  if (typeof parts === 'string') return { matched: false, reason: parts, suggestions: [] };
  const finder = new InvoiceFinder(em, organizationId, entry.currency);
  const taken = new Map<string, Decimal>();
  const allocations: Allocation[] = [];
  const reasons: string[] = [];
  const suggestions: BankEntrySuggestion[] = [];
  for (const [n, part] of parts.entries()) {
    const outcome = await matchPart(finder, part.tx, part.amount, taken);
    const label = parts.length > 1 ? `Transaction ${n + 1}: ` : '';
    if (outcome.matched) {
      taken.set(
        outcome.invoice.id,
        (taken.get(outcome.invoice.id) ?? new Decimal(0)).plus(part.amount),
      );
      allocations.push({
        invoiceId: outcome.invoice.id,
        amount: formatMoney(part.amount),
        rule: outcome.rule,
      });
      suggestions.push(suggest(outcome.invoice, part.amount, `${label}${outcome.rule}`));
    } else {
      reasons.push(`${label}${outcome.reason}`);
      suggestions.push(
        ...outcome.suggestions.map((s) => ({ ...s, reason: `${label}${s.reason}` })),
      );
    }
  }
  if (!reasons.length) return { matched: true, allocations };
  return { matched: false, reason: reasons.join('. '), suggestions };
}
