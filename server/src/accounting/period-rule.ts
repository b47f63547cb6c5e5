/**
 * The period rule every adapter applies, whoever keeps the periods: a document lands in its own
 * date's period if that is OPEN and the date is after the accounts-payable lock date; otherwise
 * BLOCK refuses with PERIOD_LOCKED and SHIFT_TO_NEXT_OPEN books it in the first OPEN period
 * starting after the date's period and ending after the lock date, on its first day (or the day
 * after the lock date, if that falls inside it).
 */
import {
  ClosedPeriodPolicy,
  type AccountingProblem,
  type PeriodStatusName,
} from './accounting-system.js';
import { addDays } from './ledger/dates.js';
import { problem } from './problems.js';

/** What the rule reads of a period; adapters map their own period shape onto it. */
export interface RulePeriod {
  name: string;
  status: PeriodStatusName | string;
  startDate: string;
  endDate: string;
}

export interface PeriodRuleDocument {
  date: string;
  policy: ClosedPeriodPolicy;
  lockDate: string | null;
}

export interface PeriodRulePlacement<P> {
  period: P;
  postingDate: string;
}

/** Period-rule problems point at the document date. */
const dateField = () => ['documentDate'];

/**
 * Places `document` whose date falls in `period` (null: no period covers it). `nextOpen(after)`
 * finds the first OPEN period starting after `after` and ending after the lock date; it is only
 * asked when the rule shifts.
 */
export async function applyPeriodRule<P>(
  document: PeriodRuleDocument,
  period: P | null,
  view: (p: P) => RulePeriod,
  nextOpen: (after: P) => Promise<P | null> | P | null,
): Promise<PeriodRulePlacement<P> | AccountingProblem> {
  const { date, policy, lockDate } = document;
  if (period === null)
    return problem('PERIOD_LOCKED', `no accounting period covers ${date}`, dateField());
  const own = view(period);
  const closed = own.status !== 'OPEN';
  const locked = lockDate !== null && date <= lockDate;
  if (!closed && !locked) return { period, postingDate: date };
  const reason = closed
    ? `period ${own.name} is closed`
    : `${date} is on or before the accounts-payable lock date ${lockDate}`;
  if (policy === ClosedPeriodPolicy.BLOCK) return problem('PERIOD_LOCKED', reason, dateField());
  const next = await nextOpen(period);
  if (next === null)
    return problem('PERIOD_LOCKED', `${reason} and no open period follows it`, dateField());
  const start = view(next).startDate;
  const postingDate = lockDate !== null && lockDate >= start ? addDays(lockDate, 1) : start;
  return { period: next, postingDate };
}

/** `nextOpen` over an in-memory list of periods (an external system's period list). */
export function nextOpenIn<P>(periods: P[], view: (p: P) => RulePeriod, lockDate: string | null) {
  return (after: P): P | null => {
    const end = view(after).endDate;
    const candidates = periods
      .filter((p) => {
        const v = view(p);
        return (
          v.status === 'OPEN' && v.startDate > end && (lockDate === null || v.endDate > lockDate)
        );
      })
      .sort((a, b) => view(a).startDate.localeCompare(view(b).startDate));
    return candidates[0] ?? null;
  };
}
