/**
 * The period rule: where a document lands. Its own date's period if that is OPEN and the date
 * is after the accounts-payable lock date; otherwise BLOCK refuses and SHIFT_TO_NEXT_OPEN books
 * it in the next open period.
 */
import type { AccountingProblem, ClosedPeriodPolicy, PeriodInfo } from '../accounting-system.js';
import { applyPeriodRule, type RulePeriod } from '../period-rule.js';
import { isIsoDate } from './dates.js';
import { prepared, type SqlClient } from './ledger-db.js';
import { PERIOD_COLUMNS, toPeriod, type PeriodRow } from './ledger-rows.js';
import type { PostingContext } from './posting-context.js';
import { problem } from './problems.js';
import { isKnownPolicy } from './request-checks.js';

export interface Placement {
  period: PeriodInfo;
  postingDate: string;
}

/** The first OPEN period starting after $2 that ends after the lock date $3. */
function nextOpenPeriodSql(lock: boolean): string {
  return `select ${PERIOD_COLUMNS} from ledger.period
  where organization_id = $1 and status = 'OPEN' and start_date > $2::date
    and ($3::date is null or end_date > $3::date)
  order by start_date limit 1 ${lock ? 'for share' : ''}`;
}
const NEXT_OPEN_SQL_LOCKED = prepared(nextOpenPeriodSql(true));
const NEXT_OPEN_SQL_READ = prepared(nextOpenPeriodSql(false));

const periodView = (row: PeriodRow): RulePeriod => ({
  name: row.name,
  status: row.status,
  startDate: row.start_date,
  endDate: row.end_date,
});

/**
 * Where a document dated `date` lands, by the shared period rule over this ledger's periods.
 * With `lock` the chosen next open period is share-locked.
 */
async function place(
  c: SqlClient,
  organizationId: string,
  date: string,
  policy: ClosedPeriodPolicy,
  lockDate: string | null,
  period: PeriodRow | null,
  lock: boolean,
): Promise<Placement | AccountingProblem> {
  const placed = await applyPeriodRule(
    { date, policy, lockDate },
    period,
    periodView,
    async (after) => {
      const { rows } = await c.query<PeriodRow>(lock ? NEXT_OPEN_SQL_LOCKED : NEXT_OPEN_SQL_READ, [
        organizationId,
        after.end_date,
        lockDate,
      ]);
      return rows[0] ?? null;
    },
  );
  if ('code' in placed) return placed;
  return { period: toPeriod(placed.period), postingDate: placed.postingDate };
}

/**
 * Places a document by the period rule against the posting context's settings and period.
 * A ledger without settings, or a placement refused, adds its problem; a date or policy the
 * shape checks already refused is not placed. Undefined when there is no placement.
 */
export async function placeDocument(
  c: SqlClient,
  organizationId: string,
  ctx: PostingContext,
  document: { documentDate: string; closedPeriodPolicy: ClosedPeriodPolicy },
  lock: boolean,
  problems: AccountingProblem[],
): Promise<Placement | undefined> {
  if (!ctx.settings) {
    problems.push(
      problem('VALIDATION', 'the ledger of this organization is not set up (no settings)'),
    );
    return undefined;
  }
  if (!isIsoDate(document.documentDate) || !isKnownPolicy(document.closedPeriodPolicy))
    return undefined;
  const placed = await place(
    c,
    organizationId,
    document.documentDate,
    document.closedPeriodPolicy,
    ctx.settings.ap_lock_date,
    ctx.period,
    lock,
  );
  if ('code' in placed) {
    problems.push(placed);
    return undefined;
  }
  return placed;
}
