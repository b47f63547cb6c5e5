/** accountsIQ's financial periods, and the shared period rule applied to them. */
import type { AccountingProblem, ClosedPeriodPolicy, PeriodInfo } from '../accounting-system.js';
import { applyPeriodRule, nextOpenIn, type RulePeriod } from '../period-rule.js';
import { items, type Parsed, str } from './soap-values.js';
import type { AiqSession } from './session.js';

export async function loadPeriods(session: AiqSession): Promise<PeriodInfo[]> {
  const list = await session.call<Parsed>('GetPeriodList', {}, 'read');
  return items(list, 'FinancialPeriod').map((p) => {
    const end = str(p.EndDate);
    return {
      id: str(p.PeriodID),
      fiscalYear: Number(end.slice(0, 4)),
      name: str(p.Name),
      startDate: str(p.StartDate),
      endDate: end,
      status: str(p.Closed) === 'true' ? 'CLOSED' : 'OPEN',
    };
  });
}

const view = (p: PeriodInfo): RulePeriod => p;

/** Where accountsIQ will book a document dated `date`, or PERIOD_LOCKED under BLOCK. */
export async function placeInPeriods(
  periods: PeriodInfo[],
  date: string,
  policy: ClosedPeriodPolicy,
): Promise<{ period: PeriodInfo; postingDate: string } | AccountingProblem> {
  const own = periods.find((p) => p.startDate <= date && date <= p.endDate) ?? null;
  return applyPeriodRule(
    { date, policy, lockDate: null },
    own,
    view,
    nextOpenIn(periods, view, null),
  );
}

export function periodByName(periods: PeriodInfo[], name: string, date: string): PeriodInfo {
  return (
    periods.find((p) => p.name === name) ??
    periods.find((p) => p.startDate <= date && date <= p.endDate) ?? {
      id: name,
      fiscalYear: Number(date.slice(0, 4)),
      name,
      startDate: date,
      endDate: date,
      status: 'OPEN',
    }
  );
}
