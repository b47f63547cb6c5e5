/**
 * The shapes of the demo's story: the context a plan is made in (organization, users, clock)
 * and the plan itself (invoices, their timelines, transfers, payments). See demo-plan.ts.
 */
import type { EntryInfo } from '../accounting/accounting-system.js';
import type { TransferErrorDetail } from '../modules/transfers/transfer.enums.js';
import { type DemoOrgDef, type SupplierDef } from './demo-catalog.js';
import { addDays, at, monthEnd, monthStart } from './demo-random.js';

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
