/**
 * The demo's story, computed in memory before anything is written: which invoices arrive when,
 * how far each one got through circulation, when it was exported and paid. Pure: the same
 * organization, clock and seed give the same plan. Ledger outcomes are filled in later by
 * demo-transfers.ts, which posts through the real AccountingSystem.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from '../common/money.js';
import type { EntryInfo } from '../accounting/accounting-system.js';
import type { TransferErrorDetail } from '../modules/transfers/transfer.enums.js';
import {
  invalidVatCodeFor,
  vatCodeFor,
  type DemoOrgDef,
  type SupplierDef,
} from './demo-catalog.js';
import {
  addDays,
  at,
  dateOf,
  isWeekend,
  monthEnd,
  monthStart,
  nextWeekday,
  officeTime,
  plusMinutes,
  plusSeconds,
  Rng,
  yearOf,
} from './demo-random.js';

// ------------------------------------------------------------------ context

export type UserKey = 'admin' | 'accountant' | 'approver' | 'viewer';

export type Actor =
  | { kind: 'user'; userId: string }
  | { kind: 'api'; apiClientId: string }
  | { kind: 'system'; name: string; onBehalfOf: string | null };

export interface SupplierCtx {
  id: string;
  def: SupplierDef;
  accountName: string;
  businessId: string;
  iban: string;
}

export interface StageCtx {
  id: string;
  name: string;
  position: number;
  transferFromThisStep: boolean;
}

/** An organization as seeded so far: the ids the plan refers to. */
export interface OrgCtx {
  def: DemoOrgDef;
  id: string;
  users: Record<UserKey, string>;
  apiClientId: string;
  suppliers: SupplierCtx[];
  processId: string;
  processName: string;
  stages: StageCtx[];
}

/** Dates the whole demo hangs on, all derived from `today`. */
export interface DemoClock {
  today: string;
  /** Nothing in the demo happens at or after this moment (today 00:00 UTC). */
  cutoff: Date;
  /** Oldest bill date (about 14 months back). */
  firstBill: string;
  /** First period start (15 months back) and last period end (at least 2 months ahead). */
  firstPeriod: string;
  lastPeriod: string;
  /** Periods ending before this date are CLOSED (first day of the month two months ago). */
  closedBefore: string;
  /** Accounts-payable lock date: last day of the month two months ago. */
  lockDate: string;
  /** When the accountant closed those periods and set the lock date (10th of last month). */
  lockMoment: Date;
}

export function demoClock(today: string): DemoClock {
  return {
    today,
    cutoff: at(today, 0),
    firstBill: addDays(today, -425),
    firstPeriod: monthStart(today, -15),
    lastPeriod: monthEnd(today, 2),
    closedBefore: monthStart(today, -2),
    lockDate: monthEnd(today, -2),
    lockMoment: at(addDays(monthStart(today, -1), 9), 8, 30),
  };
}

// ------------------------------------------------------------------ plan types

export interface PlanLine {
  accountCode: string;
  costUnitCode: string | null;
  vatCode: string;
  netAmount: string;
  vatAmount: string;
  description: string | null;
}

/** Where the invoice stands today. */
export type Target = 'DRAFT' | 'STAGE' | 'DONE' | 'REJECTED' | 'REMOVED_DRAFT' | 'REMOVED_POSTED';
/** A coding mistake the ledger refuses. */
export type Mistake = 'VAT' | 'ACCOUNT' | 'COST_UNIT' | 'SUPPLIER';

export interface StageSave {
  stage: number;
  at: Date;
  by: string;
}

export interface PlanInvoice {
  id: string;
  org: OrgCtx;
  supplier: SupplierCtx;
  invoiceNumber: string;
  billDate: string;
  dueDate: string;
  lines: PlanLine[];
  /** Drafts may not be coded yet: the lines exist but the invoice has none. */
  coded: boolean;
  netAmount: string;
  vatAmount: string;
  grossAmount: string;
  target: Target;
  /** STAGE: the current stage; REJECTED: the stage it was rejected at. */
  stage: number;
  /** Still wrong today: the transfer failed and nobody has fixed it. */
  failure: Mistake | null;
  /** Was wrong at the first transfer, fixed afterwards and transferred. */
  fixed: Mistake | null;
  /** The lines as first coded, when `fixed` (the failed transfer moved these). */
  badLines: PlanLine[] | null;
  /** Old bill date, approved only recently: the period rule decides its posting date. */
  late: boolean;
  duplicateOf: PlanInvoice | null;
  createdAt: Date;
  createdBy: Actor;
  codedAt: Date | null;
  codedBy: string | null;
  postedAt: Date | null;
  postedBy: string | null;
  sentAt: Date | null;
  saves: StageSave[];
  rejected: { at: Date; by: string; reason: string } | null;
  removed: { at: Date; by: string } | null;
  fix: { at: Date; by: string } | null;
  documentNumber: number | null;
  fiscalYear: number | null;
  /** Approved but deliberately not exported yet. */
  held: boolean;
  transfers: PlanTransfer[];
  payments: PlanPayment[];
}

export interface PlanPayment {
  id: string;
  invoice: PlanInvoice;
  amount: string;
  paymentDate: string;
  source: 'MANUAL' | 'BANK_STATEMENT';
  bankReference: string | null;
  recordedAt: Date;
  recordedBy: Actor;
  documentNumber: number;
  fiscalYear: number;
  transfer: PlanTransfer | null;
}

export type Expectation = 'OK' | 'REFUSED' | 'PERIOD_LOCKED';

export interface PlanTransfer {
  id: string;
  documentType: 'INVOICE' | 'PAYMENT';
  invoice: PlanInvoice;
  payment: PlanPayment | null;
  documentVersion: number;
  trigger: 'MANUAL' | 'AUTOMATIC';
  batch: PlanBatch;
  requestedBy: string;
  queuedAt: Date;
  finishedAt: Date;
  /** Invoice lines moved by this transfer. */
  lines: PlanLine[];
  /** After the periods were closed and the lock date set: posted in the second phase. */
  afterLock: boolean;
  expect: Expectation;
  /** The one error code a refusal must carry. */
  expectCode: string | null;
  // outcome, filled in by demo-transfers.ts
  status: 'TRANSFERRED' | 'FAILED' | null;
  entry: EntryInfo | null;
  errors: TransferErrorDetail[];
}

export interface PlanBatch {
  id: string;
  documentType: 'INVOICE' | 'PAYMENT';
  trigger: 'MANUAL' | 'AUTOMATIC';
  requestedBy: string;
  createdAt: Date;
  transfers: PlanTransfer[];
}

export interface OrgPlan {
  org: OrgCtx;
  clock: DemoClock;
  invoices: PlanInvoice[];
  batches: PlanBatch[];
  /** When automatic transfer was switched on (null: it is off). */
  autoSince: Date | null;
  /** The accountant's weekly manual export runs. */
  runs: Date[];
}

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

const HOUR = 60;

/** The moment itself during office hours (06-15 UTC, Mon-Fri), else early in the next working day. */
function officeHours(moment: Date): Date {
  const day = dateOf(moment);
  const h = moment.getUTCHours();
  const m = moment.getUTCMinutes();
  const sec = moment.getUTCSeconds();
  if (h < 6) return at(nextWeekday(day), 6 + (m % 3), m, sec);
  if (h >= 15) return at(nextWeekday(addDays(day, 1)), 6 + (m % 3), m, sec);
  if (isWeekend(day)) return at(nextWeekday(day), h, m, sec);
  return moment;
}

/** Who does what: approvers inspect and approve, the accountant codes and checks. */
function pickUser(
  rng: Rng,
  org: OrgCtx,
  role: 'coder' | 'inspector' | 'approver' | 'checker',
): string {
  const u = org.users;
  switch (role) {
    case 'coder':
      return rng.chance(0.88) ? u.accountant : u.admin;
    case 'inspector':
      return rng.chance(0.8) ? u.approver : u.admin;
    case 'approver':
      return rng.chance(0.9) ? u.approver : u.admin;
    case 'checker':
      return rng.chance(0.85) ? u.accountant : u.admin;
  }
}

/** Creates the invoice's circulation events up to its target state, all before the cutoff. */
function buildTimeline(
  rng: Rng,
  org: OrgCtx,
  clock: DemoClock,
  autoSince: Date | null,
  inv: PlanInvoice,
) {
  if (inv.duplicateOf) return; // timed by linkDuplicates
  const yesterday = addDays(clock.today, -1);
  let arrival = addDays(inv.billDate, rng.int(0, 2));
  if (arrival > yesterday) arrival = yesterday;
  inv.createdAt = officeTime(rng, arrival);
  if (!rng.chance(0.78)) inv.createdBy = { kind: 'user', userId: pickUser(rng, org, 'coder') };
  const stageRoles = ['inspector', 'approver', 'checker'] as const;
  const stageRole = (k: number) =>
    k === org.stages.length - 1 ? 'checker' : stageRoles[Math.min(k, 1)];

  // Offsets in minutes from createdAt, then fitted before the cutoff.
  const steps: Array<{
    kind: 'coded' | 'posted' | 'sent' | 'save' | 'reject' | 'remove';
    stage?: number;
    offset: number;
    by: string;
  }> = [];
  let t = 0;
  const add = (
    kind: (typeof steps)[number]['kind'],
    minutes: number,
    by: string,
    stage?: number,
  ) => {
    t += minutes;
    steps.push({ kind, stage, offset: t, by });
  };
  const coder = pickUser(rng, org, 'coder');
  const target = inv.target;
  if (target === 'DRAFT' || target === 'REMOVED_DRAFT') {
    if (inv.coded) add('coded', rng.int(1 * HOUR, 20 * HOUR), coder);
  } else {
    add('coded', rng.int(1 * HOUR, 30 * HOUR), coder);
    add('posted', rng.int(1, 25), coder);
    add('sent', rng.int(1, 6), coder);
    const lastStage = org.stages.length - 1;
    const saved =
      target === 'DONE'
        ? lastStage + 1
        : target === 'STAGE' || target === 'REJECTED' || target === 'REMOVED_POSTED'
          ? inv.stage
          : 0;
    for (let k = 0; k < saved; k++) {
      const wait =
        k === 1 && rng.chance(0.06)
          ? rng.int(8, 30) * 24 * HOUR
          : rng.int(2 * HOUR, (k === lastStage ? 40 : 70) * HOUR);
      add('save', wait, pickUser(rng, org, stageRole(k)), k);
    }
    if (target === 'REJECTED')
      add(
        'reject',
        rng.int(2 * HOUR, 60 * HOUR),
        pickUser(rng, org, stageRole(inv.stage)),
        inv.stage,
      );
    if (target === 'REMOVED_POSTED')
      add('remove', rng.int(1 * HOUR, 30 * HOUR), org.users.accountant);
  }

  // Late invoices waited at stage 1 until after the lock date was set (and, where transfer is
  // automatic, after it was switched on), yet early enough for an export run to follow.
  if (inv.late) {
    const save1 = steps.find((s) => s.kind === 'save' && s.stage === 1);
    if (save1) {
      const from = Math.max(clock.lockMoment.getTime() + 86_400_000, autoSince?.getTime() ?? 0);
      const to = clock.cutoff.getTime() - 8 * 86_400_000;
      const when = from + rng.next() * Math.max(0, to - from);
      const from1 = save1.offset;
      const shift = Math.round((when - inv.createdAt.getTime()) / 60_000) - from1;
      if (shift > 0) for (const s of steps) if (s.offset >= from1) s.offset += shift;
    }
  }

  // Everything must have happened before the cutoff (10 minutes of slack for the transfer).
  const limit = Math.floor(
    (clock.cutoff.getTime() - 20 * 60_000 - inv.createdAt.getTime()) / 60_000,
  );
  const last = steps.length ? steps[steps.length - 1].offset : 0;
  if (last > limit) {
    const f = limit / last;
    let prev = 0;
    for (const s of steps) {
      s.offset = Math.max(prev + 1, Math.floor(s.offset * f));
      prev = s.offset;
    }
  }
  // People work office hours on weekdays: nudge each step into them, keeping the order.
  const latest = clock.cutoff.getTime() - 20 * 60_000;
  let prev = inv.createdAt.getTime();
  for (const s of steps) {
    const raw = plusMinutes(inv.createdAt, s.offset);
    const snapped = officeHours(raw);
    let when = snapped.getTime() < latest ? snapped : raw;
    if (when.getTime() <= prev) when = new Date(prev + 60_000 * (1 + (s.offset % 7)));
    prev = when.getTime();
    switch (s.kind) {
      case 'coded':
        inv.codedAt = when;
        inv.codedBy = s.by;
        break;
      case 'posted':
        inv.postedAt = when;
        inv.postedBy = s.by;
        break;
      case 'sent':
        inv.sentAt = when;
        break;
      case 'save':
        inv.saves.push({ stage: s.stage!, at: when, by: s.by });
        break;
      case 'reject':
        inv.rejected = { at: when, by: s.by, reason: '' };
        break;
      case 'remove':
        inv.removed = { at: when, by: s.by };
        break;
    }
  }
}

/** Gapless document numbers per fiscal year (= calendar year of the bill date), in posting order. */
function assignDocumentNumbers(invoices: PlanInvoice[]) {
  const posted = invoices
    .filter((i) => i.postedAt)
    .sort((a, b) => a.postedAt!.getTime() - b.postedAt!.getTime());
  const next = new Map<number, number>();
  for (const inv of posted) {
    const fy = yearOf(inv.billDate);
    const n = next.get(fy) ?? 1;
    inv.fiscalYear = fy;
    inv.documentNumber = n;
    next.set(fy, n + 1);
  }
}

// ------------------------------------------------------------------ transfers

/**
 * Manual export runs: weekly, by the accountant. Aurora stopped running them when automatic
 * transfer was switched on; Borealis still exports by hand every week.
 */
function exportRuns(rng: Rng, plan: OrgPlan): Date[] {
  const { clock, autoSince } = plan;
  const last = autoSince ? addDays(dateOf(autoSince), -4) : addDays(clock.today, -rng.int(2, 4));
  const runs: Date[] = [];
  for (let d = last; d >= addDays(clock.firstBill, -7); d = addDays(d, -7))
    runs.push(at(d, 12, rng.int(0, 59), rng.int(0, 59)));
  return runs.reverse();
}

function newBatch(
  plan: OrgPlan,
  documentType: PlanBatch['documentType'],
  trigger: PlanBatch['trigger'],
  requestedBy: string,
  createdAt: Date,
): PlanBatch {
  const batch: PlanBatch = {
    id: randomUUID(),
    documentType,
    trigger,
    requestedBy,
    createdAt,
    transfers: [],
  };
  plan.batches.push(batch);
  return batch;
}

const MISTAKE_CODES: Record<Mistake, string> = {
  VAT: 'VAT_CODE_INVALID',
  ACCOUNT: 'ACCOUNT_NOT_POSTABLE',
  COST_UNIT: 'COST_UNIT_INVALID',
  SUPPLIER: 'SUPPLIER_NOT_IN_LEDGER',
};

function expectation(
  plan: OrgPlan,
  documentDate: string,
  afterLock: boolean,
  mistake: Mistake | null,
): Expectation {
  if (mistake) return 'REFUSED';
  const { clock } = plan;
  if (
    afterLock &&
    plan.org.def.transferSettings.closedPeriodPolicy === 'BLOCK' &&
    documentDate <= clock.lockDate
  )
    return 'PERIOD_LOCKED';
  return 'OK';
}

function addTransfer(
  plan: OrgPlan,
  t: Omit<
    PlanTransfer,
    'id' | 'afterLock' | 'expect' | 'expectCode' | 'status' | 'entry' | 'errors' | 'finishedAt'
  > & {
    mistake: Mistake | null;
    documentDate: string;
  },
  rng: Rng,
): PlanTransfer {
  const afterLock = t.queuedAt.getTime() >= plan.clock.lockMoment.getTime();
  const { mistake, documentDate, ...rest } = t;
  const expect = expectation(plan, documentDate, afterLock, mistake);
  const transfer: PlanTransfer = {
    ...rest,
    id: randomUUID(),
    afterLock,
    expect,
    expectCode: mistake
      ? MISTAKE_CODES[mistake]
      : expect === 'PERIOD_LOCKED'
        ? 'PERIOD_LOCKED'
        : null,
    finishedAt: plusSeconds(t.queuedAt, 1 + t.batch.transfers.length * 0.8 + rng.int(0, 3)),
    status: null,
    entry: null,
    errors: [],
  };
  t.batch.transfers.push(transfer);
  return transfer;
}

function scheduleTransfers(rng: Rng, plan: OrgPlan) {
  const { org, autoSince, runs } = plan;
  const runBatches = new Map<number, PlanBatch>();
  const runBatch = (i: number) => {
    let b = runBatches.get(i);
    if (!b) {
      b = newBatch(plan, 'INVOICE', 'MANUAL', org.users.accountant, runs[i]);
      runBatches.set(i, b);
    }
    return b;
  };
  const firstRunAfter = (moment: Date) =>
    runs.findIndex((r) => r.getTime() >= moment.getTime() + 30 * 60_000);

  const approved = plan.invoices
    .filter((i) => i.target === 'DONE')
    .sort((a, b) => approvedAt(a).getTime() - approvedAt(b).getTime());
  for (const inv of approved) {
    const approvedMoment = approvedAt(inv);
    const designated = !!(inv.failure || inv.fixed || inv.late);
    const lines = inv.badLines ?? inv.lines;
    if (autoSince && approvedMoment.getTime() >= autoSince.getTime()) {
      const saver = inv.saves[inv.saves.length - 1].by;
      const queuedAt = plusSeconds(approvedMoment, 1);
      const batch = newBatch(plan, 'INVOICE', 'AUTOMATIC', saver, queuedAt);
      inv.transfers.push(
        addTransfer(
          plan,
          {
            documentType: 'INVOICE',
            invoice: inv,
            payment: null,
            documentVersion: 1,
            trigger: 'AUTOMATIC',
            batch,
            requestedBy: saver,
            queuedAt,
            lines,
            mistake: inv.failure ?? inv.fixed,
            documentDate: inv.billDate,
          },
          rng,
        ),
      );
    } else {
      const run = firstRunAfter(approvedMoment);
      // Not exported: approved after the last manual run, or held back by the accountant.
      const skipped = !designated && autoSince !== null && rng.chance(0.05);
      if (run < 0 || skipped) {
        if (run < 0 && designated) throw new Error('demo: a designated invoice has no export run');
        inv.held = true;
        continue;
      }
      const batch = runBatch(run);
      inv.transfers.push(
        addTransfer(
          plan,
          {
            documentType: 'INVOICE',
            invoice: inv,
            payment: null,
            documentVersion: 1,
            trigger: 'MANUAL',
            batch,
            requestedBy: org.users.accountant,
            queuedAt: runs[run],
            lines,
            mistake: inv.failure ?? inv.fixed,
            documentDate: inv.billDate,
          },
          rng,
        ),
      );
    }
    if (inv.fixed) {
      // The accountant corrected the posting the next working day and retried.
      const failed = inv.transfers[0];
      const fixAt = officeTime(rng, nextWeekday(addDays(dateOf(failed.finishedAt), 1)));
      inv.fix = { at: fixAt, by: org.users.accountant };
      const queuedAt = plusMinutes(fixAt, rng.int(3, 40));
      const batch = newBatch(plan, 'INVOICE', 'MANUAL', org.users.accountant, queuedAt);
      inv.transfers.push(
        addTransfer(
          plan,
          {
            documentType: 'INVOICE',
            invoice: inv,
            payment: null,
            documentVersion: 2,
            trigger: 'MANUAL',
            batch,
            requestedBy: org.users.accountant,
            queuedAt,
            lines: inv.lines,
            mistake: null,
            documentDate: inv.billDate,
          },
          rng,
        ),
      );
    }
  }
}

export function approvedAt(inv: PlanInvoice): Date {
  return inv.saves[inv.saves.length - 1].at;
}

/** The last transfer of the invoice, if it is expected to land in the ledger. */
function ledgerTransfer(inv: PlanInvoice): PlanTransfer | null {
  const last = inv.transfers[inv.transfers.length - 1];
  return last && last.expect === 'OK' ? last : null;
}

function schedulePayments(rng: Rng, plan: OrgPlan) {
  const { org, clock, autoSince } = plan;
  const yesterday = addDays(clock.today, -1);
  const runs = plan.runs.map((r) => plusMinutes(r, 25));
  const runBatches = new Map<number, PlanBatch>();
  const payments: PlanPayment[] = [];
  const candidates = plan.invoices.filter(
    (i) => i.target === 'DONE' && (ledgerTransfer(i) || i.held),
  );
  for (const inv of candidates) {
    if (inv.dueDate > addDays(clock.today, 3)) continue;
    if (!rng.chance(inv.held ? 0.3 : 0.9)) continue;
    const gross = new Decimal(inv.grossAmount);
    const partial = gross.greaterThan(400) && rng.chance(0.1);
    const firstAmount = partial
      ? gross.times(rng.int(30, 60)).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_DOWN)
      : gross;
    const parts: Array<{ amount: Decimal; date: string }> = [];
    let date = nextWeekday(addDays(inv.dueDate, rng.int(-3, 3)));
    // Paid once approved, never before.
    const approvedDay = dateOf(approvedAt(inv));
    if (date <= approvedDay) date = nextWeekday(addDays(approvedDay, rng.int(1, 3)));
    if (date > yesterday) continue;
    parts.push({ amount: firstAmount, date });
    if (partial && rng.chance(0.7)) {
      const second = nextWeekday(addDays(date, rng.int(10, 25)));
      if (second <= yesterday) parts.push({ amount: gross.minus(firstAmount), date: second });
    }
    for (const part of parts) {
      const bank = rng.chance(0.7);
      const recordedAt = bank
        ? officeTime(rng, nextWeekday(addDays(part.date, 1)))
        : officeTime(rng, part.date);
      if (recordedAt.getTime() >= clock.cutoff.getTime() - 30 * 60_000) continue;
      const payment: PlanPayment = {
        id: randomUUID(),
        invoice: inv,
        amount: part.amount.toFixed(2),
        paymentDate: part.date,
        source: bank ? 'BANK_STATEMENT' : 'MANUAL',
        bankReference: bank ? bankArchiveId(rng, part.date) : null,
        recordedAt,
        recordedBy: bank
          ? { kind: 'system', name: 'Bank statement import', onBehalfOf: org.users.accountant }
          : { kind: 'user', userId: org.users.accountant },
        documentNumber: 0,
        fiscalYear: yearOf(part.date),
        transfer: null,
      };
      payments.push(payment);
      inv.payments.push(payment);
    }
  }

  // Gapless payment document numbers per fiscal year, in recording order.
  payments.sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime());
  const next = new Map<number, number>();
  for (const p of payments) {
    const n = next.get(p.fiscalYear) ?? 1;
    p.documentNumber = n;
    next.set(p.fiscalYear, n + 1);
  }

  // Payments go to the ledger after their invoice: automatically, or in the weekly payment run.
  for (const p of payments) {
    const invTransfer = ledgerTransfer(p.invoice);
    if (!invTransfer) continue; // invoice not in the ledger: the payment waits
    const earliest = new Date(Math.max(p.recordedAt.getTime(), invTransfer.finishedAt.getTime()));
    const recorder = p.recordedBy.kind === 'user' ? p.recordedBy.userId : org.users.accountant;
    if (
      autoSince &&
      org.def.transferSettings.autoTransferPayments &&
      earliest.getTime() >= autoSince.getTime()
    ) {
      const queuedAt = plusSeconds(earliest, 2);
      const batch = newBatch(plan, 'PAYMENT', 'AUTOMATIC', recorder, queuedAt);
      p.transfer = addTransfer(
        plan,
        {
          documentType: 'PAYMENT',
          invoice: p.invoice,
          payment: p,
          documentVersion: 1,
          trigger: 'AUTOMATIC',
          batch,
          requestedBy: recorder,
          queuedAt,
          lines: [],
          mistake: null,
          documentDate: p.paymentDate,
        },
        rng,
      );
    } else {
      const run = runs.findIndex((r) => r.getTime() >= earliest.getTime() + 10 * 60_000);
      if (run < 0) continue;
      let batch = runBatches.get(run);
      if (!batch) {
        batch = newBatch(plan, 'PAYMENT', 'MANUAL', org.users.accountant, runs[run]);
        runBatches.set(run, batch);
      }
      p.transfer = addTransfer(
        plan,
        {
          documentType: 'PAYMENT',
          invoice: p.invoice,
          payment: p,
          documentVersion: 1,
          trigger: 'MANUAL',
          batch,
          requestedBy: org.users.accountant,
          queuedAt: runs[run],
          lines: [],
          mistake: null,
          documentDate: p.paymentDate,
        },
        rng,
      );
    }
  }
}

/** A bank statement archive reference, e.g. "261015593497FC0001". */
function bankArchiveId(rng: Rng, date: string): string {
  const letters = 'ABCDEFGHJKLMNPRSTUVXYZ';
  return `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}${rng.digits(6)}${letters[rng.int(0, letters.length - 1)]}${letters[rng.int(0, letters.length - 1)]}${rng.digits(4)}`;
}
