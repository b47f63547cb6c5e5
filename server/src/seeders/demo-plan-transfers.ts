/**
 * The planned exports and payments: weekly manual runs, automatic transfers after approval,
 * what the ledger will answer, and the payments of transferred invoices. Part of demo-plan.ts.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from '../common/money.js';
import {
  addDays,
  at,
  dateOf,
  nextWeekday,
  officeTime,
  plusMinutes,
  plusSeconds,
  Rng,
  yearOf,
} from './demo-random.js';
import type {
  Expectation,
  Mistake,
  OrgPlan,
  PlanBatch,
  PlanInvoice,
  PlanPayment,
  PlanTransfer,
} from './demo-plan-types.js';

// ------------------------------------------------------------------ transfers

/**
 * Manual export runs: weekly, by the accountant. Aurora stopped running them when automatic
 * transfer was switched on; Borealis still exports by hand every week.
 */
export function exportRuns(rng: Rng, plan: OrgPlan): Date[] {
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

export function scheduleTransfers(rng: Rng, plan: OrgPlan) {
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

export function schedulePayments(rng: Rng, plan: OrgPlan) {
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
