import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntryInfo, PeriodInfo } from '../accounting/accounting-system.js';
import type { Caller } from '../auth/authenticate.js';
import type { AuditActor } from '../modules/audit/audit.service.js';

/**
 * Domain events raised by the accounts-payable write side and by the ledger's administration
 * (accounting/graphql), handled synchronously inside the
 * same transaction (so a handler's writes — e.g. an automatic transfer and its job — commit or
 * roll back with the change that caused them, and nothing is lost if the process dies right
 * after the commit). The transfer engine subscribes; the write side does not know it exists.
 */
export interface DomainEvents {
  /** An approval stage was saved (approved). `approved` when it was the last stage. */
  'invoice.stage_saved': {
    organizationId: string;
    invoiceId: string;
    stageId: string;
    transferFromThisStep: boolean;
    approved: boolean;
    actor: AuditActor;
    /** The saving user's id (automatic transfer acts on their behalf), null for API clients. */
    userId: string | null;
    requestId: string | null;
  };
  /** The posting lines of a posted invoice changed (postingVersion was incremented). */
  'invoice.posting_changed': {
    organizationId: string;
    invoiceId: string;
    postingVersion: number;
    actor: AuditActor;
    userId: string | null;
    requestId: string | null;
  };
  'payment.recorded': {
    organizationId: string;
    invoiceId: string;
    paymentId: string;
    actor: AuditActor;
    userId: string | null;
    requestId: string | null;
  };
  /** An administrator moved a ledger entry to another period (`before` and `after` the move). */
  'ledger.entry_moved': {
    organizationId: string;
    before: EntryInfo;
    after: EntryInfo;
    caller: Caller;
    requestId: string | null;
  };
  'ledger.lock_date_set': {
    organizationId: string;
    before: string | null;
    after: string | null;
    caller: Caller;
    requestId: string | null;
  };
  'ledger.period_closed': {
    organizationId: string;
    period: PeriodInfo;
    caller: Caller;
    requestId: string | null;
  };
  'ledger.period_reopened': {
    organizationId: string;
    period: PeriodInfo;
    caller: Caller;
    requestId: string | null;
  };
}

type Handler<K extends keyof DomainEvents> = (
  em: EntityManager,
  event: DomainEvents[K],
) => Promise<void>;

// Keyed by event name; typed at the two functions below.
const handlers = new Map<string, Handler<never>[]>();

export function onDomainEvent<K extends keyof DomainEvents>(name: K, handler: Handler<K>): void {
  const list = handlers.get(name) ?? [];
  list.push(handler as unknown as Handler<never>);
  handlers.set(name, list);
}

/** Runs every handler in the caller's transaction; a handler's DomainError rolls it all back. */
export async function emitDomainEvent<K extends keyof DomainEvents>(
  em: EntityManager,
  name: K,
  event: DomainEvents[K],
): Promise<void> {
  for (const handler of (handlers.get(name) ?? []) as unknown as Handler<K>[])
    await handler(em, event);
}
