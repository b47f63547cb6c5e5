/**
 * The period rule: where a document lands. Its own date's period if that is OPEN and the date
 * is after the accounts-payable lock date; otherwise BLOCK refuses and SHIFT_TO_NEXT_OPEN books
 * it in the next open period.
 */
import {
  ClosedPeriodPolicy,
  type AccountingProblem,
  type PeriodInfo,
} from '../accounting-system.js';
import { addDays, isIsoDate } from './dates.js';
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

/** Period-rule problems point at the document date. */
const dateField = () => ['documentDate'];

/**
 * Where a document dated `date` lands. The date's period if it is OPEN and the date is after
 * the lock date; otherwise BLOCK refuses and SHIFT_TO_NEXT_OPEN takes the first OPEN period
 * starting after the date's period and ending after the lock date, on its first day (or the
 * day after the lock date, if that falls inside it). With `lock` the chosen period is share-locked.
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
  if (!period) return problem('PERIOD_LOCKED', `no accounting period covers ${date}`, dateField());
  const closed = period.status !== 'OPEN';
  const locked = lockDate !== null && date <= lockDate;
  if (!closed && !locked) return { period: toPeriod(period), postingDate: date };
  const reason = closed
    ? `period ${period.name} is closed`
    : `${date} is on or before the accounts-payable lock date ${lockDate}`;
  if (policy === ClosedPeriodPolicy.BLOCK) return problem('PERIOD_LOCKED', reason, dateField());
  const { rows } = await c.query<PeriodRow>(lock ? NEXT_OPEN_SQL_LOCKED : NEXT_OPEN_SQL_READ, [
    organizationId,
    period.end_date,
    lockDate,
  ]);
  const next = rows[0];
  if (!next)
    return problem('PERIOD_LOCKED', `${reason} and no open period follows it`, dateField());
  const postingDate =
    lockDate !== null && lockDate >= next.start_date ? addDays(lockDate, 1) : next.start_date;
  return { period: toPeriod(next), postingDate };
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
