/** The simulation's plan: which documents, with which defects, and how their postings change. */
import { toGlobalId } from '../../server/src/common/ids.js';
import { type Tenant } from '../../server/src/testing/factories.js';
import { Rng } from '../../server/src/seeders/demo-random.js';
import {
  addDays,
  cents,
  negatedLines,
  seedInvoices,
  standardLines,
  type SeedInvoice,
  type SeedLine,
  type Sql,
} from '../helpers/seed.js';

// ------------------------------------------------------------------------------------------ plan

export type OrgKey = 'A' | 'B';
export type Kind = 'manual' | 'circulating' | 'bad' | 'duplicate' | 'idle';

export type DocKind = 'INVOICE' | 'CREDIT_NOTE';

/** Of the documents that are not duplicates, this share are credit notes. */
export const CREDIT_NOTE_SHARE = 0.12;

export interface Planned {
  org: OrgKey;
  kind: Kind;
  /** Invoice or credit note (negative lines); a duplicate is of its twin's kind. */
  doc: DocKind;
  /** A credit note that credits a manual invoice: same supplier and, as suppliers do, its number. */
  credits?: Planned;
  billDate: string;
  supplier: number;
  invoiceNumber: string;
  lines: SeedLine[];
  /** For `bad`: the ledger codes it must fail with. */
  defect?: string;
  ghostSupplier?: boolean;
  id?: string;
  gid?: string;
}

export const DEFECTS: { name: string; apply(lines: SeedLine[]): void }[] = [
  { name: 'header account', apply: (l) => void (l[0].accountCode = '4000') },
  { name: 'inactive account', apply: (l) => void (l[1].accountCode = '7390') },
  { name: 'inactive cost unit', apply: (l) => void (l[0].costUnitCode = 'OLD') },
  { name: 'unknown VAT code', apply: (l) => void (l[2].vatCode = 'VAT99') },
  { name: 'ghost supplier', apply: () => {} },
  {
    name: 'two problems',
    apply: (l) => {
      l[0].accountCode = '9999';
      l[1].costUnitCode = 'NOPE';
    },
  },
];

/** The ledger's refusal codes for these lines and supplier (empty: it would post). */
export function expectedProblems(
  lines: { accountCode: string; costUnitCode: string | null; vatCode: string }[],
  ghost: boolean,
): string[] {
  const codes = new Set<string>();
  for (const l of lines) {
    if (l.accountCode === '4000' || l.accountCode === '7390') codes.add('ACCOUNT_NOT_POSTABLE');
    else if (!['4010', '6800', '7300'].includes(l.accountCode)) codes.add('ACCOUNT_NOT_FOUND');
    if (l.costUnitCode && !['ADM', 'SAL'].includes(l.costUnitCode)) codes.add('COST_UNIT_INVALID');
    if (!['VAT255', 'VAT0', 'VAT135'].includes(l.vatCode)) codes.add('VAT_CODE_INVALID');
  }
  if (ghost) codes.add('SUPPLIER_NOT_IN_LEDGER');
  return [...codes].sort();
}

export function plan(rng: Rng, total: number, from: string, to: string): Planned[] {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  const out: Planned[] = [];
  const counters = { A: 0, B: 0 };
  const credited = new Set<Planned>();
  for (let i = 0; i < total; i++) {
    const org: OrgKey = rng.chance(0.55) ? 'A' : 'B';
    const r = rng.next();
    const manuals = out.filter((p) => p.org === org && p.kind === 'manual');
    const kind: Kind =
      r < 0.62
        ? 'manual'
        : r < 0.87
          ? 'circulating'
          : r < 0.92
            ? 'bad'
            : r < 0.96 && manuals.length
              ? 'duplicate'
              : r < 0.96
                ? 'manual'
                : 'idle';
    const lines = standardLines(() => rng.next(), 3);
    const p: Planned = {
      org,
      kind,
      doc: 'INVOICE',
      billDate: addDays(from, rng.int(0, days)),
      supplier: rng.int(0, 19),
      invoiceNumber: `${org}-${String(++counters[org]).padStart(5, '0')}`,
      lines,
    };
    if (kind === 'bad') {
      const defect = rng.pick(DEFECTS);
      defect.apply(lines);
      p.defect = defect.name;
      p.ghostSupplier = defect.name === 'ghost supplier';
    }
    if (kind === 'duplicate') {
      // The same supplier invoice number twice (the AP side allows it with allowDuplicate):
      // whichever posts second must fail DUPLICATE_REFERENCE, never borrow the other's entry.
      const twin = rng.pick(manuals);
      p.supplier = twin.supplier;
      p.invoiceNumber = twin.invoiceNumber;
      p.doc = twin.doc;
    } else if (rng.chance(CREDIT_NOTE_SHARE)) {
      // A credit note; half of them credit an earlier invoice under its own number, which the
      // ledger must keep apart from the invoice (unique per kind), not refuse as a duplicate.
      p.doc = 'CREDIT_NOTE';
      // Each invoice is credited under its number once: a second credit note with that number
      // would be a real duplicate (DUPLICATE_REFERENCE), which is the duplicates' business.
      const invoices = manuals.filter(
        (m) => m.doc === 'INVOICE' && !m.ghostSupplier && !credited.has(m),
      );
      if (!p.ghostSupplier && invoices.length && rng.chance(0.5)) {
        const target = rng.pick(invoices);
        credited.add(target);
        p.credits = target;
        p.supplier = target.supplier;
        p.invoiceNumber = target.invoiceNumber;
      }
    }
    if (p.doc === 'CREDIT_NOTE') p.lines = negatedLines(lines);
    out.push(p);
  }
  return out;
}

/** New lines with the same net and VAT totals: recoded, amounts moved, or (sometimes) wrong. */
export function changedLines(
  rng: Rng,
  current: ApiLine[],
  n: number,
): { lines: ApiLine[]; bad: boolean } {
  const lines = current.map((l) => ({ ...l, description: `change ${n}` }));
  const r = rng.next();
  if (r < 0.12) {
    lines[0].accountCode = '7390';
    return { lines, bad: true };
  }
  if (r < 0.6 || lines.length < 2) {
    const l = rng.pick(lines);
    l.accountCode = rng.pick(['4010', '6800', '7300']);
    l.costUnitCode = rng.pick(['ADM', 'SAL', null]);
    l.vatCode = l.vatCode === 'VAT99' ? 'VAT255' : l.vatCode;
    return { lines, bad: false };
  }
  // Move some net amount from one line to another; totals stay.
  const [a, b] = rng.shuffle(lines.map((_, i) => i)).slice(0, 2);
  const from = toCents(lines[a].netAmount);
  const move = Math.max(1, Math.floor(from * rng.next() * 0.5));
  lines[a].netAmount = cents(from - move);
  lines[b].netAmount = cents(toCents(lines[b].netAmount) + move);
  return { lines, bad: false };
}

/** Lines of a defective invoice with every code made valid (the supplier stays what it is). */
export function fixedLines(current: ApiLine[], n: number): ApiLine[] {
  return current.map((l, i) => ({
    ...l,
    accountCode: ['4010', '6800', '7300'][i % 3],
    costUnitCode: ['ADM', 'SAL', null][i % 3],
    vatCode: 'VAT255',
    description: `fixed ${n}`,
  }));
}

export const toCents = (s: string) => Math.round(Number(s) * 100);

export interface ApiLine {
  accountCode: string;
  costUnitCode: string | null;
  vatCode: string;
  netAmount: string;
  vatAmount: string;
  description: string | null;
}

/** Writes the planned invoices (ghost-supplier ones on the supplier the ledger does not know). */
export async function seedPlanned(
  sql: Sql,
  tenants: Record<OrgKey, Tenant>,
  ghost: Record<OrgKey, string>,
  planned: Planned[],
): Promise<void> {
  for (const k of ['A', 'B'] as const) {
    const mine = planned.filter((p) => p.org === k);
    const specs: SeedInvoice[] = mine.map((p) => ({
      supplierId: p.ghostSupplier ? ghost[k] : tenants[k].suppliers[p.supplier].id,
      kind: p.doc,
      invoiceNumber: p.invoiceNumber,
      billDate: p.billDate,
      status: p.kind === 'circulating' ? 'IN_CIRCULATION' : 'APPROVED',
      stageId: p.kind === 'circulating' ? tenants[k].stages[2].id : null,
      lines: p.lines,
    }));
    const ids = await seedInvoices(
      sql,
      { organizationId: tenants[k].org.id, processId: tenants[k].process.id },
      specs,
    );
    mine.forEach((p, i) => {
      p.id = ids[i];
      p.gid = toGlobalId('PurchaseInvoice', ids[i]);
    });
  }
}
