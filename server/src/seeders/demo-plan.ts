/**
 * The demo's story, computed in memory before anything is written: which invoices arrive when,
 * how far each one got through circulation, when it was exported and paid. Pure: the same
 * organization, clock and seed give the same plan. Ledger outcomes are filled in later by
 * demo-transfers.ts, which posts through the real AccountingSystem. The plan's shapes are in
 * demo-plan-types.ts, circulation timelines in demo-plan-timeline.ts, exports and payments in
 * demo-plan-transfers.ts.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from '../common/money.js';
import { invalidVatCodeFor, vatCodeFor } from './demo-catalog.js';
import { addDays, at, monthEnd, monthStart, nextWeekday, plusMinutes, Rng } from './demo-random.js';
import { assignDocumentNumbers, buildTimeline } from './demo-plan-timeline.js';
import { exportRuns, schedulePayments, scheduleTransfers } from './demo-plan-transfers.js';
import type {
  OrgCtx,
  OrgPlan,
  PlanInvoice,
  PlanLine,
  SupplierCtx,
  Target,
  Mistake,
  DemoClock,
} from './demo-plan-types.js';

// ------------------------------------------------------------------ planning

interface Spec {
  supplier: SupplierCtx;
  billDate: string;
  target?: Target;
  stage?: number;
  failure?: Mistake;
  fixed?: Mistake;
  late?: boolean;
  monthlyNet?: [number, number];
  monthlyDescription?: string;
  duplicate?: boolean;
}

const RECENT_DAYS = 25;

/** Builds the whole plan for one organization. */
export function planOrganization(org: OrgCtx, clock: DemoClock): OrgPlan {
  const rng = new Rng(org.def.seed ^ Number(clock.today.replaceAll('-', '')));
  const isAurora = org.def.slug === 'aurora';
  const recentFrom = addDays(clock.today, -RECENT_DAYS);
  const yesterday = addDays(clock.today, -1);
  const specs: Spec[] = [];
  const bySupplierName = (name: string) => {
    const s = org.suppliers.find((x) => x.def.name === name);
    if (!s) throw new Error(`demo catalog: no supplier ${name}`);
    return s;
  };
  const randomDate = (from: string, to: string) => {
    const span = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
    const d = addDays(from, rng.int(0, span));
    const wd = nextWeekday(d);
    return wd <= to ? wd : d;
  };
  const weighted = org.suppliers
    .filter((s) => s.def.weight > 0)
    .map((s) => [s, s.def.weight] as const);

  // Recurring invoices: rent, energy, subscriptions, one a month.
  for (const s of org.suppliers) {
    const m = s.def.monthly;
    if (!m) continue;
    for (let k = -15; k <= 0; k++) {
      const d = addDays(monthStart(clock.today, k), m.day - 1);
      if (d < clock.firstBill || d > yesterday) continue;
      specs.push({
        supplier: s,
        billDate: d,
        monthlyNet: m.net,
        monthlyDescription: m.description,
      });
    }
  }

  // Invoices with a role in the story.
  const older = (fromDaysAgo: number, toDaysAgo: number) =>
    randomDate(addDays(clock.today, -fromDaysAgo), addDays(clock.today, -toDaysAgo));
  const randomSupplier = () => rng.weighted(weighted);
  if (isAurora) {
    const coffee = bySupplierName('Paahtimo Aalto Oy');
    specs.push({ supplier: coffee, billDate: older(4, 1), target: 'DRAFT' });
    specs.push({ supplier: coffee, billDate: older(14, 7), target: 'STAGE', stage: 1 });
    specs.push({ supplier: coffee, billDate: older(19, 10), target: 'DONE', failure: 'SUPPLIER' });
    specs.push({ supplier: coffee, billDate: older(19, 10), target: 'DONE', failure: 'SUPPLIER' });
    specs.push({
      supplier: bySupplierName('Ravintola Kultainen Kauha Oy'),
      billDate: older(18, 6),
      target: 'DONE',
      failure: 'VAT',
    });
    specs.push({
      supplier: bySupplierName('Hotelli Pohjantähti Oy'),
      billDate: older(18, 6),
      target: 'DONE',
      failure: 'VAT',
    });
    specs.push({
      supplier: bySupplierName('Pilvipalvelu Saarinen Oy'),
      billDate: older(16, 6),
      target: 'DONE',
      failure: 'ACCOUNT',
    });
    specs.push({
      supplier: bySupplierName('Pilvipalvelu Saarinen Oy'),
      billDate: older(200, 70),
      target: 'DONE',
      fixed: 'ACCOUNT',
    });
    specs.push({
      supplier: bySupplierName('Metsä-Suomen Materiaalit Oy'),
      billDate: older(200, 70),
      target: 'DONE',
      fixed: 'COST_UNIT',
    });
    specs.push({
      supplier: randomSupplier(),
      billDate: older(60, 32),
      target: 'REMOVED_POSTED',
      stage: 0,
    });
    specs.push({
      supplier: randomSupplier(),
      billDate: older(300, 40),
      target: 'REMOVED_DRAFT',
      duplicate: true,
    });
  }
  const lateCount = isAurora ? 4 : 1;
  for (let i = 0; i < lateCount; i++) {
    specs.push({
      supplier: randomSupplier(),
      billDate: randomDate(monthStart(clock.today, -4), monthEnd(clock.today, -3)),
      target: 'DONE',
      late: true,
    });
  }
  for (const _ of org.def.rejectReasons) {
    specs.push({
      supplier: randomSupplier(),
      billDate: older(400, 30),
      target: 'REJECTED',
      stage:
        rng.weighted([
          [0, 5],
          [1, 4],
          [2, 1],
        ] as const) % org.stages.length,
    });
  }

  // Everyday invoices fill the rest: a busier last few weeks so every tab has something.
  const recentSoFar = specs.filter((s) => s.billDate >= recentFrom).length;
  const recentRandom = Math.max(0, org.def.recentCount - recentSoFar);
  for (let i = 0; i < recentRandom; i++)
    specs.push({ supplier: randomSupplier(), billDate: randomDate(recentFrom, yesterday) });
  const olderRandom = org.def.invoiceCount - specs.length;
  for (let i = 0; i < olderRandom; i++) {
    specs.push({
      supplier: randomSupplier(),
      billDate: randomDate(clock.firstBill, addDays(recentFrom, -1)),
    });
  }

  dealRecentStates(rng, org, specs, recentFrom);
  for (const s of specs) s.target ??= 'DONE';

  // Invoices, with supplier invoice numbers in bill date order per supplier.
  const invoices = specs
    .sort((a, b) => (a.billDate < b.billDate ? -1 : a.billDate > b.billDate ? 1 : 0))
    .map((spec) => buildInvoice(rng, org, spec));
  const autoSince = org.def.transferSettings.autoTransferInvoices
    ? at(addDays(clock.today, -24), 7, 45)
    : null;
  numberSupplierInvoices(rng, invoices);
  for (const inv of invoices) buildTimeline(rng, org, clock, autoSince, inv);
  linkDuplicates(rng, invoices);
  invoices
    .filter((i) => i.rejected)
    .forEach(
      (inv, i) => (inv.rejected!.reason = org.def.rejectReasons[i % org.def.rejectReasons.length]),
    );
  assignDocumentNumbers(invoices);

  const plan: OrgPlan = { org, clock, invoices, batches: [], autoSince, runs: [] };
  plan.runs = exportRuns(rng, plan);
  scheduleTransfers(rng, plan);
  schedulePayments(rng, plan);
  return plan;
}

/** Where the recent invoices stand: newest mostly drafts, older ones further along. */
function dealRecentStates(rng: Rng, org: OrgCtx, specs: Spec[], recentFrom: string) {
  const recent = specs
    .filter((s) => s.billDate >= recentFrom && !s.target)
    .sort((a, b) => (a.billDate > b.billDate ? -1 : a.billDate < b.billDate ? 1 : 0));
  const designated = specs.filter((s) => s.billDate >= recentFrom && s.target);
  const want = (target: Target, stage?: number) =>
    designated.filter((s) => s.target === target && (stage === undefined || s.stage === stage))
      .length;
  const states: Array<{ target: Target; stage?: number }> = [];
  for (let i = 0; i < org.def.recentStates.draft - want('DRAFT'); i++)
    states.push({ target: 'DRAFT' });
  org.def.recentStates.stages.forEach((n, stage) => {
    for (let i = 0; i < n - want('STAGE', stage); i++) states.push({ target: 'STAGE', stage });
  });
  // A little disorder: some invoices move faster than others.
  for (let i = 0; i + 1 < states.length; i++)
    if (rng.chance(0.3)) [states[i], states[i + 1]] = [states[i + 1], states[i]];
  recent.forEach((spec, i) => {
    const st = states[i] ?? { target: 'DONE' as const };
    spec.target = st.target;
    spec.stage = st.stage;
  });
}

function money(value: Decimal.Value): string {
  return new Decimal(value).toFixed(2);
}

function vatOf(net: string, rate: string, reverseCharge: boolean): string {
  if (reverseCharge) return '0.00';
  return new Decimal(net)
    .times(rate)
    .dividedBy(100)
    .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
    .toFixed(2);
}

function makeLine(org: OrgCtx, base: Omit<PlanLine, 'vatAmount'>): PlanLine {
  const vat = org.def.vatCodes.find((v) => v.code === base.vatCode);
  if (!vat) throw new Error(`demo catalog: no VAT code ${base.vatCode}`);
  return { ...base, vatAmount: vatOf(base.netAmount, vat.rate, !!vat.reverseCharge) };
}

function buildInvoice(rng: Rng, org: OrgCtx, spec: Spec): PlanInvoice {
  const def = spec.supplier.def;
  const n = spec.monthlyNet ? 1 : rng.int(def.lines[0], def.lines[1]);
  const descriptions = rng.sample(def.descriptions, n);
  const lines: PlanLine[] = [];
  for (let i = 0; i < n; i++) {
    const range = spec.monthlyNet ?? def.net;
    const vat = vatCodeFor(org.def, def.vat, spec.billDate);
    lines.push(
      makeLine(org, {
        accountCode: rng.pick(def.accounts),
        costUnitCode: rng.pick(def.costUnits),
        vatCode: vat.code,
        netAmount: rng.cents(range[0], range[1]),
        description: spec.monthlyDescription
          ? `${spec.monthlyDescription}, ${monthName(spec.billDate)}`
          : (descriptions[i] ?? descriptions[0]),
      }),
    );
  }
  let badLines: PlanLine[] | null = null;
  if (spec.failure === 'VAT') {
    // The supplier's billing system still uses the old rate; the coder kept its code.
    const wrong = invalidVatCodeFor(org.def, def.vat, spec.billDate);
    if (!wrong) throw new Error(`demo: no invalid VAT code for ${spec.billDate}`);
    lines[0] = makeLine(org, { ...lines[0], vatCode: wrong.code });
  }
  if (spec.failure === 'ACCOUNT') lines[0] = { ...lines[0], accountCode: inactiveAccount(org) };
  if (spec.fixed === 'ACCOUNT')
    badLines = lines.map((l, i) => (i === 0 ? { ...l, accountCode: inactiveAccount(org) } : l));
  if (spec.fixed === 'COST_UNIT')
    badLines = lines.map((l, i) => (i === 0 ? { ...l, costUnitCode: inactiveCostUnit(org) } : l));

  const net = lines.reduce((s, l) => s.plus(l.netAmount), new Decimal(0));
  const vat = lines.reduce((s, l) => s.plus(l.vatAmount), new Decimal(0));
  const target = spec.target ?? 'DONE';
  return {
    id: randomUUID(),
    org,
    supplier: spec.supplier,
    invoiceNumber: '',
    billDate: spec.billDate,
    dueDate: addDays(spec.billDate, def.terms),
    lines,
    coded: target !== 'DRAFT' && target !== 'REMOVED_DRAFT' ? true : rng.chance(0.5),
    netAmount: money(net),
    vatAmount: money(vat),
    grossAmount: money(net.plus(vat)),
    target,
    stage: spec.stage ?? 0,
    failure: spec.failure ?? null,
    fixed: spec.fixed ?? null,
    badLines,
    late: !!spec.late,
    duplicateOf: spec.duplicate ? ({} as PlanInvoice) : null,
    createdAt: new Date(0),
    createdBy: { kind: 'api', apiClientId: org.apiClientId },
    codedAt: null,
    codedBy: null,
    postedAt: null,
    postedBy: null,
    sentAt: null,
    saves: [],
    rejected: null,
    removed: null,
    fix: null,
    documentNumber: null,
    fiscalYear: null,
    held: false,
    transfers: [],
    payments: [],
  };
}

function inactiveAccount(org: OrgCtx): string {
  const a = org.def.accounts.find((x) => x.active === false);
  if (!a) throw new Error('demo catalog: no inactive account');
  return a.code;
}

function inactiveCostUnit(org: OrgCtx): string {
  const c = org.def.costUnits.find((x) => x.active === false);
  if (!c) throw new Error('demo catalog: no inactive cost unit');
  return c.code;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
function monthName(date: string): string {
  return `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

/** Supplier invoice numbers: increasing per supplier in bill date order, in the supplier's style. */
function numberSupplierInvoices(rng: Rng, invoices: PlanInvoice[]) {
  const counters = new Map<string, number>();
  for (const inv of invoices) {
    if (inv.duplicateOf) continue;
    const def = inv.supplier.def;
    const prev =
      counters.get(inv.supplier.id) ??
      rng.int(
        def.numberStyle === 'plain' ? 10_000 : 100,
        def.numberStyle === 'plain' ? 890_000 : 4_000,
      );
    const seq = prev + rng.int(1, def.monthly ? 3 : 60);
    counters.set(inv.supplier.id, seq);
    const year = inv.billDate.slice(0, 4);
    switch (def.numberStyle) {
      case 'plain':
        inv.invoiceNumber = String(seq);
        break;
      case 'yearDash':
        inv.invoiceNumber = `${year}-${String(seq).padStart(5, '0')}`;
        break;
      case 'prefix':
        inv.invoiceNumber = `${def.numberPrefix ?? 'INV-'}${String(seq).padStart(6, '0')}`;
        break;
      case 'slashYear':
        inv.invoiceNumber = `${seq}/${year}`;
        break;
    }
  }
}

/**
 * The duplicate draft: the e-invoice operator delivered an already received invoice again a few
 * days later; the accountant removed it.
 */
function linkDuplicates(rng: Rng, invoices: PlanInvoice[]) {
  for (const dup of invoices.filter((i) => i.duplicateOf)) {
    const candidates = invoices.filter(
      (i) =>
        i.target === 'DONE' &&
        !i.duplicateOf &&
        !i.failure &&
        !i.fixed &&
        !i.late &&
        i.supplier.def.weight > 0 &&
        i.billDate < dup.billDate,
    );
    const original = candidates.length
      ? rng.pick(candidates)
      : invoices.find((i) => i.target === 'DONE' && !i.duplicateOf)!;
    Object.assign(dup, {
      duplicateOf: original,
      supplier: original.supplier,
      invoiceNumber: original.invoiceNumber,
      billDate: original.billDate,
      dueDate: original.dueDate,
      lines: original.lines,
      netAmount: original.netAmount,
      vatAmount: original.vatAmount,
      grossAmount: original.grossAmount,
      coded: false,
    });
    dup.createdAt = plusMinutes(original.createdAt, rng.int(2, 5) * 24 * 60 + rng.int(0, 120));
    dup.removed = {
      at: plusMinutes(dup.createdAt, rng.int(30, 400)),
      by: dup.org.users.accountant,
    };
  }
}
