/**
 * The match queue: entries the import could not match for certain wait here until an accountant
 * confirms a suggestion, assigns (splits) the entry over invoices, or ignores it.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { organizationIdsOf } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { fromGlobalId } from '../../common/ids.js';
import { Decimal, formatMoney } from '../../common/money.js';
import type { ServiceContext } from '../../common/service-context.js';
import { Problems, requireCaller, requireGlobalId } from '../../common/validation.js';
import { authorizeOrganization } from '../../auth/access.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { User } from '../users/user.entity.js';
import { recordEntryPayments } from './bank-entry-payments.js';
import { BankEntryMatchState, BankStatementEntry } from './bank-statement.entity.js';

const MAX_ALLOCATIONS = 100;
const IGNORE_REASON_MAX = 500;

async function lockQueuedEntry(
  em: EntityManager,
  sctx: ServiceContext,
  entryGlobalId: string,
  allowed: BankEntryMatchState[],
): Promise<BankStatementEntry> {
  requireCaller(sctx.caller);
  const id = requireGlobalId(entryGlobalId, 'BankStatementEntry', ['entryId'], 'Bank entry');
  const entry = await em.findOne(
    BankStatementEntry,
    { id, organization: { $in: organizationIdsOf(sctx.caller) } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!entry) throw new DomainError(UserErrorCode.NOT_FOUND, 'Bank entry not found', ['entryId']);
  authorizeOrganization(sctx.caller, entry.organization.id, Permission.WRITE, ['entryId']);
  if (!allowed.includes(entry.matchState)) {
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      entry.matchState === BankEntryMatchState.MATCHED
        ? 'The entry is already matched: its payments are recorded'
        : entry.matchState === BankEntryMatchState.NOT_APPLICABLE
          ? 'The entry is incoming money or a reversal: there is nothing to pay with it'
          : `The entry is ${entry.matchState.toLowerCase()}`,
      ['entryId'],
    );
  }
  return entry;
}

function resolve(em: EntityManager, sctx: ServiceContext, entry: BankStatementEntry) {
  entry.resolvedBy =
    sctx.caller.kind === 'user' ? em.getReference(User, sctx.caller.user.id) : null;
  entry.resolvedVia =
    sctx.caller.kind === 'apiClient' ? `API token ${sctx.caller.apiClient.name}` : null;
  entry.resolvedAt = new Date();
}

async function settle(
  em: EntityManager,
  sctx: ServiceContext,
  entry: BankStatementEntry,
  allocations: { invoiceId: string; amount: string }[],
  how: string,
): Promise<BankStatementEntry> {
  const total = new Decimal(entry.amount).abs();
  const sum = allocations.reduce((a, x) => a.plus(x.amount), new Decimal(0));
  if (!sum.eq(total)) {
    throw new DomainError(
      UserErrorCode.VALIDATION,
      `The amounts add up to ${formatMoney(sum)}; the entry is ${formatMoney(total)}: split all of it`,
      ['allocations'],
    );
  }
  // Only the entry's own organization's invoices: a user of two organizations cannot pay across.
  const ids = [...new Set(allocations.map((a) => a.invoiceId))];
  const own = await em.count(PurchaseInvoice, {
    id: { $in: ids },
    organization: entry.organization.id,
  });
  if (own !== ids.length)
    throw new DomainError(UserErrorCode.NOT_FOUND, 'Invoice not found', ['allocations']);
  await recordEntryPayments(em, sctx, entry, allocations, { savepoint: false });
  entry.matchState = BankEntryMatchState.MATCHED;
  entry.reason = how;
  resolve(em, sctx, entry);
  recordAudit(em, {
    organizationId: entry.organization.id,
    action: 'bank_entry.matched',
    actor: actorOf(sctx.caller),
    entityType: 'BankStatementEntry',
    entityId: entry.id,
    requestId: sctx.requestId,
    details: { how, allocations },
  });
  await em.flush();
  return entry;
}

/** Accepts the entry's suggestions (all of them, or those for `invoiceIds`): they must add up to the entry. */
export async function confirmBankEntryMatch(
  em: EntityManager,
  sctx: ServiceContext,
  input: { entryId: string; invoiceIds?: string[] | null },
): Promise<BankStatementEntry> {
  const entry = await lockQueuedEntry(em, sctx, input.entryId, [BankEntryMatchState.QUEUED]);
  let chosen = entry.suggestions;
  if (input.invoiceIds?.length) {
    const ids = input.invoiceIds.map((g) => fromGlobalId(g, 'PurchaseInvoice'));
    chosen = entry.suggestions.filter((s) => ids.includes(s.invoiceId));
    if (chosen.length !== new Set(ids).size || ids.includes(null)) {
      throw new DomainError(
        UserErrorCode.VALIDATION,
        'Confirm only invoices the entry suggests; assign the entry to choose others',
        ['invoiceIds'],
      );
    }
  }
  if (!chosen.length) {
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      'The entry has no suggestion to confirm: assign it to invoices',
      ['entryId'],
    );
  }
  return settle(
    em,
    sctx,
    entry,
    chosen.map((s) => ({ invoiceId: s.invoiceId, amount: s.amount })),
    'Confirmed suggestion',
  );
}

/** Splits the entry over invoices by hand; the amounts must add up to the entry. */
export async function assignBankEntry(
  em: EntityManager,
  sctx: ServiceContext,
  input: { entryId: string; allocations: { invoiceId: string; amount: string }[] },
): Promise<BankStatementEntry> {
  const entry = await lockQueuedEntry(em, sctx, input.entryId, [
    BankEntryMatchState.QUEUED,
    BankEntryMatchState.IGNORED,
  ]);
  const p = new Problems();
  if (!input.allocations.length || input.allocations.length > MAX_ALLOCATIONS)
    p.add(`Give 1 to ${MAX_ALLOCATIONS} allocations`, ['allocations']);
  const allocations = input.allocations.slice(0, MAX_ALLOCATIONS).map((a, i) => {
    const amount = p.money(a.amount, ['allocations', String(i), 'amount'], {
      label: 'Amount',
      sign: 'positive',
    });
    const invoiceId = fromGlobalId(a.invoiceId, 'PurchaseInvoice');
    if (!invoiceId)
      p.add('Invoice not found', ['allocations', String(i), 'invoiceId'], UserErrorCode.NOT_FOUND);
    return { invoiceId: invoiceId ?? '', amount: amount ? formatMoney(amount) : '0.00' };
  });
  p.throwIfAny();
  return settle(em, sctx, entry, allocations, 'Assigned by hand');
}

export async function ignoreBankEntry(
  em: EntityManager,
  sctx: ServiceContext,
  input: { entryId: string; reason?: string | null },
): Promise<BankStatementEntry> {
  const entry = await lockQueuedEntry(em, sctx, input.entryId, [BankEntryMatchState.QUEUED]);
  const p = new Problems();
  const reason = p.text(input.reason, ['reason'], {
    max: IGNORE_REASON_MAX,
    required: false,
    label: 'Reason',
  });
  p.throwIfAny();
  entry.matchState = BankEntryMatchState.IGNORED;
  entry.reason = reason ?? 'Ignored: not a payment of a purchase invoice';
  resolve(em, sctx, entry);
  recordAudit(em, {
    organizationId: entry.organization.id,
    action: 'bank_entry.ignored',
    actor: actorOf(sctx.caller),
    entityType: 'BankStatementEntry',
    entityId: entry.id,
    requestId: sctx.requestId,
    details: { reason: entry.reason },
  });
  await em.flush();
  return entry;
}
