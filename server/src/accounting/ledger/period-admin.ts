/**
 * Period administration: moving an entry to another open period, the accounts-payable lock
 * date, closing and reopening periods. The lock date and period status change under the
 * organization's exclusive gate, so they wait for the postings in flight (see ledger-db.ts).
 */
import {
  AccountingRejection,
  type AccountingProblem,
  type EntryInfo,
  type LedgerSettingsInfo,
  type PeriodInfo,
  type PeriodStatusName,
} from '../accounting-system.js';
import { addDays, isIsoDate } from './dates.js';
import type { LedgerDb, SqlClient } from './ledger-db.js';
import type { LedgerReads } from './ledger-reads.js';
import {
  PERIOD_COLUMNS,
  SETTINGS_COLUMNS,
  isUuid,
  toPeriod,
  toSettings,
  type PeriodRow,
  type SettingsRow,
} from './ledger-rows.js';
import { problem, problemFromDbError } from './problems.js';

const entryNotFound = (entryId: string) =>
  new AccountingRejection([
    problem('ENTRY_NOT_FOUND', `ledger entry ${entryId} not found`, ['entryId']),
  ]);
const periodNotFound = (periodId: string) =>
  new AccountingRejection([
    problem('VALIDATION', `accounting period ${periodId} not found`, ['periodId']),
  ]);

/**
 * Moves the entry into the target period (its document date if inside, else the first day
 * after the lock date or of the period); refuses when either period is closed or locked.
 */
async function moveEntry(
  c: SqlClient,
  organizationId: string,
  entryId: string,
  periodId: string,
): Promise<void> {
  const entry = (
    await c.query<{ document_date: string; posting_date: string; period_id: string }>(
      `select to_char(document_date, 'YYYY-MM-DD') as document_date, to_char(posting_date, 'YYYY-MM-DD') as posting_date,
         period_id from ledger.entry where organization_id = $1 and id = $2 for update`,
      [organizationId, entryId],
    )
  ).rows[0];
  if (!entry) throw entryNotFound(entryId);
  const { rows } = await c.query<{
    settings: SettingsRow | null;
    current: PeriodRow;
    target: PeriodRow | null;
  }>(
    `with s as (select ${SETTINGS_COLUMNS} from ledger.settings where organization_id = $1 for share),
     cur as (select ${PERIOD_COLUMNS} from ledger.period where organization_id = $1 and id = $2 for share),
     tgt as (select ${PERIOD_COLUMNS} from ledger.period where organization_id = $1 and id = $3 for share)
     select (select row_to_json(s) from s) as settings, (select row_to_json(cur) from cur) as current,
       (select row_to_json(tgt) from tgt) as target`,
    [organizationId, entry.period_id, isUuid(periodId) ? periodId : null],
  );
  const { settings, current, target } = rows[0];
  const lockDate = settings?.ap_lock_date ?? null;
  if (!target) throw periodNotFound(periodId);
  const problems: AccountingProblem[] = [];
  if (current.status !== 'OPEN') {
    problems.push(
      problem(
        'PERIOD_LOCKED',
        `the entry is in closed period ${current.name} and cannot be moved out of it`,
        ['entryId'],
      ),
    );
  } else if (lockDate !== null && entry.posting_date <= lockDate) {
    problems.push(
      problem(
        'PERIOD_LOCKED',
        `the entry is posted on ${entry.posting_date}, on or before the lock date ${lockDate}`,
        ['entryId'],
      ),
    );
  }
  let postingDate =
    entry.document_date >= target.start_date && entry.document_date <= target.end_date
      ? entry.document_date
      : target.start_date;
  if (target.status !== 'OPEN') {
    problems.push(problem('PERIOD_LOCKED', `period ${target.name} is closed`, ['periodId']));
  } else if (lockDate !== null && postingDate <= lockDate) {
    if (lockDate >= target.end_date) {
      problems.push(
        problem(
          'PERIOD_LOCKED',
          `period ${target.name} ends on or before the lock date ${lockDate}`,
          ['periodId'],
        ),
      );
    } else {
      postingDate = addDays(lockDate, 1);
    }
  }
  if (problems.length > 0) throw new AccountingRejection(problems);
  await c.query(
    `update ledger.entry set period_id = $3, posting_date = $4 where organization_id = $1 and id = $2`,
    [organizationId, entryId, target.id, postingDate],
  );
}

export class PeriodAdmin {
  constructor(
    private readonly db: LedgerDb,
    private readonly reads: LedgerReads,
  ) {}

  async moveEntryToPeriod(
    organizationId: string,
    entryId: string,
    periodId: string,
  ): Promise<EntryInfo> {
    if (!isUuid(organizationId) || !isUuid(entryId)) throw entryNotFound(entryId);
    try {
      await this.db.transaction((c) => moveEntry(c, organizationId, entryId, periodId), {
        organizationId,
        mode: 'shared',
      });
    } catch (err) {
      const p = problemFromDbError(err, ['periodId']);
      if (p) throw new AccountingRejection([p]);
      throw err;
    }
    return this.reads.mustGetEntry(organizationId, entryId);
  }

  async setLockDate(organizationId: string, lockDate: string | null): Promise<LedgerSettingsInfo> {
    if (lockDate !== null && !isIsoDate(lockDate)) {
      throw new AccountingRejection([
        problem('VALIDATION', 'lock date must be a date YYYY-MM-DD or null', ['lockDate']),
      ]);
    }
    const row = isUuid(organizationId)
      ? (
          await this.db.transaction(
            (c) =>
              c.query<SettingsRow>(
                `update ledger.settings set ap_lock_date = $2 where organization_id = $1 returning ${SETTINGS_COLUMNS}`,
                [organizationId, lockDate],
              ),
            { organizationId, mode: 'exclusive' },
          )
        ).rows[0]
      : undefined;
    if (!row)
      throw new AccountingRejection([
        problem('VALIDATION', 'the ledger of this organization is not set up'),
      ]);
    return toSettings(row);
  }

  /** Closes (CLOSED) or reopens (OPEN) a period. */
  async setPeriodStatus(
    organizationId: string,
    periodId: string,
    status: PeriodStatusName,
  ): Promise<PeriodInfo> {
    const row =
      isUuid(organizationId) && isUuid(periodId)
        ? (
            await this.db.transaction(
              (c) =>
                c.query<PeriodRow>(
                  `update ledger.period set status = $3,
                   closed_at = case when $3 = 'CLOSED' then coalesce(closed_at, now()) else null end
                 where organization_id = $1 and id = $2 returning ${PERIOD_COLUMNS}`,
                  [organizationId, periodId, status],
                ),
              { organizationId, mode: 'exclusive' },
            )
          ).rows[0]
        : undefined;
    if (!row) throw periodNotFound(periodId);
    return toPeriod(row);
  }
}
