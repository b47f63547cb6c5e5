/**
 * The ledger's administration (admin only): moving an entry to another period, the lock date,
 * closing and reopening periods. The work is the accounting system's; what Ledgerlink keeps in
 * step with it (audit rows, the posting dates of transfers) reacts to the domain events raised
 * here, in the same transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { authorizeOrganization, organizationIdsOf } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { emitDomainEvent } from '../../common/domain-events.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { fromGlobalId } from '../../common/ids.js';
import type { ServiceContext } from '../../common/service-context.js';
import { authorizeOrganizationInput, requireCaller } from '../../common/validation.js';
import { AccountingRejection, type EntryInfo, type PeriodInfo } from '../accounting-system.js';
import type {
  AdjustPostingPeriodInput,
  PeriodInput,
  SetLockDateInput,
} from './accounting-admin.inputs.js';

/** The accounting system's refusal as userErrors; a missing entry is NOT_FOUND on `field`. */
function accountingError(err: unknown, field: string[]): never {
  if (err instanceof AccountingRejection) {
    throw new DomainError(
      err.problems.map((p) => ({
        code:
          p.code === 'PERIOD_LOCKED'
            ? UserErrorCode.PERIOD_LOCKED
            : p.code === 'ENTRY_NOT_FOUND'
              ? UserErrorCode.NOT_FOUND
              : UserErrorCode.VALIDATION,
        message: p.message,
        field: p.code === 'ENTRY_NOT_FOUND' ? field : (p.field ?? field),
      })),
    );
  }
  throw err;
}

/** Moves a ledger entry of one of the caller's organizations to another open period. */
export async function moveEntryToPeriod(
  em: EntityManager,
  sctx: ServiceContext,
  input: AdjustPostingPeriodInput,
): Promise<EntryInfo> {
  requireCaller(sctx.caller);
  const entryId = fromGlobalId(input.ledgerEntryId, 'LedgerEntry');
  const periodId = fromGlobalId(input.periodId, 'AccountingPeriod');
  let found: { org: string; entry: EntryInfo } | null = null;
  for (const org of organizationIdsOf(sctx.caller)) {
    const entry = entryId ? await sctx.accounting.getEntry(org, entryId) : null;
    if (entry) found = { org, entry };
  }
  if (!found)
    throw new DomainError(UserErrorCode.NOT_FOUND, 'Ledger entry not found', ['ledgerEntryId']);
  const organizationId = authorizeOrganization(sctx.caller, found.org, Permission.ADMIN);
  if (!periodId) throw new DomainError(UserErrorCode.NOT_FOUND, 'Period not found', ['periodId']);
  const moved = await sctx.accounting
    .moveEntryToPeriod(organizationId, entryId!, periodId)
    .catch((err) => accountingError(err, ['periodId']));
  await emitDomainEvent(em, 'ledger.entry_moved', {
    organizationId,
    before: found.entry,
    after: moved,
    caller: sctx.caller,
    requestId: sctx.requestId,
  });
  await em.flush();
  return moved;
}

/** Sets (or clears) the accounts-payable lock date; returns the new one. */
export async function setLockDate(
  em: EntityManager,
  sctx: ServiceContext,
  input: SetLockDateInput,
): Promise<string | null> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const before = (await sctx.accounting.getSettings(organizationId)).apLockDate;
  const settings = await sctx.accounting
    .setLockDate(organizationId, input.lockDate)
    .catch((err) => accountingError(err, ['lockDate']));
  await emitDomainEvent(em, 'ledger.lock_date_set', {
    organizationId,
    before,
    after: settings.apLockDate,
    caller: sctx.caller,
    requestId: sctx.requestId,
  });
  await em.flush();
  return settings.apLockDate;
}

/** Closes or reopens a period; returns it as it is now. */
export async function setPeriodStatus(
  em: EntityManager,
  sctx: ServiceContext,
  input: PeriodInput,
  action: 'close' | 'reopen',
): Promise<PeriodInfo> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const periodId = fromGlobalId(input.periodId, 'AccountingPeriod');
  if (!periodId) throw new DomainError(UserErrorCode.NOT_FOUND, 'Period not found', ['periodId']);
  const accounting = sctx.accounting;
  const period = await (
    action === 'close'
      ? accounting.closePeriod(organizationId, periodId)
      : accounting.reopenPeriod(organizationId, periodId)
  ).catch((err) => accountingError(err, ['periodId']));
  await emitDomainEvent(
    em,
    action === 'close' ? 'ledger.period_closed' : 'ledger.period_reopened',
    {
      organizationId,
      period,
      caller: sctx.caller,
      requestId: sctx.requestId,
    },
  );
  await em.flush();
  return period;
}
